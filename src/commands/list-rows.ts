/**
 * What `list` answers with, however it read the connections: rows from a live list of one project (failed ones
 * counted, disabled ones with who disabled them), and the card. list.command.ts reads live; list-across.ts answers
 * from the inventory.
 */
import type { ListFilterKind } from '../cards/connection-list-view';
import { buildListView, listSummaryText, toConnectionRow, type ConnectionRow } from '../cards/connection-list-view';
import type { InventoryAge } from '../cards/inventory-age';
import type { CardMessage } from '../cards/card';
import { quoteArg, inProject } from '../domain/command-line';
import { disabledBy, disabledByText } from '../domain/disable';
import { isFailed, type ServiceEndpoint } from '../domain/endpoint';
import type { CommandContext } from './command';

export interface ListArgs {
  filter: ListFilterKind;
  project?: string;
  type?: string;
  page: number;
}

/** Rows in project then name order, and the failed connections a `list` (usable ones) leaves out. */
export interface ListRows {
  rows: ConnectionRow[];
  hiddenFailed: number;
}

/** The command line for these arguments without a page: what the paging buttons send back. */
export function listCommandLine(args: Omit<ListArgs, 'page'>): string {
  const parts = ['list'];
  if (args.filter !== 'usable') parts.push(args.filter);
  if (args.project !== undefined) parts.push('in', quoteArg(args.project));
  if (args.type !== undefined) parts.push('type', quoteArg(args.type));
  return parts.join(' ');
}

/** Who disabled it: the newest run says whether the service's 100-day sweep could have (one top=1 read each). */
async function disabledRow(ctx: CommandContext, project: string, endpoint: ServiceEndpoint): Promise<ConnectionRow> {
  const newest = (await ctx.endpoints.executionHistory(project, endpoint.id, { top: 1 })).records[0];
  const by = disabledBy(endpoint, newest ? newest.finishTime ?? newest.startTime : undefined, ctx.clock.now());
  return { ...toConnectionRow(project, endpoint), note: disabledByText(by) };
}

/**
 * One project read live: one call with failed ones included (it answers both the list and the "n failed not shown"
 * count). `label`: the project as the rows name it. A read without a type filter is a full list, which the
 * inventory keeps (the turn's port feeds it); the type is then applied here.
 */
export async function liveProjectRows(ctx: CommandContext, project: string, args: Pick<ListArgs, 'filter' | 'type'>, label = project): Promise<ListRows> {
  const endpoints = await ctx.endpoints.list(project, { includeFailed: true });
  const rows: ConnectionRow[] = [];
  let hiddenFailed = 0;
  const type = args.type?.toLowerCase();
  for (const endpoint of endpoints) {
    if (type !== undefined && endpoint.type.toLowerCase() !== type) continue;
    const failed = isFailed(endpoint);
    if (args.filter === 'usable' && failed) hiddenFailed += 1;
    if ((args.filter === 'usable' && failed) || (args.filter === 'failed' && !failed)) continue;
    if (args.filter === 'disabled' && endpoint.isDisabled !== true) continue;
    rows.push(args.filter === 'disabled' ? await disabledRow(ctx, label, endpoint) : toConnectionRow(label, endpoint));
  }
  return { rows, hiddenFailed };
}

/** Several projects' rows as one answer, sorted by project then name. */
export function mergeRows(parts: readonly ListRows[]): ListRows {
  const rows = parts.flatMap((p) => p.rows).sort((a, b) => a.project.localeCompare(b.project) || a.name.localeCompare(b.name));
  return { rows, hiddenFailed: parts.reduce((n, p) => n + p.hiddenFailed, 0) };
}

/** The list card for these rows; `age` when they come from the inventory. */
export function listMessage(args: ListArgs, found: ListRows, projectCount: number, age?: InventoryAge): CardMessage {
  // "Delete all failed" deletes what `delete failed` would: the same projects (a type filter is not one it takes).
  const deleteAll = args.filter === 'failed' && args.type === undefined ? { deleteAllCommand: `delete failed${inProject(args.project)}` } : {};
  const view = buildListView({ ...found, filter: args.filter, projectCount, page: args.page, command: listCommandLine(args), ...deleteAll, ...(age ? { age } : {}) });
  return { text: listSummaryText(view), view: { template: 'connection-list', model: view } };
}
