/**
 * The plan preview's summary parts: the distinct REST calls (with how often each is made), the totals line (in the
 * future tense on a preview, the past on an outcome) and the skipped connections grouped by identical reason.
 */
import type { Plan, PlannedCall, PlanItem } from '../domain/plan';
import { IDS_PER_LIST } from '../execution/batch-reads';
import { plural } from './format';
import { operationHooks } from '../operations/operations';
import { outsideProse, outsideText } from './outside-text';

const CALL_LINES_MAX = 12;
const TEXT_MAX = 240;
const NAME_MAX = 80;
/** Names listed per skip reason; the rest are counted. */
const SKIPPED_NAMES_MAX = 12;
const SKIPPED_GROUPS_MAX = 8;
/** UTF-8 bytes the skipped names may take in all. */
const SKIPPED_BUDGET = 2_500;

/** A call with the connection's id and project made generic, so identical steps of a bulk plan group together. */
function callTemplate(call: PlannedCall, item: PlanItem): string {
  let target = call.target.split(item.endpointId).join('{id}').split(`${item.projectName}/_apis`).join('{project}/_apis');
  // A delete's scope (`projectIds=a,b`) groups by how many projects, not which.
  target = target.replace(/projectIds=([^&\s]+)/, (_match, ids: string) => (ids.split(',').length > 1 ? 'projectIds={every project}' : 'projectIds={project}'));
  return `${target} — ${call.condition ? `only ${call.condition}: ` : ''}${call.purpose}`;
}

/** Every distinct REST call of the plan with how many times it is made. */
export function callLines(plan: Plan): { text: string }[] {
  const counts = new Map<string, number>();
  for (const item of plan.items) for (const call of item.calls) {
    const key = callTemplate(call, item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const reads = rereadCount(plan);
  const reread = `devops GET {project}/_apis/serviceendpoint/endpoints?endpointIds=… — Re-read the connections right before writing (up to ${IDS_PER_LIST} per call); one that changed since this preview is skipped.`;
  const lines = [...(reads ? [[reread, reads] as const] : []), ...counts.entries()].map(([text, n]) => ({ text: `${n > 1 ? `${n} × ` : ''}${outsideProse(text, TEXT_MAX)}` }));
  if (lines.length <= CALL_LINES_MAX) return lines;
  return [...lines.slice(0, CALL_LINES_MAX), { text: `… and ${lines.length - CALL_LINES_MAX} more distinct calls.` }];
}

/** Execution re-reads a plan's connections in batches before writing: one list call per project per IDS_PER_LIST. */
function rereadCount(plan: Plan): number {
  const perProject = new Map<string, number>();
  for (const item of operationHooks(plan.operation).existsBeforeRun ? plan.items : []) perProject.set(item.projectId, (perProject.get(item.projectId) ?? 0) + 1);
  return [...perProject.values()].reduce((sum, n) => sum + Math.ceil(n / IDS_PER_LIST), 0);
}

function callCounts(plan: Plan): { always: number; conditional: number } {
  const calls = plan.items.flatMap((i) => i.calls);
  const conditional = calls.filter((c) => c.condition !== undefined).length;
  return { always: calls.length - conditional + rereadCount(plan), conditional };
}

/**
 * The count a person reads before approval: "1 connection to create · 2 skipped". After a run the outcome above
 * counts and names every connection (the run reports the ones skipped when planned too): nothing more to say.
 */
export function totalsOf(plan: Plan, toDo: string, done?: number): string {
  if (done !== undefined) return '';
  const skipped = plan.skipped.length;
  return [`${plural(plan.items.length, 'connection')} ${toDo}`, ...(skipped ? [`${skipped} skipped`] : [])].join(' · ');
}

/** The REST calls' heading behind Show details, with how many: planned, or made (when every connection was done). */
export function callsTitleOf(plan: Plan, done?: number): string {
  const { always, conditional } = callCounts(plan);
  if (done === undefined) return `REST calls this plan makes: ${always}${conditional ? `, and up to ${conditional} more only if needed` : ''}`;
  // The executor counts outcomes, not calls: every planned call ran only when every connection was done.
  if (done === plan.items.length) return `REST calls made: ${always}${conditional ? `, and up to ${conditional} more where needed` : ''}`;
  return 'REST calls as planned (per connection, they stopped where its result says)';
}

/**
 * "7 skipped — created manually, so …: sc-a (Payments), sc-b (Payments), …": one line per distinct reason, so a
 * reason shared by many connections is read once.
 */
export function skippedText(plan: Plan): string {
  const groups = new Map<string, string[]>();
  for (const s of plan.skipped) {
    // The names follow after a colon: a reason worded as a sentence (the issuer move's) drops its full stop.
    const reason = outsideProse(s.reason.replace(/\.\s*$/, ''), 200);
    groups.set(reason, [...(groups.get(reason) ?? []), `${outsideText(s.name, NAME_MAX)} (${outsideText(s.projectName, 40)})`]);
  }
  const lines: string[] = [];
  let used = 0;
  let shownCount = 0;
  for (const [reason, names] of [...groups.entries()].slice(0, SKIPPED_GROUPS_MAX)) {
    const shown: string[] = [];
    // Names and reasons may be long Unicode: the list is cut by size as well as by count.
    for (const name of names.slice(0, SKIPPED_NAMES_MAX)) {
      if (used + bytes(name) > SKIPPED_BUDGET) break;
      used += bytes(name) + 2;
      shown.push(name);
    }
    if (shown.length === 0 && lines.length > 0) break;
    used += bytes(reason) + 30;
    shownCount += names.length;
    const more = names.length > shown.length ? ` and ${names.length - shown.length} more` : '';
    lines.push(`• **${names.length} skipped** — ${reason}: ${shown.join(', ')}${more}`);
  }
  const hidden = plan.skipped.length - shownCount;
  if (hidden > 0) lines.push(`… and ${hidden} more skipped for other reasons.`);
  return lines.join('\n\n');
}

const bytes = (value: string): number => new TextEncoder().encode(value).length;
