import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TlsCertificate } from '../entra/tls-certificate';
import { TEAMS_RATE_LIMITS, TeamsRateLimiter, type RateLimitStats, type TeamsRateLimitSettings } from './teams-rate-limits';

/** One call the bot made to the Bot Connector, as recorded by the stand-in. */
export interface ConnectorCall {
  /** createConversation, sendToConversation (POST …/activities), replyToActivity (POST …/activities/{id}), updateActivity (PUT). */
  kind: 'create' | 'send' | 'reply' | 'update';
  method: string;
  path: string;
  conversationId: string;
  /** The activity id in the path (reply-to for POST, the updated activity for PUT). */
  activityId?: string;
  /** The id the stand-in answered: a new message's own id (what a later update names), or the updated one's. */
  answeredId?: string;
  authorization?: string;
  body: Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: object): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

export interface ConnectorStandInOptions {
  /** Teams' documented limits (the default), others (a test that wants 429s sooner), or false: no limits. */
  rateLimits?: TeamsRateLimitSettings | false;
  /** Milliseconds since the epoch, for the rate windows; Date.now by default. */
  now?: () => number;
  /** Serve https with this certificate (as the real connector does, for a bot that refuses http serviceUrls). */
  tls?: TlsCertificate;
}

/** The app a call comes from: the bot token's appid (v1) or azp (v2) claim; unsigned calls share one key. */
function appOf(authorization: string | undefined): string {
  const payload = authorization?.replace(/^Bearer\s+/i, '').split('.')[1];
  if (!payload) return 'anonymous';
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { appid?: unknown; azp?: unknown };
    return String(claims.appid ?? claims.azp ?? 'anonymous');
  } catch {
    return 'anonymous';
  }
}

/** The tenant a call is for, as Teams reads it from the activity (or a create request's own tenantId). */
function tenantOf(body: Record<string, unknown>): string {
  const conversation = body.conversation as { tenantId?: unknown } | undefined;
  const channelData = body.channelData as { tenant?: { id?: unknown } } | undefined;
  const activity = body.activity as { conversation?: { tenantId?: unknown } } | undefined;
  return String(body.tenantId ?? conversation?.tenantId ?? channelData?.tenant?.id ?? activity?.conversation?.tenantId ?? 'unknown');
}

interface Waiter {
  conversationId: string;
  count: number;
  resolve: (calls: ConnectorCall[]) => void;
}

/**
 * A local Bot Connector (the Teams side of a conversation): accepts the REST calls a bot makes to
 * `serviceUrl`, answers `{ id }` like the real service, records every call, and lets a test await the next
 * replies of a conversation without sleeping. It enforces Teams' rate limits (teams-rate-limits.ts) per
 * conversation and per app per tenant, answering 429 with Retry-After past them; refused calls are not recorded.
 */
export class ConnectorStandIn {
  readonly calls: ConnectorCall[] = [];
  private readonly server: Server | HttpsServer;
  private readonly limiter: TeamsRateLimiter | undefined;
  private readonly waiters: Waiter[] = [];
  private readonly consumed = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private address = '';
  private readonly secure: boolean;

  constructor(options: ConnectorStandInOptions = {}) {
    const limits = options.rateLimits ?? TEAMS_RATE_LIMITS;
    this.limiter = limits === false ? undefined : new TeamsRateLimiter(limits, options.now ?? Date.now);
    this.secure = options.tls !== undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = options.tls ? createHttpsServer({ key: options.tls.keyPem, cert: options.tls.certPem }, handler) : createServer(handler);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    // The certificate names localhost (entra/tls-certificate.ts), so https is reached by that name.
    this.address = this.secure ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;
    return this.address;
  }

  /** The serviceUrl to put in activities (with a trailing slash, as Teams sends it). */
  get serviceUrl(): string {
    return `${this.address}/`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answer the next call for a conversation with this HTTP status (a connector hiccup), once. */
  failNext(conversationId: string, status = 403): void {
    this.failures.set(conversationId, status);
  }

  /** Calls admitted and refused with 429, and the most calls seen within each window; undefined without limits. */
  rateLimitStats(): RateLimitStats | undefined {
    return this.limiter?.stats();
  }

  /** Activities the bot sent to a conversation (POST replies and new activities; not updates). */
  repliesTo(conversationId: string): ConnectorCall[] {
    return this.calls.filter((c) => c.conversationId === conversationId && (c.kind === 'send' || c.kind === 'reply'));
  }

  /** Resolves with the next `count` replies to a conversation that no earlier `nextReplies` call has returned. */
  nextReplies(conversationId: string, count = 1): Promise<ConnectorCall[]> {
    return new Promise((resolve) => {
      this.waiters.push({ conversationId, count, resolve });
      this.settle();
    });
  }

  private settle(): void {
    for (const waiter of [...this.waiters]) {
      const taken = this.consumed.get(waiter.conversationId) ?? 0;
      const available = this.repliesTo(waiter.conversationId).slice(taken);
      if (available.length < waiter.count) continue;
      this.consumed.set(waiter.conversationId, taken + waiter.count);
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(available.slice(0, waiter.count));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0] as string;
    const match = /^\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/.exec(path);
    if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
      send(res, 404, { error: { code: 'NotFound', message: path } });
      return;
    }
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const isCreate = match[1] === undefined;
    const conversationId = isCreate ? `conv-${randomUUID()}` : decodeURIComponent(match[1] as string);
    const activityId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    if (this.throttled(res, conversationId, req.headers.authorization, body)) return;
    const failure = this.failures.get(conversationId);
    if (failure !== undefined) {
      this.failures.delete(conversationId);
      send(res, failure, { error: { code: 'ServiceError', message: 'stand-in failure' } });
      return;
    }
    const kind = isCreate ? 'create' : req.method === 'PUT' ? 'update' : activityId === undefined ? 'send' : 'reply';
    const id = req.method === 'PUT' && activityId ? activityId : `act-${randomUUID()}`;
    this.calls.push({ kind, method: req.method, path, conversationId, activityId, answeredId: id, authorization: req.headers.authorization, body });
    send(res, isCreate ? 201 : 200, isCreate ? { id: conversationId, activityId: id } : { id });
    this.settle();
  }

  /** Teams' answer past a rate limit: 429, Retry-After in seconds, and its error body (code Throttled). */
  private throttled(res: ServerResponse, conversationId: string, authorization: string | undefined, body: Record<string, unknown>): boolean {
    const verdict = this.limiter?.admit(conversationId, `${appOf(authorization)}|${tenantOf(body)}`);
    if (!verdict || verdict.admitted) return false;
    res.setHeader('retry-after', String(verdict.retryAfterSeconds));
    send(res, 429, { error: { code: 'Throttled', message: 'Too many requests. Retry after the time in Retry-After.' } });
    return true;
  }
}
