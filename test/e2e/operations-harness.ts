/**
 * The e2e harness for change operations: the whole local cloud (DevOps + Entra + Graph + Key Vault stand-ins),
 * the real adapters (azure-devops-node-api, @azure/identity, Graph over the Azure SDK pipeline, Key Vault SDK),
 * the real planners, an embedded store on disk and the Executor. Tests assert on what the stand-ins saw.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { systemClock } from '../../src/domain/time';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import { AzureDevOpsPipelineAccess } from '../../src/devops/azure-devops-pipeline-access';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import type { Plan } from '../../src/domain/plan';
import { INSTANT_LIFECYCLE, parseSeed, startLocalCloud, ManualClock, type LocalCloud, type RecordedRequest } from '@scbot/stand-ins';
import { Executor, SecretLedger, StorePlanRepository } from '../../src/execution';
import { createSteps } from '../../src/operations/operations';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../../src/identity';
import { createLogger, type Logger } from '../../src/logging';
import { ARM_SCOPE, ArmManagedIdentities, ArmRoleAssignments, GRAPH_SCOPE, GraphAppRegistrations, GraphAppSecrets, KeyVaultSecrets, TokenSecretVerifier } from '../../src/azure';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { OtelTelemetry } from '../../src/telemetry/otel-telemetry';
import type { Store } from '../../src/store/store.port';
import type { AppPorts, AppTuning } from '../../bot/compose';

/**
 * The executor never waits between readiness polls here, so the stand-ins are asked to finish their asynchronous
 * work by the next read (their default is InProgress for a while, as the service); a test about that pace sets
 * `cloud.devops.lifecycle.settings` itself.
 */
export const HARNESS_TUNING: AppTuning = { executor: { sleep: async () => undefined } };

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const PROJECT = { id: 'a0000000-0000-4000-8000-0000000000a1', name: 'Payments' };
export const OTHER = { id: 'a0000000-0000-4000-8000-0000000000a2', name: 'Platform' };
export const BOT = { appId: 'b0000000-0000-4000-8000-000000000001', objectId: 'b0000000-0000-4000-8000-000000000002', tenantId: TENANT };
export const VAULT = { name: 'kv-ops', secret: 'sc-vault-next', value: 'SEEDSECRET-vault-next-9f2' };

/** Index n → stable ids, so tests can name connections and their apps. */
export const endpointId = (n: number) => `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const appIdOf = (n: number) => `d0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const objectIdOf = (n: number) => `d1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const seedSecretOf = (n: number) => `SEEDSECRET-${n}-x7Q~kz`;

export interface ConnectionSpec {
  n: number;
  name: string;
  mode?: 'Automatic' | 'Manual';
  scheme?: 'ServicePrincipal' | 'WorkloadIdentityFederation';
  failed?: boolean;
  sharedWith?: typeof OTHER;
  /** Its name in the project it is shared with (default: the same name). */
  sharedName?: string;
  revertDeadline?: string;
  type?: string;
  /** The app also accepts the Key Vault secret's value (it was added there by a person). */
  vaultSecret?: boolean;
  /** The bot's identity does not own the app. */
  foreign?: boolean;
  /** Workload identity federation on this issuer (default: the Entra one when the scheme is WIF). */
  issuer?: 'azure-devops' | 'app-vstoken' | 'entra';
  /** The identity is a user-assigned managed identity (ARM), not an app registration. */
  managedIdentity?: boolean;
  /** The app is multitenant (signInAudience AzureADMultipleOrgs). */
  multitenant?: boolean;
  environment?: string;
}

export const ORG_ID = '0c0c0c0c-0000-4000-8000-00000000000c';
export const SUBSCRIPTION = 'f0000000-0000-4000-8000-000000000001';
export const identityResourceId = (n: number) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-ops/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-${n}`;

