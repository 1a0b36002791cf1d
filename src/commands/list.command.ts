import type { ServiceEndpoint } from '../domain/endpoint';
import { isFailed } from '../domain/endpoint';
import { err, ok } from '../domain/errors';
import type { ListFilterKind } from '../cards/connection-list-view';
import { buildListView, listSummaryText, toConnectionRow, type ConnectionRow } from '../cards/connection-list-view';
import { disabledBy, disabledByText } from '../domain/disable';
import { quoteArg } from '../domain/command-line';
import type { Command, CommandContext, Reply } from './command';
import { parseOptions, parsePage } from './args';
import { echoCode } from './echo-arg';
import { resolveProjects } from './projects';

export interface ListArgs {
  filter: ListFilterKind;
  project?: string;
  type?: string;
  page: number;
}

const FILTERS: Record<string, ListFilterKind> = { failed: 'failed', disabled: 'disabled', all: 'all' };

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

async function fetchProject(ctx: CommandContext, project: string, type: string | undefined): Promise<{ project: string; endpoints: ServiceEndpoint[] }> {
  // One call per project with failed ones included: it answers both the list and the "n failed not shown" count.
  const endpoints = await ctx.endpoints.list(project, { includeFailed: true, ...(type ? { type } : {}) });
  return { project, endpoints };
}

export const listCommand: Command<ListArgs> = {
  id: 'list',
  aliases: ['ls'],
  usage: 'list [failed|disabled|all] [in <project>] [type <type>] [page <n>]',
  summary: 'List service connections. Failed ones are hidden unless you say `failed` or `all`; `disabled` lists the disabled ones and who disabled them.',
  examples: ['list', 'list failed', 'list disabled', 'list all in "My Project" type azurerm'],
  mutates: false,

  parse(tokens) {
    const parsed = parseOptions(tokens, ['in', 'type', 'page']);
    if (!parsed.ok) return parsed;
    const { options, rest } = parsed.value;
    if (rest.length > 1) return err({ message: `I don't understand ${echoCode(rest.slice(1).map((t) => t.value).join(' '))}.` });
    const word = rest[0]?.value.toLowerCase();
    const filter = word === undefined ? 'usable' : FILTERS[word];
    if (filter === undefined) return err({ message: `${echoCode(rest[0]?.value ?? '')} is not a filter: use \`failed\`, \`disabled\` or \`all\`.` });
    const page = parsePage(options.get('page'));
    if (!page.ok) return page;
    return ok({ filter, project: options.get('in'), type: options.get('type'), page: page.value });
  },

  async run(args, ctx): Promise<Reply> {
    const line = listCommandLine(args);
    const scope = await resolveProjects(ctx, args.project, (p) => listCommandLine({ ...args, project: p }));
    if (!scope.ok) return scope.error;
    const results = await Promise.all(scope.value.map((p) => fetchProject(ctx, p, args.type)));
    const rows = [];
    let hiddenFailed = 0;
    for (const { project, endpoints } of results) {
      for (const endpoint of endpoints) {
        const failed = isFailed(endpoint);
        if (args.filter === 'usable' && failed) hiddenFailed += 1;
        if ((args.filter === 'usable' && failed) || (args.filter === 'failed' && !failed)) continue;
        if (args.filter === 'disabled' && endpoint.isDisabled !== true) continue;
        rows.push(args.filter === 'disabled' ? await disabledRow(ctx, project, endpoint) : toConnectionRow(project, endpoint));
      }
    }
    rows.sort((a, b) => a.project.localeCompare(b.project) || a.name.localeCompare(b.name));
    // "Delete all failed" deletes what `delete failed` would: the same projects (a type filter is not one it takes).
    const deleteAll = args.filter === 'failed' && args.type === undefined ? { deleteAllCommand: `delete failed${args.project === undefined ? '' : ` in ${quoteArg(args.project)}`}` } : {};
    const view = buildListView({ rows, filter: args.filter, hiddenFailed, projectCount: scope.value.length, page: args.page, command: line, ...deleteAll });
    return { kind: 'card', text: listSummaryText(view), view: { template: 'connection-list', model: view } };
  },
};
