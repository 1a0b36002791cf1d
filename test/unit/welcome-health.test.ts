import { describe, expect, it } from 'vitest';
import { createCommandRegistry, tokenize } from '../../src/commands';
import type { AlertControl } from '../../src/commands/command';
import { isGreeting } from '../../src/commands/greeting';
import { welcomeReply } from '../../src/cards/welcome-view';
import { buildHealthView, healthSummary } from '../../src/cards/health-view';
import { renderView } from '../../src/cards/presenter';
import type { CardView } from '../../src/cards/card';
import { findingOf } from './alert-fixture';
import { DEFAULT_THRESHOLDS } from '../../src/domain/findings';
import { commandContext } from './commands-fixture';
import { healthInput, HEALTH_NOW } from './health-fixture';
import { cardTextProblems, visibleTexts } from '../support/card-checks';

const SCAN = { startedAt: '2026-11-22T06:00:00.000Z', ok: true, findings: [findingOf('failed', 1), findingOf('failed', 3), findingOf('secret-expiring', 2)] };
const SETTINGS = { intervalMinutes: 60, reminderHours: 24, digestOver: 3, thresholds: { ...DEFAULT_THRESHOLDS }, checkUnused: true, projects: ['Payments'] };

/** A radar that answers from memory: the last scan, a subscription, the trend. */
function radar(o: { subscribed?: boolean; scan?: typeof SCAN; days?: number } = {}): AlertControl {
  const trend = healthInput({ days: o.days ?? 0 }).trend.map((d) => ({ ...d, connections: 30 }));
  return {
    subscribe: async () => true, unsubscribe: async () => true, startScan: () => 'started',
    status: async () => ({ settings: SETTINGS, subscriptions: 1, ...(o.subscribed ? { subscription: { conversationId: 'c', reference: {}, subscribedBy: { name: 'Dana' }, subscribedAt: HEALTH_NOW } } : {}), ...(o.scan ? { lastScan: { ...o.scan, finishedAt: o.scan.startedAt } } : {}) }),
    trend: async (days) => trend.slice(-days),
  } as AlertControl;
}

const buttons = (card: CardView | undefined) => JSON.stringify(card ? renderView(card) : {}).match(/"title":"[^"]*","verb":"command","data":\{"command":"[^"]*"/g)?.map((m) => /"command":"([^"]*)"/.exec(m)?.[1]) ?? [];

