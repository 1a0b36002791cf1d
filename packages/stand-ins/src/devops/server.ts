/**
 * The Azure DevOps emulator's HTTP server (node:http on loopback). Order per request: log → scripted faults →
 * latency → auth → rate limit → route (→ a lost answer, when scripted). State, rules and faults live in their own
 * modules.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../clock';
import type { Clock } from '../clock';
import type { ServiceEndpoint } from '../wire/service-endpoint';
import type { TlsCertificate } from '../entra/tls-certificate';
import type { Seed } from '../seed';
import type { AuditActor, AuditController } from './audit-trail';
import { EMULATOR_CALLER, type FederatedCredentialRequest, type RuleContext } from './context';
import { Faults, RATE_LIMIT_RESOURCE, type FaultController } from './faults';
import { loseAnswer, type LostAnswer } from '../request-rules';
import { bodyForLog, parseJsonBody, readBody, send, sendError } from './http-io';
import { answerInspection, isInspectionPath } from './inspection';
import { Lifecycle, type LifecycleController, type LifecycleSettings } from './lifecycle';
import { MemoryRequestLog, type RequestLog } from './request-log';
import { notFound, route, splitPath } from './router';
import { EmulatorState } from './state';
import { VssError } from './vss-error';

export interface DevOpsEmulatorOptions {
  seed: Seed;
  port?: number;
  host?: string;
  clock?: Clock;
  /**
   * Extra check of the Authorization header; default accepts any Bearer or Basic header. A refused header gets
   * 401, or the 203 HTML sign-in page on GET/POST without `X-TFS-FedAuthRedirect: Suppress`, as the service does.
   */
  authorize?: (authHeader: string | undefined) => boolean;
  /** How long an Automatic azurerm create stays InProgress, on the clock (default: the seed's lifecycle, else 0). */
  provisioningMs?: number;
  /** How long deleting an Automatic connection stays InProgress (default: the seed's lifecycle, else 0). */
  deletionMs?: number;
  /** How long a scheme conversion answers InProgress (default: the seed's lifecycle, else 0). */
  conversionMs?: number;
  /** Delays used when neither the options above nor the seed's lifecycle section set them. */
  lifecycleDefaults?: Partial<LifecycleSettings>;
  /**
   * Whether a Manual connection already has a federated credential, so it may convert (default: never). The
   * organization id is the one in the connection's WIF subject (see provisioning.ts entraSubject).
   */
  hasFederatedCredential?: (endpoint: ServiceEndpoint, organizationId: string) => boolean;
  /**
   * Readiness realism, off when absent: after a PUT that sets a new serviceprincipalkey the connection is Ready only
   * if this says the secret authenticates; otherwise isReady false, Failed, with an AADSTS7000215-like message.
   */
  verifyServicePrincipalSecret?: (tenantId: string, clientId: string, secret: string) => boolean;
  /** Called when an Automatic connection converts to WIF: Azure DevOps adds the federated credential itself. */
  createFederatedCredential?: (request: FederatedCredentialRequest) => void;
  /** How latency is waited (tests can pass a recorder instead of real timers). */
  sleep?: (ms: number) => Promise<void>;
  /** Serve https with this certificate (names localhost), for a client that insists on https as the service does. */
  tls?: TlsCertificate;
  /**
   * Who a request's credentials belong to, as the audit log names them (the local cloud: the app the Entra token
   * was issued to). Default: the emulator user, a person.
   */
  callerOf?: (authHeader: string | undefined) => AuditActor | undefined;
}

export interface DevOpsEmulator {
  readonly organization: string;
  readonly orgUrl: string;
  readonly port: number;
  readonly faults: FaultController;
  /** Delays and scripted failures of creates and deletes the service finishes asynchronously. */
  readonly lifecycle: LifecycleController;
  readonly requests: RequestLog;
  readonly state: EmulatorState;
  /** The organization's audit log: the auditing and permission switches, entries of a test's own. */
  readonly audit: AuditController;
  close(): Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Stable per organization name, so WIF subjects do not change between runs. */
function organizationIdOf(seed: Seed): string {
  if (seed.organizationId) return seed.organizationId;
  const hex = createHash('sha256').update(seed.organization.toLowerCase()).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function unauthorized(): VssError {
  return new VssError(401, 'UnauthorizedRequestException', "TF400813: The user '' is not authorized to access this resource.",
    3000, 'Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server',
    { 'WWW-Authenticate': 'Bearer authorization_uri=https://login.microsoftonline.com/common, Basic realm="https://dev.azure.com/"' });
}

function throttled(): VssError {
  return new VssError(429, 'RequestBlockedException',
    `TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource '${RATE_LIMIT_RESOURCE}' in namespace 'User'.`,
    3000, 'Microsoft.TeamFoundation.Framework.Server.RequestBlockedException, Microsoft.TeamFoundation.Framework.Server');
}

/**
 * Credentials the service rejects: GET/POST without `X-TFS-FedAuthRedirect: Suppress` get a 203 HTML sign-in page,
 * the rest 401 TF400813 (facts §5; the node client's handlers always send the Suppress header).
 */
function refuseCredentials(req: IncomingMessage, res: ServerResponse): void {
  const suppress = String(req.headers['x-tfs-fedauthredirect'] ?? '').toLowerCase() === 'suppress';
  if (suppress || req.method === 'PATCH') return sendError(res, unauthorized());
  const page = '<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head><body>Sign in to your account</body></html>';
  res.writeHead(203, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(page)) });
  res.end(page);
}

