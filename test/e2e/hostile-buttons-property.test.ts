/**
 * Issue 20 ("Also"): for connections with generated hostile names (quotes, keywords, markup, entities, bidi,
 * zero-width, look-alikes, very long), every button the bot draws that acts on a connection targets exactly the
 * connection it was drawn for — checked by tapping it through the real path (HTTP invoke → tap handler →
 * tokenizer → registry → command → plan), never by reading the card alone. The buttons: each alert kind's
 * buttons and its row in a digest (and as resolved), the access card's, "which one?" / "did you mean" choices,
 * "plan again" on a plan's card, and (issue 27) the list row and its fix, and the show card's buttons.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalState } from '../../src/approvals/approval-card';
import { alertRows, findingActions, KIND_TITLE } from '../../src/cards/alert-view';
import { commandAction, type CommandData } from '../../src/cards/command-action';
import { buildAccessView } from '../../src/cards/connection-access-view';
import { buildListView, toConnectionRow } from '../../src/cards/connection-list-view';
import { buildDetailView } from '../../src/cards/connection-detail-view';
import { SECRET_IN_CHAT } from '../../src/commands/secret-guard';
import { quoteArg } from '../../src/domain/command-line';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import type { Finding, FindingKind } from '../../src/domain/findings';
import type { Plan } from '../../src/domain/plan';
import { allTextOf } from '../support/adaptive-cards';
import { cardOf, connection, DECOYS, PAYMENTS, PLATFORM, planOf, plannedIds, plannedSince, say, startHostileBot, tapButton, type HostileBot } from '../support/hostile-bot';
import { hostileName } from '../support/hostile-names';

const CHANNEL = `19:buttons-${randomUUID()}@thread.tacv2`;
const decoys = DECOYS();
let bot: HostileBot;

beforeAll(async () => {
  bot = await startHostileBot(decoys);
});
afterAll(() => bot?.close());

/** A button as drawn: what it sends back, and the connection it was drawn for. */
interface Drawn { label: string; data: CommandData; drawnFor: string }

function findingButtons(e: ServiceEndpoint): Drawn[] {
  const kinds = Object.keys(KIND_TITLE) as FindingKind[];
  return kinds.flatMap((kind) => {
    const f: Finding = { key: `${kind}:${e.id}`, kind, endpointId: e.id, name: e.name, project: PAYMENTS.name!, detail: 'd', severity: 'warning', suggestedAction: 'rotate' };
    // The unused connections' one row is not a button (tap false): it draws no command to tap.
    const rows = [...alertRows([f]).rows, ...alertRows([f], true).rows].filter((r) => r.tap);
    return [...findingActions(f), ...rows].map((a) => ({ label: `${kind} ${a.title}`, data: a.data, drawnFor: e.id }));
  });
}

function accessButtons(e: ServiceEndpoint): Drawn[] {
  const view = buildAccessView({ name: e.name, project: PAYMENTS.name!, pin: { connectionId: e.id, projectId: PAYMENTS.id }, permissions: { allPipelines: true, pipelines: [] }, pipelines: [], used: [], roles: [] });
  return view.actions.map((a) => ({ label: `access ${a.title}`, data: a.data, drawnFor: e.id }));
}

/** A `list failed` row (tap: show) and its fix button, and the show card's buttons, as drawn for the connection. */
function readCardButtons(e: ServiceEndpoint): Drawn[] {
  const list = buildListView({ rows: [toConnectionRow(PAYMENTS.name!, e)], filter: 'failed', hiddenFailed: 0, projectCount: 1, page: 1, command: 'list failed' });
  const rows = list.groups.flatMap((g) => g.rows).filter((r) => r.tap);
  const listed = rows.flatMap((r) => [{ label: 'list row', data: r.data as CommandData, drawnFor: e.id }, ...r.fixes.map((f) => ({ label: `list ${f.title}`, data: f.data, drawnFor: e.id }))]);
  const shown = buildDetailView({ endpoint: e, project: PAYMENTS.name!, executions: [], now: new Date() }).actions.map((a) => ({ label: `show ${a.title}`, data: a.data, drawnFor: e.id }));
  return [...listed, ...shown];
}