function federationParams(spec: ConnectionSpec): Record<string, string> {
  if (spec.issuer === undefined || spec.issuer === 'entra') return {};
  const host = spec.issuer === 'app-vstoken' ? 'https://app.vstoken.visualstudio.com' : 'https://vstoken.dev.azure.com';
  return { workloadIdentityFederationIssuer: `${host}/${ORG_ID}`, workloadIdentityFederationSubject: `sc://contoso/${PROJECT.name}/${spec.name}` };
}

function connection(spec: ConnectionSpec) {
  const scheme = spec.scheme ?? 'ServicePrincipal';
  const params: Record<string, string> = { tenantid: TENANT, serviceprincipalid: appIdOf(spec.n) };
  if (scheme === 'ServicePrincipal') Object.assign(params, { authenticationType: 'spnKey', serviceprincipalkey: seedSecretOf(spec.n) });
  else Object.assign(params, federationParams(spec));
  const automatic = (spec.mode ?? 'Automatic') === 'Automatic';
  const data: Record<string, string> = { environment: spec.environment ?? 'AzureCloud', scopeLevel: 'Subscription', subscriptionId: SUBSCRIPTION, subscriptionName: 'payments', creationMode: automatic ? 'Automatic' : 'Manual' };
  if (automatic) Object.assign(data, { azureSpnRoleAssignmentId: 'ra-1', spnObjectId: objectIdOf(spec.n), appObjectId: objectIdOf(spec.n), azureSpnPermissions: '[]' });
  if (spec.revertDeadline) data.revertSchemeDeadline = spec.revertDeadline;
  const refs = [{ projectReference: { ...PROJECT }, name: spec.name }];
  if (spec.sharedWith) refs.push({ projectReference: { ...spec.sharedWith }, name: spec.sharedName ?? spec.name });
  return {
    id: endpointId(spec.n), name: spec.name, type: spec.type ?? 'azurerm', url: 'https://management.azure.com/',
    authorization: { scheme, parameters: params }, data, isShared: Boolean(spec.sharedWith),
    isReady: !spec.failed, operationStatus: spec.failed ? { state: 'Failed', statusMessage: 'Failed to obtain the JSON Web Token (JWT).' } : { state: 'Ready', statusMessage: '' },
    serviceEndpointProjectReferences: refs,
  };
}

function application(spec: ConnectionSpec) {
  const passwords = [{ keyId: `c0000000-0000-4000-8000-${String(spec.n).padStart(12, '0')}`, displayName: 'made by a person', secretText: seedSecretOf(spec.n), startDateTime: '${now-10d}', endDateTime: '${now+300d}' }];
  if (spec.vaultSecret) passwords.push({ keyId: `c1000000-0000-4000-8000-${String(spec.n).padStart(12, '0')}`, displayName: 'in Key Vault', secretText: VAULT.value, startDateTime: '${now-1d}', endDateTime: '${now+30d}' });
  const audience = spec.multitenant ? { signInAudience: 'AzureADMultipleOrgs' } : {};
  const federated = spec.issuer && spec.issuer !== 'entra' ? { federatedIdentityCredentials: [{ name: 'azdo-old', ...oldCredential(spec) }] } : {};
  return { objectId: objectIdOf(spec.n), appId: appIdOf(spec.n), displayName: spec.name, owners: spec.foreign ? [] : [BOT.objectId], passwordCredentials: passwords, ...audience, ...federated };
}

function oldCredential(spec: ConnectionSpec): { issuer: string; subject: string } {
  const p = federationParams(spec);
  return { issuer: p.workloadIdentityFederationIssuer ?? '', subject: p.workloadIdentityFederationSubject ?? '' };
}

function managedIdentity(spec: ConnectionSpec) {
  return {
    subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-ops', name: `id-${spec.n}`, clientId: appIdOf(spec.n), principalId: objectIdOf(spec.n),
    federatedIdentityCredentials: spec.issuer && spec.issuer !== 'entra' ? [{ name: 'azdo-old', ...oldCredential(spec) }] : [],
  };
}

