/**
 * Issue 20, finding 5 over HTTP: junk connections named to steer a button (`sc-prod"`, `sc-prod<i>`, `sc&#45;prod`,
 * `sc-prod` + zero-width space, `failed`, `all`) get alert cards; tapping their buttons plans exactly that
 * connection — never the healthy `sc-prod`, never every failed one, never `convert all`. A button pinned to a
 * connection that is gone or renamed, or whose command is about something else, does nothing. Finding 6's markup
 * names arrive escaped in the card (the Playground test checks what is rendered).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { allTextOf } from '../support/adaptive-cards';
import { ISSUE_NAMES } from '../support/hostile-names';
import {
  cardOf, connection, DECOYS, EXPIRING_APP, PAYMENTS, PLATFORM, planOf, plannedIds, say, startHostileBot, tapButton, type Card, type HostileBot,
} from '../support/hostile-bot';

const CHANNEL = `19:alerts-${randomUUID()}@thread.tacv2`;
const MARKUP = ['[Approve as admin](https://evil.example/approve)', '**URGENT**'];

let bot: HostileBot;
const decoys = DECOYS();
// Every junk connection is failed (Delete on its alert), but `all`, whose app's secret is expiring (Convert).
const junk = ISSUE_NAMES.map((name) => connection(name, name === 'all' ? { app: EXPIRING_APP } : { failed: true }));
const marked = MARKUP.map((name) => connection(name, { failed: true }));
const alerts = new Map<string, Card>();

/** The alert card drawn for a connection: its Id fact names it (cards before issue 20 had only its name, raw). */
const alertFor = (e: ServiceEndpoint): Card => {
  const cards = [...alerts.values()];
  const card = cards.find((c) => JSON.stringify(c).includes(`"value":"${e.id}"`)) ?? cards.find((c) => allTextOf(c).includes(`Connection failed: ${e.name}\n`) || allTextOf(c).includes(`Secret expiring: ${e.name}\n`));
  if (!card) throw new Error(`no alert card for ${e.id}`);
  return card;
};
const button = (card: Card, title: string) => card.actions!.find((a) => a.title === title)!;

beforeAll(async () => {
  bot = await startHostileBot([...decoys, ...junk, ...marked]);
  await say(bot, CHANNEL, 'alerts on');
  expect((await bot.app.alerts.runNow()).kind).toBe('scanned');
  await bot.app.alerts.idle();
  for (const call of bot.connector.calls.filter((c) => c.kind === 'send' && c.conversationId === CHANNEL)) alerts.set(call.activityId ?? randomUUID(), cardOf(call));
});
afterAll(() => bot?.close());

describe('buttons drawn for hostile names act on that connection only', () => {
  it.each(ISSUE_NAMES.map((name, i) => [name, i] as const))('%j: its alert\'s fix plans exactly that connection', async (_name, i) => {
    const target = junk[i]!;
    const fix = button(alertFor(target), target.name === 'all' ? 'Convert' : 'Delete');
    const tapped = await tapButton(bot, CHANNEL, fix.data);
    expect(tapped.status).toBe(200);
    const plan = await planOf(bot, tapped.answer);
    if (plan) {
      expect(plan.items.map((item) => item.endpointId)).toEqual([target.id]);
      expect(plan.target).toEqual({ endpointId: target.id, projectId: PAYMENTS.id });
    }
    // The button carries the connection's id; the command names it exactly.
    expect(fix.data).toMatchObject({ connectionId: target.id });
    // A refusal (nothing to convert) is about the connection itself; nothing else is planned, ever.
    expect(JSON.stringify(tapped.answer?.body)).not.toContain(decoys[0]!.id);
    expect(new Set(await plannedIds(bot))).not.toContain(decoys[0]!.id);
    expect((await plannedIds(bot)).filter((id) => id !== target.id && !junk.some((j) => j.id === id))).toEqual([]);
  });

  it('Delete on `sc-prod"` plans the junk connection and its preview names it with its id', async () => {
    const target = junk[0]!;
    const tapped = await tapButton(bot, CHANNEL, button(alertFor(target), 'Delete').data);
    const plan = await planOf(bot, tapped.answer);
    expect(plan?.items.map((i) => i.endpointId)).toEqual([target.id]);
    expect(allTextOf(cardOf(tapped.answer!))).toContain(`connection ${target.id}`);
  });

  it('Show on a row of the alert card shows that connection (its id), not the healthy one', async () => {
    const target = junk[3]!;
    const tapped = await tapButton(bot, CHANNEL, button(alertFor(target), 'Show').data);
    const text = allTextOf(cardOf(tapped.answer!));
    expect(text).toContain(target.id);
    expect(text).toContain('sc-prod⟨U+200B⟩');
    expect(text).not.toContain(decoys[0]!.id);
  });
});

