/**
 * The command rows of bench/org-scale.ts: each moment beside the cold answer (the baseline measured in the same run),
 * and issue 24's targets for them: warm `list failed` and `show <name>` (no project) at most 5 calls and 1.5 s to the
 * first answer, the fresh answer within 10 s, ten askers in a minute one refresh. Reported, never asserted. "Cold no
 * worse than today" has no verdict here: today's bot is not in this run (the cold rows are what to compare).
 */
import type { Figure, OrgCommands } from './org-commands';
import { SHOW_NAME } from './org-commands';

const FIRST_CALLS = 5;
const FIRST_MS = 1_500;
const FRESH_MS = 10_000;

const ratio = (a: number, b: number) => (b === 0 ? '' : `${(a / b).toFixed(2)}x`);
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** "0.03x the cold time, 0.00x its calls" */
function against(figure: Figure, cold: Figure): string {
  return `${ratio(figure.ms, cold.ms)} the cold time, ${ratio(figure.calls, cold.calls)} its calls`;
}

export function commandRows(connections: string, c: OrgCommands): Array<Array<string | number>> {
  const at = `${connections}:`;
  const { cold, warm, stale, tenAskers: ten } = c;
  return [
    [`${at} cold (no inventory): list failed`, cold.listFailed.calls, cold.listFailed.ms, '', 'baseline: reads every project before answering'],
    [`${at} cold: show ${SHOW_NAME}`, cold.show.calls, cold.show.ms, '', 'baseline: a name the bot has not seen is searched for in every project'],
    [`${at} cold: list all in Proj-0042`, cold.listInProject.calls, cold.listInProject.ms, '', 'one project, read live (unchanged)'],
    [`${at} warm: list failed`, warm.listFailed.calls, warm.listFailed.ms, '', against(warm.listFailed, cold.listFailed)],
    [`${at} warm: show ${SHOW_NAME}`, warm.show.calls, warm.show.ms, '', against(warm.show, cold.show)],
    [`${at} stale: show ${SHOW_NAME}`, stale.show.calls, stale.show.ms, '', `${against(stale.show, cold.show)}; the index, then one live read`],
    [`${at} stale: list failed, first answer`, stale.listFailed.first.calls, stale.listFailed.first.ms, '', `${ratio(stale.listFailed.first.ms, cold.listFailed.ms)} the cold time; calls: the refresh it started`],
    [`${at} stale: list failed, fresh answer (card replaced)`, stale.listFailed.fresh.calls, stale.listFailed.fresh.ms, '', 'a failed connection renamed in the portal meanwhile'],
    [`${at} 10 askers at once: slowest first answer`, '', ten.firstMs, '', `${ratio(ten.firstMs, cold.listFailed.ms)} the cold time`],
    [`${at} 10 askers at once: slowest fresh answer`, ten.calls, ten.freshMs, '', `${ten.listsPerProject} list(s) per project for all ten`],
  ];
}

export function commandsJson(c: OrgCommands): Record<string, unknown> {
  return { ...c, ratios: { warmListFailedMs: Number((c.warm.listFailed.ms / c.cold.listFailed.ms).toFixed(3)), warmShowMs: Number((c.warm.show.ms / c.cold.show.ms).toFixed(3)), staleFirstMs: Number((c.stale.listFailed.first.ms / c.cold.listFailed.ms).toFixed(3)) } };
}

/** Issue 24's targets for the commands, as text for the notes and as fields for the JSON line. */
export function commandTargets(c: OrgCommands): { text: string; json: Record<string, string> } {
  const firsts = [c.warm.listFailed, c.warm.show, c.stale.show];
  const first = firsts.every((f) => f.calls <= FIRST_CALLS && f.ms <= FIRST_MS) && c.stale.listFailed.first.ms <= FIRST_MS && c.tenAskers.firstMs <= FIRST_MS;
  const fresh = c.stale.listFailed.fresh.ms <= FRESH_MS && c.tenAskers.freshMs <= FRESH_MS;
  const oneRefresh = c.tenAskers.listsPerProject <= 1;
  const json = { firstAnswer: met(first), freshAnswer: met(fresh), tenAskersOneRefresh: met(oneRefresh) };
  const text = `first answers <= ${FIRST_CALLS} calls and <= ${FIRST_MS} ms: ${json.firstAnswer}; fresh answer <= ${FRESH_MS} ms: ${json.freshAnswer}; ten askers, one refresh: ${json.tenAskersOneRefresh}.`;
  return { text, json };
}