/** The seed as a document (what `npm run cloud -- --seed <file>` reads). */
export function operationsSeedDocument(specs: ConnectionSpec[]) {
  return {
    organization: 'contoso', organizationId: ORG_ID, projects: [PROJECT, OTHER],
    endpoints: specs.map(connection), bot: BOT, applications: specs.filter((s) => !s.managedIdentity).map(application),
    managedIdentities: specs.filter((s) => s.managedIdentity).map(managedIdentity),
    keyVaults: { [VAULT.name]: { [VAULT.secret]: { value: VAULT.value, expires: '${now+30d}' } } },
  };
}

/** `extra`: more seed sections (pipelines, …) beside the connections' own. */
export function operationsSeed(specs: ConnectionSpec[], extra: Record<string, unknown> = {}) {
  return parseSeed({ ...operationsSeedDocument(specs), ...extra }, systemClock);
}

export interface Harness {
  cloud: LocalCloud;
  devops: AzureDevOpsServiceEndpoints;
  graph: GraphAppSecrets;
  apps: GraphAppRegistrations;
  managedIdentities: ArmManagedIdentities;
  roles: ArmRoleAssignments;
  verifier: TokenSecretVerifier;
  store: EmbeddedStore;
  storeDir: string;
  plans: StorePlanRepository;
  ledger: SecretLedger;
  /** The bot's clock (executor, ledger); the stand-ins run on the wall clock. */
  clock: ManualClock;
  logLines: string[];
  logger: Logger;
  retries: Array<{ status?: number }>;
  executor(options?: { concurrency?: number; devops?: ServiceEndpoints; store?: Store }): Executor;
  /** The app's ports over the stand-ins, for composeApp (bot/compose.ts), as local mode builds them. */
  ports(options?: { devops?: ServiceEndpoints; store?: Store }): AppPorts;
  newAdapter(): AzureDevOpsServiceEndpoints;
  save(plan: Plan | { kind: 'refused'; reason: string }): Promise<Plan>;
  close(): Promise<void>;
}

function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk: Buffer, _e, done) { lines.push(chunk.toString('utf8')); done(); } });
  return { logger: createLogger({ level: 'trace', destination }), lines };
}

/** The real adapters, wired to the stand-ins the way bot/main.ts wires them to Azure. */
function adapters(cloud: LocalCloud, logger: Logger, retries: Array<{ status?: number }>) {
  const credential = createCredential(cloud.identityConfig, { trust: cloud.trust });
  const devopsTokens = new RefreshingTokenSource(credential, AZURE_DEVOPS_SCOPE);
  // The OpenTelemetry API's globals: a test that starts the SDK sees the adapters' counters, the others pay nothing.
  const telemetry = new OtelTelemetry();
  const newAdapter = () => new AzureDevOpsServiceEndpoints({
    orgUrl: cloud.devops.orgUrl, tokens: devopsTokens, requestTimeoutMs: 10_000, maxAttempts: 6, telemetry,
    logger: { info: (obj) => logger.info(obj), warn: (obj) => { retries.push((obj as { devops: { status?: number } }).devops); logger.warn(obj, 'retrying'); } },
  });
  return {
    newAdapter, devopsTokens, telemetry,
    graph: new GraphAppSecrets({ tokens: new RefreshingTokenSource(credential, GRAPH_SCOPE), graphUrl: cloud.graphUrl, trust: cloud.trust, maxRetries: 0, logger }),
    apps: new GraphAppRegistrations({ tokens: new RefreshingTokenSource(credential, GRAPH_SCOPE), graphUrl: cloud.graphUrl, trust: cloud.trust, maxRetries: 0, logger }),
    managedIdentities: new ArmManagedIdentities({ tokens: new RefreshingTokenSource(credential, ARM_SCOPE), armUrl: cloud.armUrl, trust: cloud.trust, maxRetries: 0, logger }),
    roles: new ArmRoleAssignments({ tokens: new RefreshingTokenSource(credential, ARM_SCOPE), armUrl: cloud.armUrl, trust: cloud.trust, maxRetries: 0, logger }),
    verifier: new TokenSecretVerifier({ authorityHost: cloud.entra.authorityHost, trust: cloud.trust, attempts: 3, delayMs: 1, sleep: async () => undefined }),
    vault: new KeyVaultSecrets({ credential, urlTemplate: cloud.keyVaultUrlTemplate, trust: cloud.trust, disableChallengeResourceVerification: true, maxRetries: 0 }),
  };
}

