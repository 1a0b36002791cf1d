/**
 * Issue 27: a command about one connection, typed without its name, lists the connections it would take now (its
 * planner's own test), each a button pinned to the connection's id; many are capped with a `list` hint.
 */
import { describe, expect, it } from 'vitest';
import { createCommandRegistry, tokenize, type Reply } from '../../src/commands';
import { renderView } from '../../src/cards/presenter';
import { midWordCutsIn, rawCodesIn } from '../support/card-checks';
import { ALL, commandContext, DATA, demoEndpoints, NOW, PAYMENTS, PLATFORM, SC_PROD } from './commands-fixture';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { PICKS_MAX } from '../../src/commands/pick-list';

const registry = createCommandRegistry();
const run = (text: string, ctx = commandContext()) => registry.dispatch(tokenize(text), ctx);

function buttons(reply: Reply): Array<{ title: string; data: Record<string, unknown> }> {
  expect(reply.kind).toBe('card');
  const card = renderView((reply as Extract<Reply, { kind: 'card' }>).view);
  expect(rawCodesIn(card)).toEqual([]);
  expect(midWordCutsIn(card)).toEqual([]);
  return (card.actions ?? []) as Array<{ title: string; data: Record<string, unknown> }>;
}

describe('a missing name: the connections the command would take', () => {
  it('revert: only a connection inside its revert window, as a button pinned to its id', async () => {
    const [only, ...rest] = buttons(await run('revert'));
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ title: 'sc-prod (Payments)', data: { command: 'revert sc-prod in Payments', connectionId: SC_PROD.id } });
    // After the window closes, nothing is offered: never a connection the preview would then refuse.
    const later = commandContext({ clock: { now: () => new Date('2026-11-26T00:00:00Z') } });
    const none = await run('revert', later);
    expect(buttons(none)).toEqual([]);
    expect(none.text).toContain('None I can see can take `revert` now');
  });

  it('rotate: only connections with a client secret, capped with a list hint; `in <project>` narrows it', async () => {
    const reply = await run('rotate');
    const titles = buttons(reply).map((b) => b.title);
    expect(titles).toHaveLength(PICKS_MAX);
    expect(titles).not.toContain('sc-prod (Payments)');
    expect(titles).not.toContain('github-contoso (Platform)');
    expect(reply.text).toMatch(/\d+ more can: say `list`/);
    // The typed form's placeholders read ‹name›: a card's markdown would drop `<name>` as an unknown HTML tag.
    expect(reply.text).toContain('rotate ‹name›');
    expect(reply.text).not.toContain('<name>');
    const platform = buttons(await run('rotate in Platform')).map((b) => b.title);
    expect(platform).toEqual(['sc-common (Platform)', 'sc-old-failed (Platform)', 'sc-shared (Platform)']);
    // A project the bot does not look at gets the usual answer, its suggestion keeping the verb.
    const typo = await run('rotate in Paymnts');
    expect(typo.text).toContain('I don\'t look at a project called "Paymnts"');
    expect(buttons(typo).map((b) => b.data.command)).toEqual(['rotate in Payments']);
  });

  it('migrate issuer: its two-word verb on every button, only connections the planner would move', async () => {
    // Federated like sc-prod, but already on the Entra issuer, or in a sovereign cloud: the planner refuses both.
    const variant = (name: string, id: string, parameters: Record<string, string>, data: Record<string, string> = {}): ServiceEndpoint => ({
      ...SC_PROD, id, name, data: { ...SC_PROD.data, ...data },
      authorization: { scheme: SC_PROD.authorization?.scheme ?? '', parameters: { ...SC_PROD.authorization?.parameters, ...parameters } },
    });
    const entra = variant('sc-entra', 'bbbbbbbb-0000-4000-8000-000000000001', { workloadIdentityFederationIssuer: 'https://login.microsoftonline.com/tenant-1/v2.0' });
    const china = variant('sc-china', 'bbbbbbbb-0000-4000-8000-000000000002', {}, { environment: 'AzureChinaCloud' });
    const ctx = () => commandContext({ endpoints: new InMemoryServiceEndpoints([PAYMENTS, PLATFORM, DATA], [...ALL, entra, china]) });
    for (const typed of ['migrate issuer', 'migrate']) {
      const reply = await run(typed, ctx());
      expect(buttons(reply), typed).toEqual([expect.objectContaining({ title: 'sc-prod (Payments)', data: expect.objectContaining({ command: 'migrate issuer sc-prod in Payments', connectionId: SC_PROD.id }) })]);
      expect(reply.text).toContain('can take `migrate issuer` now');
    }
    // The button's line is one the command reads: it proposes the move of exactly that connection.
    const tapped = await run('migrate issuer sc-prod in Payments', ctx());
    expect(tapped.text).not.toContain('Which connection?');
  });

  it('a name typed, or another word given, is never a pick-list', async () => {
    expect((await run('rotate sc-nothing')).text).not.toContain('Which connection? These');
    expect((await run('convert all')).text).not.toContain('Which connection?');
  });

  it('choices that cannot be read fall back to the usage answer, never an error card', async () => {
    const endpoints = demoEndpoints();
    const broken = Object.assign(Object.create(endpoints) as typeof endpoints, { list: () => Promise.reject(new Error('down')) });
    const reply = await run('revert', commandContext({ endpoints: broken }));
    expect(reply).toEqual({ kind: 'text', text: expect.stringContaining('Which connection? Give its name.') });
    const form = await run('share', commandContext({ endpoints: broken }));
    expect(form.text).toContain('Usage: `share');
  });
});

describe('NOW is the fixture\'s clock', () => {
  it('is before sc-prod\'s revert deadline', () => {
    expect(NOW.getTime()).toBeLessThan(new Date('2026-11-25T05:00:00.000Z').getTime());
  });
});
