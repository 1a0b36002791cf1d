import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import type { ICoreApi } from 'azure-devops-node-api/CoreApi.js';
import type { IServiceEndpointApi } from 'azure-devops-node-api/ServiceEndpointApi.js';
import { systemClock, type Sleep, type Clock } from '../domain/time';
import type { DevOpsConfig } from '../config';
import type { ProjectReference, ServiceEndpoint, ServiceEndpointProjectReference } from '../domain/endpoint';
import { AppError, isAppError, statusOf } from '../domain/errors';
import { scrubText } from '../domain/redaction';
import type { AccessTokenSource } from '../identity/access-token-source.port';
import { SignInPageError, toAppError } from './devops-errors';
import { toClientEndpoint, toClientProjectReferences, toEndpointOrNull, toEndpoints, toExecutionRecord } from './mapping';
import { isSignInPage, ObservedWebApi, observeResponses } from './observed-web-api';
import type { Lane } from './call-gate';
import type { CallRecord } from './rate-budget';
import { RateLimitTracker, type RateLimitSnapshot } from './rate-limit';
import { Resilience } from './resilience';
import type { ExecutionPage, ListFilter, ServiceEndpoints } from './service-endpoints.port';
import type { FederationMigration, MigrationAnswer } from './federation-migration.port';
import type { ConnectionVerification, Verification } from './connection-verification.port';
import { VERIFY_API_VERSION, verifyRequestBody, readVerification } from './endpoint-proxy-wire';
import { MIGRATION_API_VERSION, MIGRATION_PATH, migrationBody, readMigrationAnswer } from './federation-migration-wire';
import { isAzureDevOpsHost, RefreshableBearerHandler } from './token-request-handler';
import { NO_TELEMETRY, type Telemetry } from '../telemetry/telemetry.port';
import type { Log } from '../log';

export interface AzureDevOpsServiceEndpointsOptions {
  orgUrl: string;
  tokens: AccessTokenSource;
  requestTimeoutMs: number;
  /** Total attempts per call when throttled or unavailable (1 = no retry). */
  maxAttempts: number;
  clock?: Clock;
  logger?: Log;
  /** Injectable so tests record the waits instead of sleeping. */
  sleep?: Sleep;
  random?: () => number;
  /** A Retry-After longer than this fails fast with DEVOPS.THROTTLED (and retryAfterMs) instead of waiting. */
  maxRetryAfterMs?: number;
  /** Background calls in flight at once (default 4; call-gate.ts). */
  backgroundInFlight?: number;
  /** Counts 429s and the waits (budget, Retry-After, backoff); none by default. */
  telemetry?: Telemetry;
}

/** What every lane view of one adapter shares: discovered APIs and the last token (for scrubbing messages). */
interface SharedState {
  endpointApi: Promise<IServiceEndpointApi> | undefined;
  coreApi: Promise<ICoreApi> | undefined;
  /** Discoveries run one after another so concurrent first calls share one Location/ResourceAreas lookup. */
  discoveries: Promise<unknown>;
  lastToken: string;
  restObserved: boolean;
}

const PROJECT_PAGE = 100;

/** The admitted call an HTTP answer belongs to, for the response observer (which sees only the message). */
const answering = new AsyncLocalStorage<CallRecord | undefined>();

/**
 * The ServiceEndpoints port over azure-devops-node-api. One WebApi per adapter (discovery runs once); the token is
 * fetched before every attempt and handed to a refreshable handler; cockatiel retries 429 (any verb, honouring
 * Retry-After) and gateway/network failures (idempotent calls only); every failure leaves as an AppError.
 * Every call passes one rate-limit gate in a priority lane: `inLane` gives a view of the same adapter (same
 * budget, token and discovery) whose calls go in another lane.
 */
export class AzureDevOpsServiceEndpoints implements ServiceEndpoints, FederationMigration, ConnectionVerification {
  private readonly handler: RefreshableBearerHandler;
  private readonly webApi: ObservedWebApi;
  private readonly limits: RateLimitTracker;
  private readonly resilience: Resilience;
  private readonly sleep: Sleep;
  private readonly shared: SharedState;
  private readonly orgUrl: string;
  private readonly telemetry: Telemetry;