const defaultAuthorize = (header: string | undefined): boolean => /^(Bearer|Basic)\s+\S+/i.test(header ?? '');

interface Machinery {
  options: DevOpsEmulatorOptions;
  state: EmulatorState;
  faults: Faults;
  lifecycle: Lifecycle;
  requests: MemoryRequestLog;
  clock: Clock;
  organizationId: string;
  orgUrl: () => string;
}

function internalError(): VssError {
  return new VssError(500, 'InternalServerErrorException', 'TF400898: An Internal Error Occurred.');
}

function ruleContext(m: Machinery, authHeader: string | undefined): RuleContext {
  return {
    state: m.state, now: m.clock.now(), organizationId: m.organizationId, caller: m.options.callerOf?.(authHeader) ?? EMULATOR_CALLER,
    lifecycle: m.lifecycle,
    hasFederatedCredential: (endpoint) => m.options.hasFederatedCredential?.(endpoint, m.organizationId) ?? false,
    verifyServicePrincipalSecret: m.options.verifyServicePrincipalSecret,
    createFederatedCredential: m.options.createFederatedCredential,
  };
}

/** Auth, rate limit and routing: everything after the scripted faults. */
function answer(m: Machinery, req: IncomingMessage, res: ServerResponse, url: URL, text: string, lost?: LostAnswer): void {
  const authHeader = req.headers.authorization;
  if (!defaultAuthorize(authHeader)) return sendError(res, unauthorized());
  if (m.options.authorize && !m.options.authorize(authHeader)) return refuseCredentials(req, res);
  const rate = m.faults.consume();
  if (!rate.allowed) return sendError(res, throttled(), rate.headers);
  const split = splitPath(url.pathname);
  if (!split || split.organization.toLowerCase() !== m.options.seed.organization.toLowerCase()) {
    return sendError(res, notFound(url.pathname), rate.headers);
  }
  try {
    const method = (req.method ?? 'GET').toUpperCase();
    const authScheme = /^(\S+)\s/.exec(authHeader ?? '')?.[1];
    const apiRequest = { method, project: split.project, rest: split.rest, query: url.searchParams, body: parseJsonBody(text), authScheme };
    const result = route({ ctx: ruleContext(m, authHeader), orgUrl: m.orgUrl(), organization: m.options.seed.organization }, apiRequest, url.pathname, req.headers.accept);
    if (lost) return loseAnswer(res, lost);
    send(res, result.status, result.body, { ...rate.headers, ...result.headers });
  } catch (error) {
    sendError(res, error instanceof VssError ? error : internalError(), rate.headers);
  }
}

async function handle(m: Machinery, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const text = await readBody(req);
  if (isInspectionPath(url.pathname, m.options.seed.organization)) return answerInspection(req, res, url, m.requests);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v ?? '']));
  m.requests.record({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: bodyForLog(text), headers });
  const fault = m.faults.take(method, url.pathname);
  if (fault?.kind === 'reset') return void req.socket.destroy();
  if (fault?.kind === 'hang') return;
  const delay = m.faults.delayMs();
  if (delay > 0) await (m.options.sleep ?? realSleep)(delay);
  if (fault?.kind === 'respond') return send(res, fault.response.status, fault.response.body, fault.response.headers);
  answer(m, req, res, url, text, fault?.kind === 'lose' ? fault.how : undefined);
}

export async function startDevOpsEmulator(options: DevOpsEmulatorOptions): Promise<DevOpsEmulator> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  let orgUrl = '';
  const organizationId = organizationIdOf(options.seed);
  const m: Machinery = {
    options, clock, state: new EmulatorState(options.seed, clock, organizationId), faults: new Faults(clock), requests: new MemoryRequestLog(),
    lifecycle: new Lifecycle(options.seed.lifecycle, { provisioningMs: options.provisioningMs, deletionMs: options.deletionMs, conversionMs: options.conversionMs }, options.lifecycleDefaults),
    organizationId, orgUrl: () => orgUrl,
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handle(m, req, res).catch(() => sendError(res, internalError()));
  };
  const server = options.tls ? createHttpsServer({ key: options.tls.keyPem, cert: options.tls.certPem }, handler) : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  orgUrl = options.tls ? `https://localhost:${port}/${options.seed.organization}` : `http://${host}:${port}/${options.seed.organization}`;
  return {
    organization: options.seed.organization, orgUrl, port, faults: m.faults, lifecycle: m.lifecycle, requests: m.requests, state: m.state, audit: m.state.audit,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