describe('greetings', () => {
  it('reads greetings and short questions about the bot as a greeting, never a typo of a command', () => {
    for (const said of ['hello', 'Hi!', 'hey there', 'good morning', 'what can you do?', 'how does this work', 'thanks']) expect(isGreeting(tokenize(said)), said).toBe(true);
    for (const said of ['lst', 'what', '"hello"', 'hello '.repeat(9), 'list failed', '']) expect(isGreeting(tokenize(said)), said).toBe(false);
  });

  it('issue 27: "help me", "?" and the like get the welcome; a command after a greeting is run, never swallowed', async () => {
    const registry = createCommandRegistry();
    const reply = async (said: string) => registry.dispatch(tokenize(said), commandContext({ alerts: radar({ scan: SCAN }) }));
    for (const said of ['hi', 'hello there', 'what can you do?', 'help me', 'help?', 'please help me', '?', '??']) {
      expect((await reply(said)).text, said).toMatch(/^Hi! I keep your Azure DevOps service connections healthy/);
    }
    // `help` and `help <command>` stay help; a greeting before a command runs the command.
    expect((await reply('help')).text).toMatch(/^Commands: help, welcome, list/);
    expect((await reply('help list')).text).toMatch(/^`list`: List service connections/);
    expect((await reply('hi, help list')).text).toMatch(/^`list`: List service connections/);
    expect((await reply('hi, list failed')).text).toMatch(/^Failed service connections/);
    expect((await reply('hello there show sc-prod')).text).toMatch(/^sc-prod: azurerm/);
    expect((await reply('lst')).text).toMatch(/don't know the command `lst`/);
  });
});

describe('the welcome', () => {
  it('says what is watched and what is wrong now, with the four start buttons', async () => {
    const reply = await createCommandRegistry().dispatch(tokenize('hello'), commandContext({ alerts: radar({ scan: SCAN }) }));
    expect(reply.kind).toBe('card');
    const card = reply.kind === 'card' ? reply.view : undefined;
    const texts = visibleTexts(renderView(card as CardView)).join('\n');
    expect(texts).toContain('I watch the service connections of Payments');
    expect(texts).toContain('Right now (scan of 2026-11-22 06:00 UTC): 2 failed · 1 with a secret expiring.');
    expect(texts).not.toContain('mention me first');
    expect(buttons(card as CardView)).toEqual(['list failed', 'health', 'alerts on', 'help']);
    expect(cardTextProblems(renderView(card as CardView))).toEqual([]);
  });

  it('in a channel says to mention the bot; where alerts are on, its alerts button shows their status', () => {
    const reply = welcomeReply({ conversationType: 'channel', projects: [], alertsOn: true });
    const card = reply.kind === 'card' ? reply.view : undefined;
    const texts = visibleTexts(renderView(card as CardView)).join('\n');
    expect(texts).toContain('every Azure DevOps service connection I can see');
    expect(texts).toContain('I have not scanned yet');
    expect(texts).toContain('mention me first: **@scbot list failed**');
    expect(buttons(card as CardView)).toEqual(['list failed', 'health', 'alerts status', 'help']);
  });

  it('still greets when the radar\'s records cannot be read, and logs why', async () => {
    const broken = { ...radar(), status: async () => { throw new Error('store down'); } } as AlertControl;
    const ctx = commandContext({ alerts: broken });
    const reply = await createCommandRegistry().dispatch([], ctx);
    expect(reply.text).toMatch(/^Hi! I keep your Azure DevOps service connections healthy/);
    const texts = visibleTexts(renderView((reply as { view: CardView }).view)).join('\n');
    expect(texts).toContain('I cannot read my last scan right now');
    expect(ctx.lines.some((l) => l.includes('welcome without the radar'))).toBe(true);
  });

  it('a failed last scan is said as such, a clean one as nothing wrong', () => {
    const said = (lastScan: { startedAt: string; ok: boolean; findings: [] }) => visibleTexts(renderView((welcomeReply({ conversationType: 'personal', projects: [], alertsOn: false, lastScan }) as { view: CardView }).view)).join('\n');
    expect(said({ startedAt: SCAN.startedAt, ok: false, findings: [] })).toContain('could not read Azure DevOps: tap **Health** for what I knew before');
    expect(said({ startedAt: SCAN.startedAt, ok: true, findings: [] })).toContain('Nothing wrong as of my scan of 2026-11-22 06:00 UTC.');
  });
});

describe('the health command and card', () => {
  it('takes no arguments', async () => {
    const reply = await createCommandRegistry().dispatch(tokenize('health now'), commandContext({ alerts: radar() }));
    expect(reply.text).toContain('`health` takes no arguments.');
  });

  it('draws the last scan and the trend the radar recorded', async () => {
    const reply = await createCommandRegistry().dispatch(tokenize('health'), commandContext({ alerts: radar({ scan: SCAN, days: 40 }) }));
    expect(reply.kind).toBe('card');
    const view = (reply as { view: { template: string; model: ReturnType<typeof buildHealthView> } }).view;
    expect(view.template).toBe('health');
    expect(view.model.severityFacts.map((f) => f.value)).toEqual(['2', '1', '0']);
    expect(view.model.trendData[0]?.values).toHaveLength(30);
    expect(reply.text).toBe('Health of your service connections: 2 critical · 1 warning · 0 info.');
  });

  it('before any scan says how to get one; with one day, that the trend needs two', () => {
    const none = buildHealthView({ now: HEALTH_NOW, trend: [] });
    expect([none.hasScan, none.hasFindings, none.subtitle]).toEqual([false, false, 'No scan yet: say `alerts scan` and ask again in a minute.']);
    expect(healthSummary(none)).toBe('Health of your service connections: No scan yet: say `alerts scan` and ask again in a minute.');
    const oneDay = buildHealthView(healthInput({ days: 1 }));
    expect([oneDay.hasTrend, oneDay.trendNote]).toEqual([false, 'The trend shows once I have scanned on two different days.']);
  });

  it('counts the secretless share, the secrets ending by week, and the projects with most findings (the rest as one bar)', () => {
    const findings = Array.from({ length: 9 }, (_, i) => findingOf('failed', i, { project: `P${i}` }));
    const view = buildHealthView(healthInput({ findings }));
    expect(view.shareTitle).toBe('Without a secret: 12 of 30 connections (40%)');
    expect(view.expiryTitle).toBe('Secrets ending in the next 8 weeks: 8');
    expect(view.expiryFacts[0]).toEqual({ title: 'Already ended', value: '1 connection' });
    expect(view.projectData.map((p) => p.x)).toEqual(['P0', 'P1', 'P2', 'P3', 'P4', 'P5', '3 other projects']);
    expect(view.moreLine).toBe('Most findings: P0 1 · P1 1 · P2 1. Secrets ending within 8 weeks: 8.');
  });

  it('offers Migrate issuer all only when a connection on the old issuer is one the bot can move', () => {
    const refused = findingOf('retiring-issuer', 1, { refused: { migrate: 'multitenant app (AzureADMultipleOrgs): multitenant apps keep the Azure DevOps issuer.' } });
    const commands = (findings: ReturnType<typeof findingOf>[]) => buildHealthView(healthInput({ findings })).actions.map((a) => a.command);
    expect(commands([refused])).toEqual(['list failed', 'alerts status']);
    expect(commands([refused, findingOf('retiring-issuer', 2)])).toEqual(['list failed', 'alerts status', 'migrate issuer all']);
  });

  it('shows no raw code and cuts no word, with its charts read by their fallback', () => {
    const card = renderView({ template: 'health', model: buildHealthView(healthInput()) });
    expect(cardTextProblems(card)).toEqual([]);
    expect(visibleTexts(card).join('\n')).toContain('🛑 Critical: ');
  });
});