  constructor(private readonly options: AzureDevOpsServiceEndpointsOptions, private readonly lane: Lane = 'normal', from?: AzureDevOpsServiceEndpoints) {
    if (from) {
      ({ handler: this.handler, webApi: this.webApi, limits: this.limits, resilience: this.resilience, sleep: this.sleep, shared: this.shared, orgUrl: this.orgUrl, telemetry: this.telemetry } = from);
      return;
    }
    const orgUrl = options.orgUrl.replace(/\/+$/, '');
    this.orgUrl = orgUrl;
    this.shared = { endpointApi: undefined, coreApi: undefined, discoveries: Promise.resolve(), lastToken: '', restObserved: false };
    this.handler = new RefreshableBearerHandler(new URL(orgUrl).hostname);
    this.telemetry = options.telemetry ?? NO_TELEMETRY;
    const sleep = options.sleep ?? systemClock.sleep;
    const waits = (reason: 'budget' | 'retry-after' | 'backoff'): Sleep => (ms) => {
      if (ms > 0) {
        this.telemetry.count('devops.waits', { reason });
        this.telemetry.count('devops.waited.ms', { reason }, ms);
      }
      return sleep(ms);
    };
    // Every wait is counted by why: the spent budget (the gate), a Retry-After shared by every caller, a backoff.
    this.sleep = waits('retry-after');
    this.limits = new RateLimitTracker(options.clock ?? systemClock, {
      maxPauseMs: options.maxRetryAfterMs, random: options.random, sleep: waits('budget'),
      ...(options.backgroundInFlight === undefined ? {} : { lanes: { backgroundInFlight: options.backgroundInFlight } }),
    });
    const observer = (message: IncomingMessage) => this.observe(message);
    // The socket timeout is only a backstop that frees a hung socket; the per-attempt timeout answers first.
    this.webApi = new ObservedWebApi(orgUrl, this.handler, options.requestTimeoutMs * 2, observer);
    // The migration call goes through the WebApi's own rest client: it must see the same rate-limit headers.
    observeResponses(this.webApi, observer);
    this.resilience = new Resilience({
      maxAttempts: options.maxAttempts,
      timeoutMs: options.requestTimeoutMs,
      sleep: waits('backoff'),
      random: options.random,
      maxRetryAfterMs: options.maxRetryAfterMs,
      sharedRetryAfter: true,
      onRetry: (event) => options.logger?.warn({ devops: event }, 'retrying Azure DevOps call'),
    });
  }

  /** The same adapter (budget, token, discovered APIs) whose calls go in `lane` (call-gate.ts). */
  inLane(lane: Lane): AzureDevOpsServiceEndpoints {
    return lane === this.lane ? this : new AzureDevOpsServiceEndpoints(this.options, lane, this);
  }

  /** The latest X-RateLimit-* / Retry-After headers the service sent, if any. */
  rateLimit(): RateLimitSnapshot | undefined {
    return this.limits.current();
  }

  async projects(): Promise<ProjectReference[]> {
    const core = await this.core();
    const seen = new Map<string, ProjectReference>();
    // The client drops the continuation header of getProjects, so page with $top/$skip until a short page.
    for (let skip = 0; ; skip += PROJECT_PAGE) {
      const page = (await this.call('listing projects', true, () => core.getProjects(undefined, PROJECT_PAGE, skip))) ?? [];
      const before = seen.size;
      for (const p of page) if (p.id) seen.set(p.id, p.name === undefined ? { id: p.id } : { id: p.id, name: p.name });
      if (page.length < PROJECT_PAGE || seen.size === before) break;
    }
    return [...seen.values()];
  }

  async list(project: string, filter: ListFilter = {}): Promise<ServiceEndpoint[]> {
    const api = await this.endpoints();
    const op = 'listing service connections';
    const found = await this.call(op, true, () =>
      api.getServiceEndpoints(project, filter.type, filter.authSchemes, filter.endpointIds, undefined, filter.includeFailed));
    return toEndpoints(found, op);
  }

  async get(project: string, endpointId: string): Promise<ServiceEndpoint | null> {
    const api = await this.endpoints();
    const op = 'reading a service connection';
    return toEndpointOrNull(await this.call(op, true, () => api.getServiceEndpointDetails(project, endpointId)), op);
  }

  async getByName(project: string, name: string, options: { includeFailed?: boolean } = {}): Promise<ServiceEndpoint | null> {
    const api = await this.endpoints();
    const op = 'finding a service connection by name';
    const found = await this.call(op, true, () =>
      api.getServiceEndpointsByNames(project, [name], undefined, undefined, undefined, options.includeFailed));
    // The service may answer near matches; the bot wants this exact name, whatever its case.
    const wanted = name.toLowerCase();
    return toEndpoints(found, op).find((e) => e.name.toLowerCase() === wanted) ?? null;
  }