/** "Plan again" as an expired plan's card draws it. */
function planAgainButtons(plan: Plan): Drawn[] {
  const now = new Date().toISOString();
  const record = { planId: plan.id, planVersion: 'v', state: 'expired' as const, requester: { id: '29:x', name: 'X' }, conversation: { id: CHANNEL, type: 'channel' }, createdAt: now, expiresAt: now, approvers: [], approvalsNeeded: 1, updatedAt: now };
  return approvalState(record, plan).commands.map((c) => ({ label: 'plan again', data: commandAction(c).data, drawnFor: plan.target?.endpointId ?? '' }));
}

/** The buttons of an answer that are pinned to a connection ("which one?", "did you mean"): each drawn for its pin. */
function pinnedButtonsOf(answer: Parameters<typeof cardOf>[0]): Drawn[] {
  return (cardOf(answer).actions ?? []).filter((a) => typeof a.data?.connectionId === 'string')
    .map((a) => ({ label: `choice ${a.title}`, data: a.data as unknown as CommandData, drawnFor: a.data!.connectionId as string }));
}

/** The same data drawn twice (Show on several alert kinds) is tapped once. */
function distinct(buttons: readonly Drawn[]): Drawn[] {
  const seen = new Set<string>();
  return buttons.filter((b) => !seen.has(JSON.stringify(b.data)) && Boolean(seen.add(JSON.stringify(b.data))));
}

/**
 * Taps one button and checks it acted on the connection it was drawn for, or did nothing at all: a plan proposed
 * by a tap is always its answer (src/commands/mutating.ts planReply), so the answer shows what was planned.
 */
async function expectTargets(button: Drawn, names: ReadonlyMap<string, string>): Promise<Plan | undefined> {
  // A conversation per tap: the connector stand-in throttles one conversation as Teams does (8 posts per 2 s).
  const tapped = await tapButton(bot, `${CHANNEL}-${randomUUID()}`, button.data);
  // Data the bot wrote is never refused as data it did not write.
  expect(tapped.status, button.label).toBe(200);
  const body = JSON.stringify(tapped.answer?.body);
  const shown = allTextOf(cardOf(tapped.answer!));
  // The pin held: the connection was found by its id with the name the button carries.
  expect(shown, button.label).not.toContain('This button was made for connection');
  for (const [id] of names) if (id !== button.drawnFor) expect(body, `${button.label}: mentions another connection`).not.toContain(id);
  const plan = await planOf(bot, tapped.answer);
  if (plan) expect(plan.items.map((i) => i.endpointId), button.label).toEqual([button.drawnFor]);
  // A card about one connection (show, access) shows its id. The one other answer: a name that looks like a secret
  // (a long random word) is refused whole by the secret guard, as typed text would be, and nothing is done.
  const guarded = String(tapped.answer?.body.text ?? '').includes(SECRET_IN_CHAT.split('.')[0] as string);
  if (/^(show|access) /.test(button.data.command) && !guarded) expect(shown, button.label).toContain(button.drawnFor);
  return plan;
}

describe('every button drawn for a hostile name targets that connection (fast-check, through the tap path)', () => {
  it('alerts, access, choices and plan again', async () => {
    const names = new Map(decoys.map((d) => [d.id, d.name] as const));
    await fc.assert(fc.asyncProperty(hostileName, async (name) => {
      const taken = [...names.values()].some((n) => n.toLowerCase() === name.toLowerCase());
      fc.pre(!taken);
      const made = await bot.devops.create(connection(name, { failed: true }));
      const twin = await bot.devops.create(connection(name, { project: PLATFORM }));
      names.set(made.id, name).set(twin.id, name);
      const before = await plannedIds(bot);
      let plan: Plan | undefined;
      for (const button of distinct([...findingButtons(made), ...accessButtons(made), ...readCardButtons(made)])) plan = (await expectTargets(button, names)) ?? plan;
      if (plan) for (const button of planAgainButtons(plan)) await expectTargets(button, names);
      // The audit trail agrees: what the buttons planned is this run's connection, never a decoy or an earlier one.
      expect(plannedSince(before, await plannedIds(bot)).filter((id) => id !== made.id)).toEqual([]);
      // Typed (as Teams sends it: HTML), the name is in two projects, or after Teams' clean-up (zero-width space is
      // a space) perhaps in none: whatever the bot offers to choose from is pinned, each choice to its connection.
      const asked = await say(bot, `${CHANNEL}-${randomUUID()}`, `delete ${quoteArg(name)}`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      for (const button of pinnedButtonsOf(asked)) await expectTargets(button, names);
      // No shrinking: each step makes connections and taps a dozen buttons; the first counterexample is readable.
    }), { numRuns: 20, endOnFailure: true });
  }, 180_000);
});
