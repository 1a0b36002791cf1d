import { buildDetailView, DETAIL_EXECUTIONS, detailSummaryText, type DetailViewInput } from '../cards/connection-detail-view';
import { errorCodeOf } from '../domain/errors';
import type { Command, CommandContext, Reply } from './command';
import { parseConnectionName } from './args';
import type { Match } from './find-connection';
import { findTarget, SEARCHED_NOTE } from './mutating';

export interface ShowArgs {
  name: string;
  project?: string;
}

/**
 * When the connection's secret ends, as the radar's last scan found it (it reports secrets ending within its
 * threshold): a store read, never Graph. The card is whole without it, so a radar that cannot answer is logged only.
 */
async function secretEnds(ctx: CommandContext, endpointId: string): Promise<DetailViewInput['secretEnds']> {
  try {
    const scan = (await ctx.alerts.status(ctx.conversation.id)).lastScan;
    const found = scan?.findings.find((f) => f.endpointId.toLowerCase() === endpointId.toLowerCase() && (f.kind === 'secret-expiring' || f.kind === 'secret-expired') && f.dueAt);
    return scan && found?.dueAt ? { at: found.dueAt, scannedAt: scan.startedAt } : undefined;
  } catch (error) {
    ctx.logger.warn({ err: error, code: errorCodeOf(error) }, 'show without the radar\'s secret dates');
    return undefined;
  }
}

async function detailReply(ctx: CommandContext, lookup: Match): Promise<Reply> {
  const [history, secret] = await Promise.all([
    ctx.endpoints.executionHistory(lookup.project, lookup.endpoint.id, { top: DETAIL_EXECUTIONS }), secretEnds(ctx, lookup.endpoint.id),
  ]);
  // Who changed it outside the bot, as the audit log told the inventory (the connection itself was just read live).
  const outsideChange = ctx.inventory.view.connection(lookup.endpoint.id).find((m) => m.entry.change)?.entry.change;
  const view = buildDetailView({
    endpoint: lookup.endpoint, project: lookup.project, executions: history.records, now: ctx.clock.now(),
    ...(outsideChange ? { outsideChange } : {}), ...(lookup.searched ? { searchedNote: SEARCHED_NOTE } : {}), ...(secret ? { secretEnds: secret } : {}),
  });
  return { kind: 'card', text: detailSummaryText(view), view: { template: 'connection-detail', model: view } };
}

export const showCommand: Command<ShowArgs> = {
  id: 'show',
  aliases: ['get', 'describe'],
  usage: 'show <name> [in <project>]',
  menuText: 'One connection as Azure DevOps says now: identity, state and why it failed, recent runs, and what to do next.',
  summary: 'Show one connection, as Azure DevOps says now: scheme, identity, state and why it failed, sharing, recent runs, and who changed or disabled it outside the bot. Without `in <project>` I find its project from what I last read; a name I have not seen yet is looked for in every project (that takes longer).',
  examples: ['show sc-prod', 'show "my connection" in Payments'],
  mutates: false,

  parse(tokens) {
    return parseConnectionName(tokens, 'Which connection? Give its name.');
  },

  names: (args) => args.name,
  pick: () => true,

  async run(args, ctx) {
    const found = await findTarget(ctx, 'show', args.name, args.project);
    return found.ok ? detailReply(ctx, found.value) : found.error;
  },
};