  async create(endpoint: ServiceEndpoint): Promise<ServiceEndpoint> {
    const api = await this.endpoints();
    const op = 'creating a service connection';
    const { id: _id, ...body } = toClientEndpoint(endpoint);
    // Not idempotent: a lost answer is not retried (the caller looks the name up before it ever POSTs again).
    const created = toEndpointOrNull(await this.call(op, false, () => api.createServiceEndpoint(body)), op);
    if (!created) throw new AppError('DEVOPS.UNAVAILABLE', 'Azure DevOps answered the create without the connection', { status: 200 });
    return created;
  }

  async update(endpoint: ServiceEndpoint, operation?: string): Promise<ServiceEndpoint> {
    const api = await this.endpoints();
    const op = 'updating a service connection';
    const body = toClientEndpoint(endpoint);
    const updated = await this.call(op, false, () => api.updateServiceEndpoint(body, endpoint.id, operation));
    const result = toEndpointOrNull(updated, op);
    if (!result) throw new AppError('DEVOPS.NOT_FOUND', `Azure DevOps has no service connection ${endpoint.id} to update`, { status: 404 });
    return result;
  }

  async delete(endpointId: string, projectIds: string[], options: { deep?: boolean } = {}): Promise<void> {
    const api = await this.endpoints();
    // DELETE of one id is idempotent: repeating it after a lost answer removes nothing more.
    await this.call('deleting a service connection', true, () => api.deleteServiceEndpoint(endpointId, projectIds, options.deep));
  }

  async share(endpointId: string, references: ServiceEndpointProjectReference[]): Promise<void> {
    const api = await this.endpoints();
    const refs = toClientProjectReferences(references);
    await this.call('sharing a service connection', false, () => api.shareServiceEndpoint(refs, endpointId));
  }

  async executionHistory(project: string, endpointId: string, options: { top?: number; continuationToken?: string } = {}): Promise<ExecutionPage> {
    const api = await this.endpoints();
    const token = options.continuationToken === undefined ? undefined : Number(options.continuationToken);
    const page = await this.call('reading execution history', true, () =>
      api.getServiceEndpointExecutionRecords(project, endpointId, options.top, token));
    const records = (page ?? []).map((r) => toExecutionRecord(r, endpointId));
    const next = page?.continuationToken;
    return next ? { records, continuationToken: String(next) } : { records };
  }

  /**
   * One REST call on a path under the organization URL (api-version in the path), for the areas the node client
   * has no typed API for (pipelinePermissions, securityroles). Same token, retries, limits and error codes.
   * A 404 on GET answers null. `path` may also be an absolute URL another resource area answered at (the
   * identities API on vssps.dev.azure.com, the audit service on auditservice.dev.azure.com), on the organization's
   * host or an Azure DevOps one, never elsewhere.
   */
  async rest<T>(operation: string, method: 'GET' | 'PATCH' | 'PUT', path: string, body?: unknown): Promise<T | null> {
    if (!this.shared.restObserved) {
      observeResponses(this.webApi, (message) => this.observe(message));
      this.shared.restObserved = true;
    }
    const url = /^https?:\/\//i.test(path) ? this.areaUrl(path, operation) : `${this.orgUrl}/${path.replace(/^\/+/, '')}`;
    const client = this.webApi.rest;
    // GET, and PATCH / PUT of an absolute state (authorized true/false, a role): repeating one changes nothing more.
    return this.call(operation, true, async () => {
      const answer = method === 'GET' ? await client.get<T>(url) : method === 'PATCH' ? await client.update<T>(url, body) : await client.replace<T>(url, body);
      return answer.result;
    });
  }

  /**
   * INFERRED (federation-migration.port.ts): the one call that moves a connection to the Entra issuer, as the
   * unmerged Azure CLI change makes it — `POST {org}/_apis/public/serviceendpoint/externalfederatedcredentialmigration`
   * with a Bearer token (the CLI notes Basic is refused) and the old `sc://` subject. Not retried on gateway errors:
   * a move that went through must not be asked for twice blindly; the step reads the connection back instead.
   */
  async migrateIssuer(oldSubject: string): Promise<MigrationAnswer> {
    const url = `${this.orgUrl}/${MIGRATION_PATH}?api-version=${MIGRATION_API_VERSION}`;
    const reply = await this.call('moving a connection to the Entra issuer', false, () => this.webApi.rest.create<unknown>(url, migrationBody(oldSubject)));
    return readMigrationAnswer(reply.result);
  }

  /**
   * The portal's Verify (connection-verification.port.ts): POST `{project}/_apis/serviceendpoint/endpointproxy` with the
   * `TestConnection` data source. The request body and the reading of its answer are OBSERVED, not documented
   * (endpoint-proxy-wire.ts): one method and one reader, so a live capture changes two small places. Read-only on
   * Azure's side, so retried like a GET.
   */
  async verify(project: string, endpointId: string): Promise<Verification> {
    const url = `${this.orgUrl}/${encodeURIComponent(project)}/_apis/serviceendpoint/endpointproxy?endpointId=${encodeURIComponent(endpointId)}&api-version=${VERIFY_API_VERSION}`;
    const reply = await this.call('verifying a service connection', true, () => this.webApi.rest.create<unknown>(url, verifyRequestBody()));
    return readVerification(reply.result);
  }

