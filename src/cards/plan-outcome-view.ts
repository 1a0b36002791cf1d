/**
 * What a finished plan did, for the outcome card: the result first, then per connection name → result (grouped by
 * reason, so 40 identical skips are one line with the names), the people and how long the run took, and the next
 * steps the operation offers. The executor's typed reasons are worded here (outcomeText), when drawn.
 */
import type { ApprovalPerson, ApprovalRecord } from '../domain/approval';
import type { CommandButton } from '../domain/command-line';
import type { Plan } from '../domain/plan';
import type { RunItem, RunReport } from '../execution/run-report';
import { formatUtc, plural, TONE_ICON } from './format';
import { outcomeText } from './outcome-text';
import { operationHooks, operationOf } from '../operations/operations';
import { itemButton } from '../operations/operation-hooks';
import { outsideProse, outsideText } from './outside-text';

const STATUS_ICON: Record<RunItem['status'], string> = { done: TONE_ICON.good, skipped: '⏭️', failed: TONE_ICON.attention };
const NAMES_SHOWN = 8;
const GROUPS_MAX = 6;
/** Room for the issuer move's line whole: issuer URL, subject and the date it stops working. */
const REASON_MAX = 900;
/** Who runs an approved plan: the bot, with its own identity (never the person who approved it). */
export const RUNNER = 'scbot';

const who = (p: ApprovalPerson): string => outsideText(p.name || p.id, 60);

/** "under a second", "12 s", "1 min 05 s": how long a run took, from the record's timestamps. */
export function durationText(fromIso: string, toIso: string): string {
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (Number.isNaN(ms)) return '';
  if (ms < 1000) return 'under a second';
  const seconds = Math.round(ms / 1000);
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m} min ${String(seconds % 60).padStart(2, '0')} s` : `${seconds} s`;
}

/** Requested by…; run by scbot, approved by…, when and for how long: the people and times behind the outcome. */
export function peopleLines(record: ApprovalRecord): string[] {
  const lines = [`Requested by ${who(record.requester)} on ${formatUtc(record.createdAt) ?? record.createdAt}.`];
  const approved = record.approvers.length ? `approved by ${record.approvers.map(who).join(' and ')}` : '';
  const o = record.outcome;
  if (o?.startedAt && o.finishedAt) lines.push(`Run by ${RUNNER}${approved ? `, ${approved}` : ''}, on ${formatUtc(o.startedAt)}; took ${durationText(o.startedAt, o.finishedAt)}.`);
  else if (approved) lines.push(`${approved[0]?.toUpperCase()}${approved.slice(1)}.`);
  return lines;
}

function wordedResult(plan: Plan, item: RunItem): string {
  const reason = item.reason ? outcomeText(item.reason, { command: plan.command, ...(item.code ? { code: item.code } : {}) }) : '';
  const said = item.status === 'done' ? operationOf(plan.operation).wording.itemDone + (reason ? `; ${reason}` : '') : reason || (item.code ?? item.status);
  // A reason worded as a sentence drops its full stop: the line adds its own.
  return said.replace(/\.\s*$/, '');
}

/**
 * One line per status and reason, name → result: "✅ sc-prod, sc-dev — secret rotated". A one-connection plan whose
 * connection was simply done has none: the card's title already says it.
 */
export function resultLines(plan: Plan, report: RunReport): string[] {
  const groups = new Map<string, { status: RunItem['status']; why: string; names: string[] }>();
  for (const item of report.items) {
    const why = wordedResult(plan, item);
    const key = `${item.status}\u0000${why}`;
    const group = groups.get(key) ?? { status: item.status, why, names: [] };
    group.names.push(item.name);
    groups.set(key, group);
  }
  const order: RunItem['status'][] = ['failed', 'skipped', 'done'];
  const sorted = [...groups.values()].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  const plain = operationOf(plan.operation).wording.itemDone;
  const shown = plan.items.length === 1 ? sorted.filter((g) => g.status !== 'done' || g.why !== plain) : sorted;
  const lines = shown.slice(0, GROUPS_MAX).map((g) => {
    const names = g.names.slice(0, NAMES_SHOWN).map((n) => outsideText(n, 60)).join(', ') + (g.names.length > NAMES_SHOWN ? ` and ${g.names.length - NAMES_SHOWN} more` : '');
    return `${STATUS_ICON[g.status]} **${names}** — ${outsideProse(g.why, REASON_MAX)}.`;
  });
  if (shown.length > GROUPS_MAX) lines.push(`… and ${plural(shown.length - GROUPS_MAX, 'more group')}; say \`audit plan ${plan.id}\` for every connection.`);
  return lines;
}

/** What to do next, when there is something to do. */
export function nextLine(record: ApprovalRecord): string | undefined {
  const o = record.outcome;
  if (!o) return undefined;
  if (o.failed > 0 && o.done > 0 && !record.retriedAs) return 'Next: fix what the failures say, then tap "Retry failed items" (a new plan, approved again).';
  if (o.failed > 0) return 'Next: fix what the failures say, then ask for the change again.';
  if (o.skipped > 0) return 'Next: the skipped connections were left as they were; ask again once their reason is settled.';
  return undefined;
}

/**
 * The next steps after a one-connection plan was done: Show it, and what its operation offers (Revert while the
 * window is open, a reminder to remove an old credential). A bulk plan's connections are each a `show` away.
 */
export function nextSteps(plan: Plan, record: ApprovalRecord): { lines: string[]; buttons: CommandButton[] } {
  const item = plan.items[0];
  const finished = Date.parse(record.outcome?.finishedAt ?? record.updatedAt);
  if (plan.items.length !== 1 || !item || (record.outcome?.done ?? 0) === 0 || Number.isNaN(finished)) return { lines: [], buttons: [] };
  const after = operationHooks(plan.operation).afterDone(item, new Date(finished));
  // A connection that existed and has no state after the plan is gone: nothing to show.
  const gone = item.after === null && operationHooks(plan.operation).existsBeforeRun;
  return {
    lines: after.map((s) => s.text),
    buttons: [...(gone ? [] : [itemButton(`Show ${item.name}`, 'show', item)]), ...after.flatMap((s) => (s.button ? [s.button] : []))],
  };
}
