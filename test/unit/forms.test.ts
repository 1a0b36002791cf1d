/**
 * Issue 27, forgiving input: the generic form builder (every ArgSpec kind), reading a line into a form's values,
 * reading a submit back into the command line (hostile values quoted exactly as typed text would be), and each
 * operation's form through the registry.
 */
import { describe, expect, it } from 'vitest';
import type { ArgSpec } from '../../src/commands/declared-args';
import { commandLineFrom } from '../../src/commands/declared-args';
import { buildFormView, CHOICES_MAX, FORM_VERB } from '../../src/cards/form-view';
import { renderCard } from '../../src/cards/render';
import { renderView } from '../../src/cards/presenter';
import { partialInput, readFormSubmit } from '../../src/commands/forms';
import { createCommandRegistry, tokenize, type Reply } from '../../src/commands';
import { createCommand } from '../../src/operations/create/create.command';
import { shareCommand } from '../../src/operations/share/share.command';
import { restrictCommand } from '../../src/operations/access/restrict.command';
import { inputsOf, parseErrors, TEAMS_LIMIT_BYTES } from '../support/adaptive-cards';
import { midWordCutsIn, rawCodesIn } from '../support/card-checks';
import { commandContext } from './commands-fixture';
import { ALLOW_ALL_POLICY } from '../support/command-services';

const ARGS: ArgSpec[] = [
  { name: 'name', kind: 'positional', required: true, description: 'The name.', example: 'sc-prod' },
  { name: 'project', kind: 'option', keyword: 'in', required: false, description: 'The project.', example: 'Payments' },
  { name: 'role', kind: 'option', keyword: 'role', required: true, description: 'The role.', example: 'Reader' },
  { name: 'pipelines', kind: 'option', keyword: 'for', required: false, list: true, description: 'The pipelines.', example: 'ci' },
  { name: 'app', kind: 'option', keyword: 'app', oneOf: 'who', required: true, description: 'An app.', example: 'x' },
  { name: 'newApp', kind: 'flag', oneOf: 'who', word: 'new app', description: 'A new app.', example: 'true' },
];
const HOSTILE = ['x" in Payments', '**bold** [link](http://evil)', '<at>scbot</at>', 'all', 'a'.repeat(400), 'in', 'sc, prod', '`tick`', 'role'];

function expectValid(card: Record<string, unknown>): void {
  const json = JSON.stringify(card);
  expect(json).not.toContain('${');
  expect(parseErrors(card)).toEqual([]);
  expect(Buffer.byteLength(json, 'utf8')).toBeLessThan(TEAMS_LIMIT_BYTES);
  expect(card.version).toBe('1.5');
  expect(rawCodesIn(card)).toEqual([]);
  expect(midWordCutsIn(card)).toEqual([]);
}

describe('the form builder', () => {
  it('gives each ArgSpec kind its input: text, a choice list (multi for a list), a toggle for a flag', () => {
    const view = buildFormView('create', ARGS, { project: [{ title: 'Payments', value: 'Payments' }], pipelines: [{ title: 'ci', value: 'ci' }] }, {});
    expect(view.fields.map((f) => [f.id, f.kind, f.required, f.multi])).toEqual([
      ['name', 'text', true, false], ['project', 'choice', false, false], ['role', 'text', true, false],
      ['pipelines', 'choice', false, true], ['app', 'text', false, false], ['newApp', 'toggle', false, false],
    ]);
    const card = renderCard('form', view);
    expectValid(card);
    expect(JSON.stringify(card)).toContain('"isMultiSelect":true');
    expect((card.actions as Array<{ verb: string; data: unknown }>)[0]).toMatchObject({ verb: FORM_VERB, data: { form: 'create' } });
  });

  it('fills in what is known, keeps a value the choices do not hold, caps the choices', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ title: `p-${i}`, value: `p-${i}` }));
    const view = buildFormView('create', ARGS, { project: many }, { name: 'sc-x', project: 'Gone', pipelines: ['a', 'b'], newApp: true });
    const byId = Object.fromEntries(view.fields.map((f) => [f.id, f]));
    expect(byId.name?.value).toBe('sc-x');
    expect(byId.project?.choices[0]).toEqual({ title: 'Gone', value: 'Gone' });
    expect(byId.project?.choices).toHaveLength(CHOICES_MAX + 1);
    expect(byId.pipelines?.value).toBe('a, b');
    expect(byId.newApp?.value).toBe('true');
    expectValid(renderCard('form', view));
  });

  it('renders hostile values as input values, never as card text', () => {
    for (const value of HOSTILE) {
      const card = renderCard('form', buildFormView('share', shareCommand.args, { name: [{ title: value, value }] }, { name: value, with: value }, 'Say which connection.'));
      expectValid(card);
      expect(inputsOf(card).find((i) => i.id === 'with')?.value).toBe(value.slice(0, 500));
    }
  });
});

