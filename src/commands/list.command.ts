import { err, ok, type Result } from '../domain/errors';
import type { ConnectionRow } from '../cards/connection-list-view';
import type { Command, CommandContext, Reply } from './command';
import { parseOptions, parsePage } from './args';
import { echoCode } from './echo-arg';
import { resolveProjects } from './projects';
import { listAcross } from './list-across';
import { listCommandLine, listMessage, liveProjectRows, mergeRows, type ListArgs } from './list-rows';

export { listCommandLine, type ListArgs } from './list-rows';

const FILTERS: Record<string, ListArgs['filter']> = { failed: 'failed', disabled: 'disabled', all: 'all' };

/** The connections a list asks for, before paging: what `list` draws and what the MCP tool `list_connections` returns. */
export interface ConnectionListing {
  /** Sorted by project, then name. */
  rows: ConnectionRow[];
  /** Failed connections a `usable` list left out. */
  hiddenFailed: number;
  projectCount: number;
}

/** The list use case, read live: rows matching the filter in the projects asked for, or the reply that says why not. */
export async function listConnections(args: Omit<ListArgs, 'page'>, ctx: CommandContext): Promise<Result<ConnectionListing, Reply>> {
  const scope = await resolveProjects(ctx, args.project, (p) => listCommandLine({ ...args, project: p }));
  if (!scope.ok) return scope;
  const found = mergeRows(await Promise.all(scope.value.map((p) => liveProjectRows(ctx, p, args))));
  return ok({ ...found, projectCount: scope.value.length });
}

export const listCommand: Command<ListArgs> = {
  id: 'list',
  aliases: ['ls'],
  usage: 'list [failed|disabled|all] [in <project>] [type <type>] [page <n>]',
  summary: 'List service connections. Failed ones are hidden unless you say `failed` or `all`; `disabled` lists the disabled ones and who disabled them. Across projects the answer comes at once from what I last read (it says how old) and the card is updated if Azure DevOps says otherwise; `disabled` is always read live.',
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
    // Across projects: the inventory answers at once and says how old it is (list-across.ts). One project, or
    // `disabled` (who disabled each one is read from the connection and its newest run, which the inventory does not
    // keep): a live read.
    if (args.project === undefined && args.filter !== 'disabled') return listAcross(args, ctx);
    const listed = await listConnections(args, ctx);
    if (!listed.ok) return listed.error;
    return { kind: 'card', ...listMessage(args, listed.value, listed.value.projectCount) };
  },
};
