import { quoteArg } from '../domain/command-line';
import { err, ok } from '../domain/errors';
import { alertStatusSummary, buildAlertStatusView } from '../cards/alert-status-view';
import { messageReply } from '../cards/message-view';
import { outsideText } from '../cards/outside-text';
import { plural } from '../cards/format';
import type { Command, CommandContext, Reply } from './command';
import { textReply } from './command';
import { parseOptions } from './args';
import { resolveProjects } from './projects';
import { postableReference } from './conversation-reference';

export type AlertsAction = 'on' | 'off' | 'status' | 'scan';

const ACTIONS: readonly AlertsAction[] = ['on', 'off', 'status', 'scan'];

async function status(ctx: CommandContext): Promise<Reply> {
  const alerts = ctx.alerts;
  const s = await alerts.status(ctx.conversation.id);
  const view = buildAlertStatusView({
    now: ctx.clock.now().toISOString(),
    ...(s.subscription ? { subscribed: { by: s.subscription.subscribedBy.name, at: s.subscription.subscribedAt, ...(s.subscription.projects ? { projects: s.subscription.projects } : {}) } } : {}),
    subscriptions: s.subscriptions, settings: s.settings, ...(s.lastScan ? { lastScan: s.lastScan } : {}),
  });
  return { kind: 'card', text: alertStatusSummary(view), view: { template: 'alert-status', model: view } };
}

async function on(ctx: CommandContext, project: string | undefined): Promise<Reply> {
  const alerts = ctx.alerts;
  const reference = postableReference(ctx);
  if (!reference) return textReply('I cannot post into this conversation later (no conversation reference), so alerts stay off here.');
  // One project's channel gets that project's alerts only; the name is checked against what the bot watches.
  const scope = project === undefined ? undefined : await resolveProjects(ctx, project, (p) => `alerts on in ${quoteArg(p)}`);
  if (scope && !scope.ok) return scope.error;
  const added = await alerts.subscribe({
    conversationId: ctx.conversation.id, reference, ...(ctx.place.tenantId ? { tenantId: ctx.place.tenantId } : {}),
    subscribedBy: { name: ctx.user.name, ...(ctx.user.aadObjectId ? { aadObjectId: ctx.user.aadObjectId } : {}) },
    subscribedAt: ctx.clock.now().toISOString(), ...(scope ? { projects: scope.value } : {}),
  });
  ctx.logger.info({ conversation: ctx.conversation.id, user: ctx.user.aadObjectId ?? ctx.user.id, added }, 'alerts turned on');
  const { settings } = await alerts.status(ctx.conversation.id);
  const when = settings.intervalMinutes > 0 ? `after the next scan (every ${plural(settings.intervalMinutes, 'minute')})` : 'after the next `alerts scan` (no schedule is set)';
  const what = scope ? ` for ${outsideText(scope.value.join(', '), 300)}` : '';
  return messageReply(added ? `Alerts are on in this conversation${what}.` : `Alerts were already on here; I keep posting here${what}.`, [
    `I will post the open findings ${when}, then only what changes: new problems, reminders${settings.reminderHours > 0 ? ` every ${plural(settings.reminderHours, 'hour')}` : ' (off)'}, and fixes.`,
    'Every alert has buttons that start the fix; nothing changes until someone approves the preview.',
  ], [{ title: 'alerts scan', command: 'alerts scan' }, { title: 'alerts status', command: 'alerts status' }]);
}

async function off(ctx: CommandContext): Promise<Reply> {
  const alerts = ctx.alerts;
  const removed = await alerts.unsubscribe(ctx.conversation.id);
  ctx.logger.info({ conversation: ctx.conversation.id, user: ctx.user.aadObjectId ?? ctx.user.id, removed }, 'alerts turned off');
  return removed
    ? messageReply('Alerts are off in this conversation.', ['I will not post alerts here any more. Say `alerts on` to turn them back on.'])
    : messageReply('Alerts were not on in this conversation.', ['Nothing to turn off. Say `alerts on` to get alerts here.'], [{ title: 'alerts on', command: 'alerts on' }]);
}

async function scan(ctx: CommandContext): Promise<Reply> {
  const alerts = ctx.alerts;
  const started = alerts.startScan();
  const current = await alerts.status(ctx.conversation.id);
  if (started === 'busy') return messageReply('A scan is already running.', ['Its findings go to the subscribed conversations when it ends. Say `alerts status` for the results.']);
  const here = current.subscription
    ? 'New findings will be posted here when it ends.'
    : 'This conversation is not subscribed, so nothing is posted here: say `alerts on` first, or `alerts status` afterwards.';
  return messageReply('Scanning now.', [here, `Subscribed conversations: ${current.subscriptions}.`], [{ title: 'alerts status', command: 'alerts status' }]);
}

/** `alerts on|off|status|scan`: where proactive alerts go, what the radar sees, and a scan on demand. */
export interface AlertsArgs {
  action: AlertsAction;
  /** `alerts on in <project>`: only that project's findings here. */
  project?: string;
}

const ALERTS_USAGE = 'Say `alerts on [in <project>]`, `alerts off`, `alerts status` or `alerts scan`.';

export const alertsCommand: Command<AlertsArgs> = {
  id: 'alerts',
  aliases: ['alert'],
  usage: 'alerts [on [in <project>]|off|status|scan]',
  summary: 'Alerts about failing, expiring and soon-to-break connections in this conversation: turn them on or off, see what is watched and found, or scan now.',
  menuText: 'Get alerts here when a connection fails or a secret is about to expire; see what I watch.',
  group: 'alerts',
  // The first example is the help card's quick action: the read-only one.
  examples: ['alerts status', 'alerts on', 'alerts on in Payments', 'alerts scan', 'alerts off'],
  mutates: false,
  configures: (args) => args.action !== 'status',

  parse(tokens) {
    if (tokens.length === 0) return ok({ action: 'status' as const });
    const [first, ...rest] = tokens;
    const action = first?.value.toLowerCase() as AlertsAction;
    if (!ACTIONS.includes(action)) return err({ message: ALERTS_USAGE });
    const parsed = parseOptions(rest, action === 'on' ? ['in'] : []);
    if (!parsed.ok) return parsed;
    if (parsed.value.rest.length > 0) return err({ message: ALERTS_USAGE });
    const project = parsed.value.options.get('in');
    return ok({ action, ...(project !== undefined ? { project } : {}) });
  },

  async run(args, ctx): Promise<Reply> {
    switch (args.action) {
      case 'on':
        return on(ctx, args.project);
      case 'off':
        return off(ctx);
      case 'scan':
        return scan(ctx);
      case 'status':
        return status(ctx);
    }
  },
};
