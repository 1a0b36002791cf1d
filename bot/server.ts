import type { Request, Response, Server } from 'restify';
import restify from 'restify';
import type { Activity, TurnContext } from 'botbuilder';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Logger } from '../src/logging';
import { errorCodeOf } from '../src/commands/error-text';
import { newReferenceId } from '../src/reference-id';
import { apologyActivity } from './replies';
import type { TeamsBot } from './teams-bot';

export interface BotAuth {
  appId?: string;
  appPassword?: string;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
}

/**
 * CloudAdapter with our own HTTP edge. The SDK's `process()` answers 500 with the raw error message (and prints
 * the stack to stdout) for tokens that jsonwebtoken rejects before botbuilder does (foreign key with a known kid,
 * HS256, alg=none, nbf in the future). Every failure before the turn starts is an authentication failure: 401,
 * with no detail; a failure after it is a 500 with a reference id in the log only.
 */
export class ScbotAdapter extends CloudAdapter {
  private readonly authEnabled: boolean;

  constructor(auth: BotAuth, private readonly logger: Logger) {
    super(new ConfigurationBotFrameworkAuthentication(authSettings(auth)));
    this.authEnabled = Boolean(auth.appId);
  }

  async handle(req: Request, res: Response, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || typeof (body as { type?: unknown }).type !== 'string') {
      res.send(400, { error: 'The body must be a Bot Framework activity.' });
      return;
    }
    const activity = withDates(body as Activity & Record<string, unknown>);
    let turnStarted = false;
    try {
      const invoke = await this.processActivity(String(req.headers.authorization ?? ''), activity, async (context) => {
        turnStarted = true;
        await logic(context);
      });
      if (invoke?.body === undefined) res.send(invoke?.status ?? 200);
      else res.send(invoke.status, invoke.body);
    } catch (error) {
      const status = turnStarted ? 500 : this.authEnabled ? 401 : 400;
      const referenceId = newReferenceId();
      this.logger.warn({ err: error, code: errorCodeOf(error), referenceId, status, activityType: activity.type }, 'activity rejected');
      res.send(status, { error: status === 401 ? 'Unauthorized' : 'The activity could not be processed.', referenceId });
    }
  }
}

function authSettings(auth: BotAuth): Record<string, string> {
  const settings: Record<string, string> = {};
  if (auth.appId) settings.MicrosoftAppId = auth.appId;
  if (auth.appPassword) settings.MicrosoftAppPassword = auth.appPassword;
  if (auth.appType) settings.MicrosoftAppType = auth.appType;
  if (auth.tenantId) settings.MicrosoftAppTenantId = auth.tenantId;
  return settings;
}

/** What botbuilder's own request path does to timestamps (its validator is not exported). */
function withDates(activity: Activity & Record<string, unknown>): Activity {
  for (const key of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    const value = activity[key];
    if (typeof value === 'string') {
      activity[`raw${key[0]?.toUpperCase()}${key.slice(1)}`] = value;
      (activity as Record<string, unknown>)[key] = new Date(value);
    }
  }
  return activity;
}

/**
 * The adapter, authenticated from the bot's settings. An empty app id turns inbound authentication off: only
 * the composition root's explicit local mode may start the bot that way.
 */
export function createAdapter(auth: BotAuth, logger: Logger): ScbotAdapter {
  const adapter = new ScbotAdapter(auth, logger);
  // Replaces the SDK default, which tells the user to "fix the source code" and may echo the error.
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const referenceId = newReferenceId();
    logger.error({ err: error, code: errorCodeOf(error), referenceId, activityType: context.activity?.type }, 'turn failed');
    try {
      await context.sendActivity(apologyActivity(referenceId));
    } catch (sendError) {
      logger.error({ err: sendError, referenceId }, 'could not send the apology');
    }
  };
  return adapter;
}

export function createServer(adapter: ScbotAdapter, bot: TeamsBot, logger: Logger): Server {
  const server = restify.createServer({ name: 'scbot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.handle(req, res, (context) => bot.run(context));
  });
  server.get('/healthz', (_req: Request, res: Response, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });
  server.on('restifyError', (req: Request, _res: Response, error: Error, callback: () => void) => {
    logger.warn({ err: error, path: req.path?.() }, 'http error');
    return callback();
  });
  return server;
}