describe('a line read into a form, a form read back into a line', () => {
  it('reads what a partial line says', () => {
    expect(partialInput(ARGS, tokenize('sc x in Payments new app for a, b'))).toEqual({ name: 'sc x', project: 'Payments', newApp: true, pipelines: ['a', 'b'] });
    expect(partialInput(ARGS, tokenize('role'))).toEqual({});
    expect(partialInput(shareCommand.args, tokenize('sc-prod with'))).toEqual({ name: 'sc-prod' });
  });

  it('hostile values go through commandLineFrom and come back exactly, as the command parser reads them', () => {
    const find = (verb: string) => createCommandRegistry().find(verb);
    for (const value of HOSTILE) {
      const submit = readFormSubmit({ form: 'share', name: value, with: 'Platform', project: '' }, find);
      expect(submit?.line).toBe(commandLineFrom('share', shareCommand.args, { name: value, with: 'Platform' }));
      const parsed = shareCommand.parse(tokenize(submit!.line, { verbatim: true }).slice(1));
      expect(parsed).toEqual({ ok: true, value: { name: value, other: 'Platform', project: undefined } });
    }
  });

  it('reads a submit: lists split, a flag only when true, nothing it did not ask for; refuses what no form sends', () => {
    const find = (verb: string) => createCommandRegistry().find(verb);
    const submit = readFormSubmit({ form: 'create', name: 'sc-new', project: 'Payments', subscription: 'sub', newApp: 'true', app: '', pipelines: 'ci, nightly', command: 'delete failed', connectionId: 'x' }, find);
    expect(submit?.input).toEqual({ name: 'sc-new', project: 'Payments', subscription: 'sub', newApp: true, pipelines: ['ci', 'nightly'] });
    expect(submit?.line).toBe('create sc-new in Payments subscription sub new app for ci, nightly');
    expect(readFormSubmit({ form: 'create', newApp: 'false', name: 'a' }, find)?.input).toEqual({ name: 'a' });
    expect(readFormSubmit({ form: 'list' }, find)).toBeUndefined();
    expect(readFormSubmit({ form: 'delete' }, find)).toBeUndefined();
    expect(readFormSubmit({ name: 'x' }, find)).toBeUndefined();
    expect(readFormSubmit('create', find)).toBeUndefined();
    expect(readFormSubmit({ form: 'create', name: 'a'.repeat(5_000) }, find)?.input).toEqual({});
  });
});

const registry = createCommandRegistry();
const run = (text: string, ctx = commandContext()) => registry.dispatch(tokenize(text), ctx);
const formOf = (reply: Reply) => {
  expect(reply.kind).toBe('card');
  const card = renderView((reply as Extract<Reply, { kind: 'card' }>).view);
  expectValid(card);
  return card;
};
const choicesOf = (card: Record<string, unknown>, id: string): string[] => inputsOf(card).find((i) => i.id === id)?.choices?.map((c) => c.value) ?? [];

describe('each operation\'s form, through the registry', () => {
  it('create: project, subscription, app and role choices; pipelines of the project given', async () => {
    const card = formOf(await run('create sc-new in Payments'));
    expect(choicesOf(card, 'project')).toEqual(['Payments', 'Platform', 'Data Science']);
    expect(choicesOf(card, 'role')).toContain('Contributor');
    expect(choicesOf(card, 'subscription').length).toBeGreaterThan(0);
    expect(JSON.stringify(card)).toContain('"value":"sc-new"');
    expect(createCommand.form).toBeDefined();
  });

  it('share: the connections, and the projects it is not in yet', async () => {
    const card = formOf(await run('share sc-prod with'));
    expect(choicesOf(card, 'name')).toContain('sc-prod');
    expect(choicesOf(card, 'with')).toEqual(['Platform', 'Data Science']);
  });

  it('restrict: `restrict <name> to` asks for the pipelines of the connection\'s project', async () => {
    const card = formOf(await run('restrict sc-prod to'));
    expect(choicesOf(card, 'name')).toContain('sc-prod');
    expect(JSON.stringify(card)).toContain('"value":"sc-prod"');
    expect(restrictCommand.form).toBeDefined();
  });

  it('a complete line never gets a form; an unknown project in the form gets its usual answer', async () => {
    expect((await run('restrict sc-prod')).text).not.toContain('fill in what is missing');
    expect((await run('share sc-prod with Nowhere')).text).toContain('Nowhere');
  });
});

describe('default deny: a form is never the way round the gate', () => {
  // Conversations and tenants allowed, nobody a requester: every change command is refused before it is parsed.
  const denied = () => commandContext({ policy: { ...ALLOW_ALL_POLICY, requesters: { users: [], groups: [] } } });

  it('a person who may not create gets the refusal, not a form', async () => {
    const reply = await run('create', denied());
    expect(reply.kind === 'card' ? reply.view.template : 'text').not.toBe('form');
    expect(reply.text).not.toContain('fill in what is missing');
  });

  it('their submit is refused the same way and no form comes back with their values', async () => {
    const replies = await registry.submitForm({ form: 'create', name: 'sc-x', project: 'Payments', subscription: 'sub', newApp: 'true' }, denied());
    expect(replies).toHaveLength(1);
    expect(replies?.[0]?.kind === 'card' ? replies[0].view.template : 'text').not.toBe('form');
  });

  it('a submit carrying a secret is refused whole: no form echoes it back', async () => {
    const secret = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const replies = await registry.submitForm({ form: 'share', name: secret, with: 'Platform' }, commandContext());
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies)).not.toContain(secret);
  });
});
