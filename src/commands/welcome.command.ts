import { ok, errorCodeOf } from '../domain/errors';
import { welcomeReply } from '../cards/welcome-view';
import type { Command, CommandContext, Reply } from './command';

type AlertStatus = Awaited<ReturnType<CommandContext['alerts']['status']>>;

/**
 * `welcome`, and what the registry reads as a greeting ("hello", "what can you do?", an empty message, the bot being
 * added to a chat or team): what the bot watches, what is wrong now, and where to start. Read-only, so it passes the
 * same tenant gate as `list`; what is wrong comes from the radar's last scan, never a fresh read.
 */
export const welcomeCommand: Command<Record<string, never>> = {
  id: 'welcome',
  usage: 'welcome',
  summary: 'What I watch, what is wrong right now, and where to start (also when you say hello).',
  examples: ['hello'],
  mutates: false,
  menu: false,
  greets: true,
  // Whatever follows a greeting ("hi there", "can you help?") is conversation, not arguments.
  parse: () => ok({}),
  async run(_args, ctx): Promise<Reply> {
    const status = await statusOrNothing(ctx);
    const scan = status?.lastScan;
    return welcomeReply({
      conversationType: ctx.conversation.type, projects: status?.settings.projects ?? [], alertsOn: status?.subscription !== undefined,
      ...(status ? {} : { statusUnknown: true }),
      ...(scan ? { lastScan: { startedAt: scan.startedAt, ok: scan.ok, findings: scan.findings } } : {}),
    });
  },
};

/** A greeting never fails: when the radar's records cannot be read, the welcome says so and still offers its buttons. */
async function statusOrNothing(ctx: CommandContext): Promise<AlertStatus | undefined> {
  try {
    return await ctx.alerts.status(ctx.conversation.id);
  } catch (error) {
    ctx.logger.warn({ err: error, code: errorCodeOf(error) }, 'welcome without the radar\'s status');
    return undefined;
  }
}
