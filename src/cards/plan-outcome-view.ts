/**
 * What a finished plan did, for the outcome card: who asked and approved and when, how long the run took, and per
 * connection what was done, skipped or failed — grouped by reason, so 40 identical skips are one line with the
 * names — with what to do next. The executor's typed reasons are worded here (outcomeText), when drawn.
 */
import type { ApprovalPerson, ApprovalRecord } from '../domain/approval';
import type { Plan } from '../domain/plan';
import type { RunItem, RunReport } from '../execution/run-report';
import { formatUtc, plural, TONE_ICON } from './format';
import { outcomeText } from './outcome-text';
import { operationOf } from '../operations/operations';
import { outsideProse, outsideText } from './outside-text';

const STATUS_ICON: Record<RunItem['status'], string> = { done: TONE_ICON.good, skipped: '⏭️', failed: TONE_ICON.attention };
const NAMES_SHOWN = 8;
const GROUPS_MAX = 6;

const who = (p: ApprovalPerson): string => outsideText(p.name || p.id, 60);

/** "1 m 05 s", "3 s": how long a run took, from the record's timestamps. */
export function durationText(fromIso: string, toIso: string): string {
  const seconds = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
  if (Number.isNaN(seconds)) return '';
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m} min ${String(seconds % 60).padStart(2, '0')} s` : `${seconds} s`;
}

/** Requested by…, approved by…, ran from … for …: the people and times behind the outcome. */
export function peopleLines(record: ApprovalRecord): string[] {
  const lines = [`Requested by ${who(record.requester)} on ${formatUtc(record.createdAt) ?? record.createdAt}.`];
  if (record.approvers.length) lines.push(`Approved by ${record.approvers.map(who).join(' and ')}.`);
  const o = record.outcome;
  if (o?.startedAt && o.finishedAt) lines.push(`Ran on ${formatUtc(o.startedAt)}, took ${durationText(o.startedAt, o.finishedAt)}.`);
  return lines;
}

/** One line per status and reason: "✅ Done (2): secret rotated — sc-prod, sc-dev". */
export function resultLines(plan: Plan, report: RunReport): string[] {
  const groups = new Map<string, { status: RunItem['status']; why: string; names: string[] }>();
  for (const item of report.items) {
    const said = item.status === 'done' ? operationOf(plan.operation).wording.itemDone + (item.reason ? `; ${outcomeText(item.reason, { command: plan.command, ...(item.code ? { code: item.code } : {}) })}` : '')
      : item.reason ? outcomeText(item.reason, { command: plan.command, ...(item.code ? { code: item.code } : {}) }) : item.code ?? '';
    // The names follow after a colon: a reason worded as a sentence drops its full stop.
    const why = said.replace(/\.\s*$/, '');
    const key = `${item.status}\u0000${why}`;
    const group = groups.get(key) ?? { status: item.status, why, names: [] };
    group.names.push(item.name);
    groups.set(key, group);
  }
  const order: RunItem['status'][] = ['failed', 'skipped', 'done'];
  const sorted = [...groups.values()].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  const lines = sorted.slice(0, GROUPS_MAX).map((g) => {
    const names = g.names.slice(0, NAMES_SHOWN).map((n) => outsideText(n, 60)).join(', ') + (g.names.length > NAMES_SHOWN ? ` and ${g.names.length - NAMES_SHOWN} more` : '');
    const label = g.status === 'done' ? 'Done' : g.status === 'skipped' ? 'Skipped' : 'Failed';
    return `${STATUS_ICON[g.status]} **${label} (${g.names.length})** — ${outsideProse(g.why, 400)}: ${names}`;
  });
  if (sorted.length > GROUPS_MAX) lines.push(`… and ${plural(sorted.length - GROUPS_MAX, 'more group')}; say \`audit plan ${plan.id}\` for every connection.`);
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
