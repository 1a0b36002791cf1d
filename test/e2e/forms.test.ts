/**
 * Issue 27, forgiving input, end to end in local mode (`npm start`'s stack, the demo seed): a form instead of the
 * usage line for `create` and `share … with`, its submit run as the typed line would be (a bad value answered the
 * same way, the form offered again with the values kept); `revert` with no name lists only what can be reverted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { closeLocalStack, startLocalStack } from '../support/local-stack';
import { localChat, type Card } from '../support/local-chat';
import { midWordCutsIn, rawCodesIn } from '../support/card-checks';
import { inputsOf } from '../support/adaptive-cards';

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startLocalStack());
});
afterAll(() => closeLocalStack(stack, connector));

const { say, tap } = localChat(() => stack, () => connector);

const SUB = '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';
const APP = '3e7a9c1b-5d2f-5a8e-b4c6-1f0d2e3a4b5c';

const input = (card: Card, id: string) => inputsOf(card).find((i) => i.id === id);
const choices = (card: Card, id: string) => input(card, id)?.choices?.map((c) => c.value) ?? [];
const formData = (card: Card) => card.actions?.find((a) => a.verb === 'form')?.data as Record<string, unknown> | undefined;

function expectReadable(card: Card): void {
  expect(rawCodesIn(card as Record<string, unknown>)).toEqual([]);
  expect(midWordCutsIn(card as Record<string, unknown>)).toEqual([]);
}

describe('create: a form instead of a 40-word line', () => {
  it('`create` → a form → submitted → the ordinary plan card', async () => {
    const { conversationId, card, text } = await say('create');
    expect(text).toContain('Create: fill in what is missing');
    expectReadable(card);
    expect(inputsOf(card).map((i) => i.id)).toEqual(['name', 'project', 'subscription', 'resourceGroup', 'app', 'identity', 'newApp', 'role', 'pipelines']);
    expect(choices(card, 'project')).toEqual(expect.arrayContaining(['Payments', 'Platform', 'Data Science']));
    expect(choices(card, 'subscription')).toContain(SUB);
    expect(choices(card, 'role')).toContain('Contributor');
    const submitted = await tap(conversationId, 'form', { ...formData(card), name: 'sc-form-release', project: 'Payments', subscription: SUB, app: APP, role: 'Contributor', pipelines: 'payments-deploy', newApp: 'false' });
    expect(submitted.status).toBe(200);
    expect(submitted.texts[0]).toContain('sc-form-release');
    expect(submitted.cards[0]?.actions?.map((a) => a.verb)).toContain('approve');
  });

  it('`create sc-x in Payments` fills in what was typed and offers the project\'s pipelines', async () => {
    const { card } = await say('create sc-x in Payments');
    expect(input(card, 'name')?.value).toBe('sc-x');
    expect(input(card, 'project')?.value).toBe('Payments');
    expect(choices(card, 'pipelines')).toEqual(expect.arrayContaining(['payments-ci', 'payments-deploy', 'nightly']));
  });

  it('a bad role: the same clear answer as typed, then the form again with every value kept', async () => {
    const { conversationId, card } = await say('create');
    const values = { name: 'sc-form-bad-role', project: 'Payments', subscription: SUB, app: APP, role: 'Superuser', pipelines: 'payments-deploy' };
    const submitted = await tap(conversationId, 'form', { ...formData(card), ...values }, 2);
    const typed = await say(`create sc-form-bad-role in Payments subscription ${SUB} app ${APP} role Superuser for payments-deploy`);
    expect(submitted.texts[0]).toBe(typed.text);
    expect(submitted.texts[0]).toContain('Superuser');
    const again = submitted.cards[1]!;
    expect(submitted.texts[1]).toContain('Your values are kept');
    for (const [id, value] of Object.entries(values)) expect(input(again, id)?.value, id).toBe(value);
    expectReadable(again);
  });
});

describe('share … with: a form', () => {
  it('`share sc-dev with` offers the projects it is not in yet, and its submit plans the share', async () => {
    const { conversationId, card } = await say('share sc-dev with');
    expect(input(card, 'name')?.value).toBe('sc-dev');
    expect(choices(card, 'with')).toEqual(expect.arrayContaining(['Platform', 'Data Science']));
    expect(choices(card, 'with')).not.toContain('Payments');
    const submitted = await tap(conversationId, 'form', { ...formData(card), name: 'sc-dev', with: 'Platform' });
    expect(submitted.texts[0]).toContain('sc-dev');
    expect(submitted.cards[0]?.actions?.map((a) => a.verb)).toContain('approve');
  });

  it('hostile values in a submit are quoted like typed text: one name, answered and kept, never run as more', async () => {
    const { conversationId, card } = await say('share');
    for (const name of ['sc-dev" with Platform in "Payments', '**sc** [x](http://evil) <at>bot</at>']) {
      const submitted = await tap(conversationId, 'form', { ...formData(card), name, with: 'Platform' }, 2);
      expect(submitted.cards[0]?.actions?.map((a) => a.verb) ?? []).not.toContain('approve');
      expect(input(submitted.cards[1]!, 'name')?.value).toBe(name);
    }
  });

  it('a submit naming a command without a form, or no command, is refused', async () => {
    const { conversationId } = await say('help');
    expect((await tap(conversationId, 'form', { form: 'delete', name: 'sc-dev' })).status).toBe(400);
    expect((await tap(conversationId, 'form', { name: 'sc-dev' })).status).toBe(400);
  });
});

describe('a missing name: a pick-list of what the command would accept', () => {
  it('`revert` lists only connections inside their revert window; a tap previews the revert', async () => {
    const { conversationId, card, text } = await say('revert');
    expect(text).toContain('Which connection?');
    expect(card.actions?.map((a) => a.title)).toEqual(['sc-converted (Payments)']);
    const button = card.actions![0]!;
    const tapped = await tap(conversationId, 'command', button.data as Record<string, unknown>);
    expect(tapped.texts[0]).toContain('sc-converted');
    expect(tapped.cards[0]?.actions?.map((a) => a.verb)).toContain('approve');
  });

  it('`enable` lists only disabled connections; `show` many, capped with a list hint', async () => {
    expect((await say('enable')).card.actions?.map((a) => a.title)).toEqual(['status-page (Payments)']);
    const shown = await say('show');
    expect(shown.card.actions).toHaveLength(5);
    expect(shown.text).toMatch(/\d+ more can: say `list`/);
  });
});
