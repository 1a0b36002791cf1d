/**
 * Microsoft Graph v1.0 stand-in (https on loopback): the application routes of graph-routes.ts behind Bearer
 * auth with tokens from the Entra stand-in (aud https://graph.microsoft.com). It shares the Entra stand-in's
 * ApplicationRegistry, so a secret added here authenticates at the token endpoint (after the propagation delay).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../clock';
import type { Clock } from '../clock';
import type { StandInLogger as Logger } from '../logger';
import type { ApplicationRegistry } from '../entra/application-registry';
import type { AccessTokenClaims, VerifyAccessTokenOptions } from '../entra/token-issuer';
import { clientAppIdOf } from '../entra/access-token-claims';
import { GRAPH_AUDIENCES } from '../entra/well-known-resources';
import type { TlsCertificate } from '../entra/tls-certificate';
import { bearerToken, readJson, requestTarget, sendJson, startJsonServer } from '../https-json';
import { graphErrors, type GraphError } from './graph-errors';
import { loseAnswer, OnceRules, type LostAnswer, type RequestMatch } from '../request-rules';
import { routeGraph, type GraphContext } from './graph-routes';
import type { Directory } from './directory';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface GraphEmulatorOptions {
  registry: ApplicationRegistry;
  tls: TlsCertificate;
  /** The Entra stand-in's token check (EntraEmulator.verifyAccessToken). */
  verifyAccessToken: (token: string, options: VerifyAccessTokenOptions) => AccessTokenClaims | null;
  clock?: Clock;
  port?: number;
  logger?: Logger;
  /** Users and groups for getMemberGroups (the seed's `users` / `groups`); empty when absent. */
  directory?: Directory;
}

/** One request as the stand-in saw it: never a body, token or secret. */
export interface GraphRequestRecord {
  method: string;
  path: string;
  status: number;
  /** appid of the caller's token, when it had a valid one. */
  callerAppId?: string;
}

export interface GraphEmulator {
  /** e.g. https://localhost:50123 — put `/v1.0/...` after it, as after https://graph.microsoft.com. */
  url: string;
  port: number;
  registry: ApplicationRegistry;
  requests: readonly GraphRequestRecord[];
  /** The next `count` requests fail with this status (503 by default), before auth, as an outage would. */
  failNext(count: number, status?: number): void;
  /** The next `count` parts of $batch requests answer 429 with this Retry-After (seconds), the other parts unharmed. */
  throttleBatchParts(count: number, retryAfterSeconds?: number): void;
  /** The matching request is served (its write commits), then its answer is lost: a reset connection, or `how.status`. */
  loseAnswer(match: RequestMatch, how?: LostAnswer): void;
  close(): Promise<void>;
}

interface Machinery {
  options: GraphEmulatorOptions;
  clock: Clock;
  log: GraphRequestRecord[];
  pendingFailures: { count: number; status: number };
  throttledParts: { count: number; retryAfterSeconds: number };
  lost: OnceRules<LostAnswer>;
  metadataBase: string;
}

function fail(m: Machinery, res: ServerResponse, error: GraphError): void {
  sendJson(res, error.status, error.body(m.clock.now()));
}

async function handle(m: Machinery, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = requestTarget(req);
  const path = decodeURIComponent(url.pathname);
  const record: GraphRequestRecord = { method: req.method ?? 'GET', path, status: 0 };
  m.log.push(record);
  res.on('finish', () => { record.status = res.statusCode; });
  const body = await readJson(req);
  const lost = m.lost.take(record.method, path);
  if (m.pendingFailures.count > 0) {
    m.pendingFailures.count -= 1;
    const error = graphErrors.serviceUnavailable();
    return sendJson(res, m.pendingFailures.status, error.body(m.clock.now()), { 'retry-after': '1' });
  }
  const token = bearerToken(req);
  if (!token) return fail(m, res, graphErrors.noToken());
  const claims = m.options.verifyAccessToken(token, { audience: GRAPH_AUDIENCES });
  if (!claims) return fail(m, res, graphErrors.badToken());
  record.callerAppId = clientAppIdOf(claims);
  if (body === null) return fail(m, res, graphErrors.badBody('The request body is not valid JSON.'));
  const ctx: GraphContext = {
    registry: m.options.registry, clock: m.clock, metadataBase: m.metadataBase, directory: m.options.directory,
    throttlePart: () => {
      if (m.throttledParts.count <= 0) return undefined;
      m.throttledParts.count -= 1;
      return { retryAfterSeconds: m.throttledParts.retryAfterSeconds };
    },
  };
  const prefer = typeof req.headers.prefer === 'string' ? { prefer: req.headers.prefer } : {};
  const reply = routeGraph(ctx, {
    method: (req.method ?? 'GET').toUpperCase(), path, query: url.searchParams, body, callerId: claims.oid, callerAppId: clientAppIdOf(claims), roles: claims.roles ?? [], ...prefer,
  });
  if (lost) return loseAnswer(res, lost);
  sendJson(res, reply.status, reply.body);
}

export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<GraphEmulator> {
  const m: Machinery = {
    options, clock: options.clock ?? systemClock, log: [], pendingFailures: { count: 0, status: 503 }, throttledParts: { count: 0, retryAfterSeconds: 0 }, lost: new OnceRules(),
    metadataBase: 'https://graph.microsoft.com/v1.0/$metadata',
  };
  const server = await startJsonServer(options.tls, options.port ?? 0, (req, res) => handle(m, req, res), (error) => {
    // Name only: the error could quote a request body carrying secret text.
    options.logger?.error({ errorName: (error as Error)?.name }, 'graph stand-in failed');
  });
  return {
    url: server.origin,
    port: server.port,
    registry: options.registry,
    requests: m.log,
    failNext: (count, status = 503) => { m.pendingFailures = { count, status }; },
    throttleBatchParts: (count, retryAfterSeconds = 1) => { m.throttledParts = { count, retryAfterSeconds }; },
    loseAnswer: (match, how = {}) => m.lost.add(match, how),
    close: () => server.close(),
  };
}
