import { buildDetailView, DETAIL_EXECUTIONS, detailSummaryText } from '../cards/connection-detail-view';
import type { Command, CommandContext, Reply } from './command';
import { parseConnectionName } from './args';
import type { Match } from './find-connection';
import { findTarget, SEARCHED_NOTE } from './mutating';

export interface ShowArgs {
  name: string;
  project?: string;
}

async function detailReply(ctx: CommandContext, lookup: Match): Promise<Reply> {
  const history = await ctx.endpoints.executionHistory(lookup.project, lookup.endpoint.id, { top: DETAIL_EXECUTIONS });
  // Who changed it outside the bot, as the audit log told the inventory (the connection itself was just read live).
  const outsideChange = ctx.inventory.view.connection(lookup.endpoint.id).find((m) => m.entry.change)?.entry.change;
  const view = buildDetailView({
    endpoint: lookup.endpoint, project: lookup.project, executions: history.records, now: ctx.clock.now(),
    ...(outsideChange ? { outsideChange } : {}), ...(lookup.searched ? { searchedNote: SEARCHED_NOTE } : {}),
  });
  return { kind: 'card', text: detailSummaryText(view), view: { template: 'connection-detail', model: view } };
}

export const showCommand: Command<ShowArgs> = {
  id: 'show',
  aliases: ['get', 'describe'],
  usage: 'show <name> [in <project>]',
  summary: 'Show one connection, as Azure DevOps says now: scheme, identity, state and why it failed, sharing, recent runs, and who changed or disabled it outside the bot. Without `in <project>` I find its project from what I last read; a name I have not seen yet is looked for in every project (that takes longer).',
  examples: ['show sc-prod', 'show "my connection" in Payments'],
  mutates: false,

  parse(tokens) {
    return parseConnectionName(tokens, 'Which connection? Give its name.');
  },

  names: (args) => args.name,

  async run(args, ctx) {
    const found = await findTarget(ctx, 'show', args.name, args.project);
    return found.ok ? detailReply(ctx, found.value) : found.error;
  },
};