  /** An absolute URL is called only on the organization's own origin or an Azure DevOps host (the token goes there). */
  private areaUrl(url: string, operation: string): string {
    const target = new URL(url);
    const org = new URL(this.orgUrl);
    if (target.origin === org.origin || (target.protocol === 'https:' && isAzureDevOpsHost(target.hostname))) return target.href;
    throw new AppError('INTERNAL', `Refused to call a host outside Azure DevOps while ${operation}`);
  }

  /** Discovery (Location, ResourceAreas, the area's OPTIONS) once per adapter; a failed one is tried again next call. */
  private endpoints(): Promise<IServiceEndpointApi> {
    const shared = this.shared;
    shared.endpointApi ??= this.discover('serviceendpoint', () => this.webApi.getServiceEndpointApi())
      .catch((error: unknown) => { shared.endpointApi = undefined; throw error; });
    return shared.endpointApi;
  }

  private core(): Promise<ICoreApi> {
    const shared = this.shared;
    shared.coreApi ??= this.discover('core', () => this.webApi.getCoreApi())
      .catch((error: unknown) => { shared.coreApi = undefined; throw error; });
    return shared.coreApi;
  }

  private discover<T>(area: string, create: () => Promise<T>): Promise<T> {
    const run = this.shared.discoveries.then(() => this.call(`discovering the ${area} API`, true, async () => {
      const api = await create();
      observeResponses(api, (message) => this.observe(message));
      // Resolve the area's locations now, under the idempotent policy, rather than inside the first (maybe PUT) call.
      const vso = (api as { vsoClient?: { beginGetAreaLocations?: (a: string) => Promise<unknown> } }).vsoClient;
      await vso?.beginGetAreaLocations?.(area);
      return api;
    }));
    this.shared.discoveries = run.catch(() => undefined);
    return run;
  }

  private async call<T>(operation: string, idempotent: boolean, invoke: () => Promise<T>): Promise<T> {
    let served = 0;
    let admitted: CallRecord | undefined;
    try {
      return await this.resilience.run(operation, idempotent, async () => {
        let refused = false;
        const attempt = admitted;
        try {
          this.handler.use(await this.token());
          // The response observer runs in this attempt's async context: it tells the budget which call was answered.
          return await answering.run(attempt, invoke);
        } catch (error) {
          refused = statusOf(error) === 429;
          if (refused) this.telemetry.count('devops.throttled', { lane: this.lane });
          throw error;
        } finally {
          this.limits.gate.release(this.lane, !refused, attempt);
        }
      }, async () => {
        served = await this.limits.waitTurn(this.sleep, served);
        admitted = await this.limits.gate.admit(this.lane);
      });
    } catch (error) {
      const appError = toAppError(error, operation, this.options.requestTimeoutMs);
      // Defence in depth: a service message must never echo the bearer token.
      const message = scrubText(appError.message, [this.shared.lastToken]);
      return Promise.reject(message === appError.message ? appError
        : new AppError(appError.code, message, { status: appError.status, retryAfterMs: appError.retryAfterMs }));
    }
  }

  private async token(): Promise<string> {
    try {
      this.shared.lastToken = await this.options.tokens.getToken();
      return this.shared.lastToken;
    } catch (error) {
      if (isAppError(error)) throw error;
      throw new AppError('IDENTITY.UNAVAILABLE', 'No access token for Azure DevOps');
    }
  }

  private observe(message: IncomingMessage): void {
    this.limits.observe(message.statusCode ?? 0, message.headers, answering.getStore());
    if (isSignInPage(message)) throw new SignInPageError(message.statusCode ?? 0);
  }
}

export interface AzureDevOpsDeps {
  clock?: Clock;
  logger?: Log;
  sleep?: Sleep;
  random?: () => number;
  telemetry?: Telemetry;
}

export function createAzureDevOpsServiceEndpoints(
  config: DevOpsConfig,
  tokens: AccessTokenSource,
  deps: AzureDevOpsDeps = {},
): AzureDevOpsServiceEndpoints {
  return new AzureDevOpsServiceEndpoints({ ...deps, orgUrl: config.orgUrl, tokens, requestTimeoutMs: config.requestTimeoutMs, maxAttempts: config.maxAttempts });
}
