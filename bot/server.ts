import type { Request, Response, Server } from 'restify';
import restify from 'restify';
import type { Activity, TurnContext } from 'botbuilder';
// Type only: botbuilder does not re-export it; botframework-connector is botbuilder's own dependency.
import type { AuthenticateRequestResult } from 'botframework-connector';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { isAllowedServiceUrl, serviceUrlHostForLog, type ServiceUrlPolicy } from '../src/domain/service-url';
import type { Logger } from '../src/logging';
import { errorCodeOf } from '../src/domain/errors';
import { newReferenceId } from '../src/ids';
import { apologyActivity } from './replies';
import type { TeamsBot } from './teams-bot';
import { authSettings, type BotAuth } from './auth-settings';
import { applyHttpLimits, DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-limits';
import { NO_TELEMETRY, type Telemetry } from '../src/telemetry/telemetry.port';
import type { Readiness } from '../src/health/readiness';
import type { McpEndpoint } from '../src/mcp/mcp-endpoint';
import { MCP_PATH, METADATA_PATH } from '../src/mcp/protected-resource';

export type { BotAuth } from './auth-settings';

/**
 * CloudAdapter with our own HTTP edge, in three steps, each refusing before anything is sent anywhere:
 *   1. authenticate the Bot Connector's token. The SDK's `process()` answers 500 with the raw error message for
 *      tokens jsonwebtoken rejects before botbuilder does (foreign key with a known kid, HS256, alg=none, nbf in
 *      the future): every authentication failure is ours to answer, 401 with no detail;
 *   2. check `activity.serviceUrl` (which a valid token has just vouched for) against the allow-list: the SDK
 *      would present the bot's own token to any URL there. Refused: 403, no turn, no outbound call;
 *   3. run the turn. A failure from here on is a 500 with a reference id in the log only.
 */
export class ScbotAdapter extends CloudAdapter {
  private readonly authEnabled: boolean;

  constructor(auth: BotAuth, private readonly serviceUrls: ServiceUrlPolicy, private readonly logger: Logger, private readonly telemetry: Telemetry) {
    super(new ConfigurationBotFrameworkAuthentication(authSettings(auth), auth.credentialsFactory));
    this.authEnabled = Boolean(auth.appId);
  }

  async handle(req: Request, res: Response, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || typeof (body as { type?: unknown }).type !== 'string') {
      res.send(400, { error: 'The body must be a Bot Framework activity.' });
      return;
    }
    const activity = withDates(body as Activity & Record<string, unknown>);
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, String(req.headers.authorization ?? ''));
    } catch (error) {
      this.refuse(res, this.authEnabled ? 401 : 400, activity, { err: error, code: errorCodeOf(error) }, 'activity rejected');
      return;
    }
    if (!isAllowedServiceUrl(activity.serviceUrl, this.serviceUrls)) {
      // Local mode (no inbound authentication) says why: someone trying the bot with curl needs the next step. With
      // authentication on, the body stays as terse as the Bot Framework's (the Connector never reads it).
      const reason = this.authEnabled ? undefined : LOCAL_SERVICE_URL_REASON;
      this.refuse(res, 403, activity, { serviceUrlHost: serviceUrlHostForLog(activity.serviceUrl) }, 'serviceUrl not allowed', reason);
      return;
    }
    // One span per turn: the command, plan id and any reference id handed out are added to it as the turn runs.
    await this.telemetry.span('scbot.turn', { activityType: activity.type }, () => this.runTurn(res, authenticated, activity, logic));
  }

  private async runTurn(res: Response, authenticated: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    let turnStarted = false;
    try {
      const invoke = await this.processActivity(authenticated, activity, async (context) => {
        turnStarted = true;
        await logic(context);
      });
      if (invoke?.body === undefined) res.send(invoke?.status ?? 200);
      else res.send(invoke.status, invoke.body);
    } catch (error) {
      // Authentication is already behind us: whatever fails here (connector set-up or the turn) is ours.
      this.refuse(res, 500, activity, { err: error, code: errorCodeOf(error), turnStarted }, 'activity failed');
    }
  }

  /**
   * Answer without detail; the reference id ties the answer to one log line (never the token). `reason`, local mode
   * only, is a fixed sentence: nothing from the request or the configuration is echoed.
   */
  private refuse(res: Response, status: number, activity: Activity, detail: Record<string, unknown>, message: string, reason?: string): void {
    const referenceId = newReferenceId();
    this.logger.warn({ ...detail, referenceId, status, activityType: activity.type }, message);
    const error = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'The activity could not be processed.';
    res.send(status, { error, ...(reason ? { reason } : {}), referenceId });
  }
}

