import { buildDetailView, DETAIL_EXECUTIONS, detailSummaryText, type DetailViewInput } from '../cards/connection-detail-view';
import { errorCodeOf } from '../domain/errors';
import type { Command, CommandContext, Reply } from './command';
import { parseConnectionName } from './args';
import type { Match } from './find-connection';
import { findTarget } from './mutating';

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
  const view = buildDetailView({ endpoint: lookup.endpoint, project: lookup.project, executions: history.records, now: ctx.clock.now(), ...(secret ? { secretEnds: secret } : {}) });
  return { kind: 'card', text: detailSummaryText(view), view: { template: 'connection-detail', model: view } };
}

export const showCommand: Command<ShowArgs> = {
  id: 'show',
  aliases: ['get', 'describe'],
  usage: 'show <name> [in <project>]',
  summary: 'Show one connection: scheme, identity, state and why it failed, sharing, recent runs.',
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
