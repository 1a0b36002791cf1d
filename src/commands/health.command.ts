import { err, ok } from '../domain/errors';
import { buildHealthView, healthSummary } from '../cards/health-view';
import type { Command, Reply } from './command';

/** Days of the trend the card draws (the radar keeps more; a month reads at a glance). */
const TREND_DAYS = 30;

/**
 * `health`: the picture of every watched connection from the radar's last scan and its daily records — findings by
 * severity and project, how many sign in without a secret, secrets ending week by week, the trend, the issuer
 * countdown. Reads the Store only, never Azure DevOps: as cheap for the hundredth person as for the first.
 */
export const healthCommand: Command<Record<string, never>> = {
  id: 'health',
  usage: 'health',
  summary: 'The health of every watched connection: findings by severity and project, secretless share, secrets ending by week, the trend.',
  menuText: 'See the health of all connections: what is wrong, secrets running out, the trend.',
  examples: ['health'],
  mutates: false,
  parse: (tokens) => (tokens.length === 0 ? ok({}) : err({ message: '`health` takes no arguments.' })),
  async run(_args, ctx): Promise<Reply> {
    const [status, trend] = await Promise.all([ctx.alerts.status(ctx.conversation.id), ctx.alerts.trend(TREND_DAYS)]);
    const scan = status.lastScan;
    const view = buildHealthView({
      now: ctx.clock.now().toISOString(), trend,
      ...(scan ? { scan: { startedAt: scan.startedAt, ok: scan.ok, findings: scan.findings, ...(scan.stats ? { connections: scan.stats.connections, ...(scan.stats.census ? { census: scan.stats.census } : {}) } : {}) } } : {}),
    });
    return { kind: 'card', text: healthSummary(view), view: { template: 'health', model: view } };
  },
};