/** Local mode's 403: replies go to the activity's serviceUrl, which must be on this machine. */
export const LOCAL_SERVICE_URL_REASON =
  'Local mode posts replies to the activity\'s serviceUrl, which must be an http URL on this machine (127.0.0.1, localhost or [::1]). ' +
  'To get the replies in this response instead, send "deliveryMode": "expectReplies" with "serviceUrl": "http://127.0.0.1" (the start-up banner prints a curl command).';

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
export function createAdapter(auth: BotAuth, serviceUrls: ServiceUrlPolicy, logger: Logger, telemetry: Telemetry = NO_TELEMETRY): ScbotAdapter {
  const adapter = new ScbotAdapter(auth, serviceUrls, logger, telemetry);
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

/** Bodies larger than this are refused with 413 (an activity is a few KB; Teams caps messages near 100 KB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The HTTP edge. `limits` (timeouts, connection cap) default to DEFAULT_HTTP_LIMITS; tests pass tiny ones.
 * GET /healthz: the process answers (liveness). GET /readyz: 200 when the store and an Azure DevOps token can be
 * reached and the process is not draining, 503 otherwise; names the checks, never an error's text.
 */
export function createServer(adapter: ScbotAdapter, bot: TeamsBot, logger: Logger, readiness: Readiness, limits: Partial<HttpLimits> = {}, mcp?: McpEndpoint): Server {
  const server = restify.createServer({ name: 'scbot', handleUncaughtExceptions: false });
  applyHttpLimits(server.server, { ...DEFAULT_HTTP_LIMITS, ...limits });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES }));
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.handle(req, res, (context) => bot.run(context));
  });
  server.get('/healthz', (_req: Request, res: Response, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });
  server.get('/readyz', async (_req: Request, res: Response) => {
    const report = await readiness.check();
    res.send(report.status === 'ready' ? 200 : 503, report);
  });
  // Probes (the Agents Playground sends HEAD /api/messages and GET / to see the bot is up) are answered, not logged.
  server.head('/api/messages', (_req: Request, res: Response, next) => {
    res.send(200);
    return next();
  });
  server.get('/', (_req: Request, res: Response, next) => {
    res.send(200, { name: 'scbot', messages: 'POST /api/messages', health: 'GET /healthz', readiness: 'GET /readyz', ...(mcp ? { mcp: `POST ${MCP_PATH}` } : {}) });
    return next();
  });
  if (mcp) routeMcp(server, mcp);
  server.on('restifyError', (req: Request, _res: Response, error: Error & { statusCode?: number }, callback: () => void) => {
    // A client's mistake (404, 405, 413 …) is theirs: debug; the server's own failures are worth a warning.
    const level = (error.statusCode ?? 500) < 500 ? 'debug' : 'warn';
    logger[level]({ err: error, method: req.method, path: req.path?.() }, 'http error');
    return callback();
  });
  return server;
}

/**
 * The MCP endpoint (src/mcp), when enabled: POST /mcp for tool calls (GET and DELETE are answered 405 after
 * authentication: the endpoint is stateless), and its protected resource metadata (RFC 9728), public, at the
 * well-known path with and without the resource's own path. The endpoint writes the Node response itself.
 */
function routeMcp(server: Server, mcp: McpEndpoint): void {
  const handle = async (req: Request, res: Response) => {
    await mcp.handle(req, res, req.body);
  };
  server.post(MCP_PATH, handle);
  server.get(MCP_PATH, handle);
  server.del(MCP_PATH, handle);
  const metadata = (req: Request, res: Response, next: () => void) => {
    res.send(200, mcp.metadata(req));
    return next();
  };
  server.get(METADATA_PATH, metadata);
  server.get(`${METADATA_PATH}${MCP_PATH}`, metadata);
}