export async function startHarness(specs: ConnectionSpec[], extraSeed: Record<string, unknown> = {}): Promise<Harness> {
  const { logger, lines } = capturedLogger();
  const cloud = await startLocalCloud({ seed: operationsSeed(specs, extraSeed), logger, ...INSTANT_LIFECYCLE });
  const retries: Array<{ status?: number }> = [];
  const { newAdapter, devopsTokens, telemetry, graph, apps, managedIdentities, roles, verifier, vault } = adapters(cloud, logger, retries);
  const storeDir = await mkdtemp(path.join(tmpdir(), 'scbot-ops-'));
  const store = new EmbeddedStore({ dir: storeDir });
  const clock = new ManualClock(new Date());
  const plans = new StorePlanRepository(store);
  const devops = newAdapter();
  return {
    cloud, devops, graph, apps, managedIdentities, roles, verifier, store, storeDir, plans, clock, logLines: lines, logger, retries, newAdapter,
    ledger: new SecretLedger(store, clock),
    executor: (options = {}) => {
      const useStore = options.store ?? store;
      const steps = createSteps({ appSecrets: graph, vaultSecrets: vault, verifier, ledger: new SecretLedger(useStore, clock) }, { pipelines: new AzureDevOpsPipelineAccess(devops), migration: devops, apps, managedIdentities, roles, verification: devops });
      return new Executor({ store: useStore, devops: options.devops ?? devops, steps, clock, concurrency: options.concurrency, logger, sleep: async () => undefined });
    },
    ports: (options = {}) => ({
      devops: options.devops ?? devops, pipelines: new AzureDevOpsPipelineAccess(devops), store: options.store ?? store, appSecrets: graph, vaultSecrets: vault, verifier, clock, logger,
      migration: devops, appRegistrations: apps, managedIdentities, roles, verification: devops, devopsTokens, telemetry,
    }),
    save: async (plan) => {
      if ('kind' in plan) throw new Error(`refused: ${plan.reason}`);
      await plans.save(plan);
      return plan;
    },
    close: async () => {
      await cloud.close();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

/**
 * The REST calls one connection received, as "LIST" (a list read naming its id in `endpointIds`), "GET",
 * "PUT ConvertAuthenticationScheme", "DELETE projectIds=…".
 */
export function callsFor(requests: RecordedRequest[], id: string): string[] {
  const wanted = id.toLowerCase();
  return requests
    .filter((r) => r.path.toLowerCase().endsWith(`/_apis/serviceendpoint/endpoints/${wanted}`) || idsOf(r).includes(wanted))
    .map((r) => {
      if (idsOf(r).length > 0) return 'LIST';
      if (r.method === 'PUT' && r.query.operation) return `PUT ${r.query.operation}`;
      if (r.method === 'DELETE') return `DELETE ${r.query.projectIds ?? ''}${r.query.deep === 'true' ? ' deep' : ''}`;
      return r.method;
    });
}

/** The list reads by ids (GET …/endpoints?endpointIds=…), each as its ids in lower case. */
export function listReads(requests: RecordedRequest[]): string[][] {
  return requests.map(idsOf).filter((ids) => ids.length > 0);
}

function idsOf(r: RecordedRequest): string[] {
  if (r.method !== 'GET' || !/\/_apis\/serviceendpoint\/endpoints\/?$/i.test(r.path) || !r.query.endpointIds) return [];
  return r.query.endpointIds.toLowerCase().split(',').map((i) => i.trim());
}