describe('a pinned button acts on its connection or on nothing', () => {
  it('the connection is gone: nothing is planned (no name search for `sc-prod`), and the answer says so', async () => {
    const gone = randomUUID();
    const before = await plannedIds(bot);
    const tapped = await tapButton(bot, CHANNEL, { command: 'delete sc-prod in Payments', connectionId: gone, projectId: PAYMENTS.id });
    expect(allTextOf(cardOf(tapped.answer!))).toContain(`This button was made for connection ${gone}, which is not there any more`);
    expect(await plannedIds(bot)).toEqual(before);
  });

  it('the connection was renamed: nothing is planned; the answer gives its name now', async () => {
    const target = decoys[1]!;
    const before = await plannedIds(bot);
    const tapped = await tapButton(bot, CHANNEL, { command: 'delete sc-prod-old in Payments', connectionId: target.id, projectId: PAYMENTS.id });
    expect(allTextOf(cardOf(tapped.answer!))).toContain('which is now called "sc-prod-eu"');
    expect(await plannedIds(bot)).toEqual(before);
  });

  it('a pinned command about no one connection (`delete failed`, `list`) is not run', async () => {
    const before = await plannedIds(bot);
    for (const command of ['delete failed in Payments', 'convert all', 'list failed']) {
      const tapped = await tapButton(bot, CHANNEL, { command, connectionId: junk[4]!.id, projectId: PAYMENTS.id });
      expect(allTextOf(cardOf(tapped.answer!))).toContain('does not act on one connection: I did nothing.');
    }
    expect(await plannedIds(bot)).toEqual(before);
  });

  it('a pin to another project than the command names is refused', async () => {
    const tapped = await tapButton(bot, CHANNEL, { command: 'show sc-prod in Payments', connectionId: decoys[0]!.id, projectId: PLATFORM.id });
    expect(allTextOf(cardOf(tapped.answer!))).toContain('which is not there any more (or not in that project)');
  });

  it('button data the bot never wrote is still a bad request (400)', async () => {
    for (const data of [{ command: 'show sc-prod', connectionId: 'sc-prod' }, { command: 'show sc-prod', connectionId: 42 }, { command: 'show sc-prod', projectId: PAYMENTS.id }, { command: 7 }]) {
      expect((await tapButton(bot, CHANNEL, data)).status).toBe(400);
    }
  });

  it('typed commands still find connections by name', async () => {
    const reply = await say(bot, CHANNEL, 'show sc-prod');
    expect(allTextOf(cardOf(reply))).toContain(decoys[0]!.id);
  });
});

describe('outside markup arrives escaped', () => {
  it.each(MARKUP.map((name, i) => [name, i] as const))('%j: its alert card carries no live link or emphasis', (_name, i) => {
    // What the card shows (texts, facts); the button's data carries the exact name, and is never rendered.
    const shown = allTextOf(alertFor(marked[i]!));
    expect(shown).not.toContain(marked[i]!.name);
    expect(shown).not.toContain('](https://evil');
    expect(shown).not.toMatch(/(?<!\\)\*\*/);
  });
});
