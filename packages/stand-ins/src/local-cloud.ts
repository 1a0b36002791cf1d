/**
 * The whole local cloud in one call: Entra (tokens), Graph (app secrets, federated credentials), Key Vault and
 * Azure DevOps stand-ins, sharing one self-signed certificate, one clock and one ApplicationRegistry, with the
 * hooks connected: DevOps accepts only Entra-issued tokens for its resource, checks a new connection secret against
 * Entra before calling the connection Ready, and creates the federated credential when it converts an app it manages.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { systemClock } from './clock';
import type { Clock } from './clock';
import { lookup, type ServiceEndpoint } from './wire/service-endpoint';
import type { StandInLogger as Logger } from './logger';
import { startDevOpsEmulator, type DevOpsEmulator } from './devops/server';
import type { FederatedCredentialRequest } from './devops/context';
import { appActor } from './devops/audit-actors';
import type { AuditActor } from './devops/audit-trail';
import type { LifecycleSettings } from './devops/lifecycle';
import { entraIssuer, entraSubject } from './devops/provisioning';
import { ApplicationRegistry } from './entra/application-registry';
import { DEFAULT_TENANT_ID, startEntraEmulator, type EntraEmulator } from './entra/entra-emulator';
import { DEFAULT_BOT_GRAPH_PERMISSIONS, parseIdentitySeed, type SeedBot } from './entra/seed-applications';
import { audienceOfScope } from './entra/token-endpoint';
import { clientAppIdOf } from './entra/access-token-claims';
import { generateLocalhostCertificate } from './entra/tls-certificate';
import { startGraphEmulator, type GraphEmulator } from './graph/graph-emulator';
import { parseDirectorySeed } from './graph/directory';
import { startKeyVaultEmulator, type KeyVaultEmulator } from './keyvault/keyvault-emulator';
import { startArmEmulator, type ArmEmulator } from './arm/arm-emulator';
import { ArmStore } from './arm/arm-store';
import type { Seed } from './seed';

const AZURE_DEVOPS_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
const KEPT_CHECKS = 100;

export interface LocalCloudOptions {
  seed: Seed;
  clock?: Clock;
  /** Port of the DevOps emulator (0, the default, picks a free one); the https stand-ins always pick free ports. */
  port?: number;
  logger?: Logger;
  /** Entra's propagation delay for secrets added through Graph, on the clock; default 0. */
  secretPropagationMs?: number;
  /** How long an Automatic azurerm create stays InProgress (DevOps emulator option; wins over the seed). */
  provisioningMs?: number;
  /** How long deleting an Automatic connection stays InProgress (wins over the seed). */
  deletionMs?: number;
  /** How long a scheme conversion answers InProgress (wins over the seed). */
  conversionMs?: number;
  /** Delays used when neither the options above nor the seed's lifecycle section set them. */
  lifecycleDefaults?: Partial<LifecycleSettings>;
  /** Latency sleeper for the DevOps emulator (benchmarks). */
  sleep?: (ms: number) => Promise<void>;
  /** Serve Azure DevOps over https with the cloud's certificate, as the service (a client in Azure mode insists). */
  devopsHttps?: boolean;
}

/** One bearer check the DevOps emulator made: never the token, only whose it was and whether it passed. */
export interface AuthorizationCheck {
  accepted: boolean;
  appId?: string;
}

/**
 * Everything a client needs to reach a local cloud: the URLs, who to sign in as and what to trust. A LocalCloud
 * started in this process is one; so is the cloud a descriptor file points at (cloud-descriptor.ts).
 */
export interface CloudEndpoints {
  devops: { organization: string; orgUrl: string };
  entra: { authorityHost: string; tenantId: string };
  /** The bot's identity; its secret is made at start-up, held in memory only, never logged. */
  bot: { appId: string; tenantId: string; clientSecret: string; servicePrincipalId: string };
  /** How a client signs in as the bot: client-secret credentials against the Entra stand-in. */
  identityConfig: ClientSecretIdentity;
  trust: { caCertificatePem: string };
  graphUrl: string;
  keyVaultUrlTemplate: string;
  /** Where https://management.azure.com goes (managed identities, their FICs, role assignments). */
  armUrl: string;
  /**
   * The bot's identity as a user-assigned managed identity of an App Service host: IDENTITY_ENDPOINT and
   * IDENTITY_HEADER (a secret) for a process that signs in with managed identity (the built artifact's test).
   */
  managedIdentity: { endpoint: string; header: string };
}

export interface LocalCloud extends CloudEndpoints {
  devops: DevOpsEmulator;
  entra: EntraEmulator;
  graph: GraphEmulator;
  keyVault: KeyVaultEmulator;
  arm: ArmEmulator;
  /** The most recent bearer checks of the DevOps emulator (its request log drops Authorization headers). */
  authorizations: readonly AuthorizationCheck[];
  close(): Promise<void>;
}

/** Client-credentials sign-in at the Entra stand-in (fits @azure/identity's ClientSecretCredential arguments). */
export interface ClientSecretIdentity {
  kind: 'client-secret';
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
}

interface BotIdentity {
  appId: string;
  servicePrincipalId: string;
  tenantId: string;
  clientSecret: string;
}

function makeBot(registry: ApplicationRegistry, seeded: SeedBot | undefined): BotIdentity {
  const bot = {
    appId: seeded?.appId ?? randomUUID(),
    servicePrincipalId: seeded?.objectId ?? randomUUID(),
    tenantId: seeded?.tenantId ?? DEFAULT_TENANT_ID,
    clientSecret: randomBytes(32).toString('base64url'),
  };
  registry.registerApplication({
    appId: bot.appId, servicePrincipalId: bot.servicePrincipalId, displayName: seeded?.displayName ?? 'scbot (local)',
    passwordCredentials: [{ secretText: bot.clientSecret, displayName: 'local cloud start-up' }],
    graphPermissions: seeded?.graphPermissions ?? DEFAULT_BOT_GRAPH_PERMISSIONS,
    ...(seeded?.requestedAccessTokenVersion ? { requestedAccessTokenVersion: seeded.requestedAccessTokenVersion } : {}),
  });
  return bot;
}

/** Who a bearer token belongs to, for the audit log: the app it was issued to (the bot's is named "scbot (local)"). */
function callerOf(entra: EntraEmulator, registry: ApplicationRegistry): (authHeader?: string) => AuditActor | undefined {
  const audience = audienceOfScope(AZURE_DEVOPS_SCOPE);
  return (authHeader) => {
    const token = /^Bearer (\S+)$/i.exec(authHeader ?? '')?.[1];
    const claims = token ? entra.verifyAccessToken(token, { audience }) : null;
    if (!claims?.appid) return undefined;
    return { ...appActor(registry.getApplication(claims.appid)?.displayName ?? claims.appid, claims.appid), userAgent: 'azure-devops-node-api' };
  };
}

function bearerCheck(entra: EntraEmulator, log: AuthorizationCheck[]): (authHeader?: string) => boolean {
  const audience = audienceOfScope(AZURE_DEVOPS_SCOPE);
  return (authHeader) => {
    const token = /^Bearer (\S+)$/i.exec(authHeader ?? '')?.[1];
    const claims = token ? entra.verifyAccessToken(token, { audience }) : null;
    log.push(claims ? { accepted: true, appId: clientAppIdOf(claims) } : { accepted: false });
    // Bounded: a local run may last for days.
    if (log.length > KEPT_CHECKS) log.splice(0, log.length - KEPT_CHECKS);
    return claims !== null;
  };
}

/** The DevOps emulator's hooks into Entra/Graph state. */
function devopsHooks(registry: ApplicationRegistry, arm: ArmStore, tenantId: string, clock: Clock) {
  const param = (e: ServiceEndpoint, name: string) => lookup(e.authorization?.parameters ?? undefined, name) ?? '';
  return {
    verifyServicePrincipalSecret: (tenant: string, clientId: string, secret: string) =>
      tenant.toLowerCase() === tenantId.toLowerCase() && registry.checkSecret(clientId, secret, clock.now()) === 'valid',
    hasFederatedCredential: (endpoint: ServiceEndpoint, organizationId: string) => {
      const appId = param(endpoint, 'serviceprincipalid');
      const tenant = param(endpoint, 'tenantid');
      const [issuer, subject] = [entraIssuer(tenant), entraSubject(tenant, appId, organizationId, endpoint.id)];
      // The identity behind a connection is an app registration or a user-assigned managed identity (by client id).
      return (registry.federatedCredentials(appId)?.has(issuer, subject) ?? false) || (arm.identityByClientId(appId)?.federated.has(issuer, subject) ?? false);
    },
    createFederatedCredential: (request: FederatedCredentialRequest) => {
      const store = registry.federatedCredentials(request.appId);
      if (!store || store.has(request.issuer, request.subject)) return;
      store.add({ name: `azdo-${request.endpointId}`, issuer: request.issuer, subject: request.subject, description: 'Created by Azure DevOps' });
    },
  };
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const clock = options.clock ?? systemClock;
  // Seed first: a bad applications/bot/keyVaults section fails before any server starts.
  const identity = parseIdentitySeed(options.seed);
  const registry = new ApplicationRegistry(identity.applications, { secretPropagationMs: options.secretPropagationMs });
  const directory = parseDirectorySeed(options.seed);
  const bot = makeBot(registry, identity.bot);
  const armStore = new ArmStore(options.seed, bot.tenantId);
  const tls = await generateLocalhostCertificate();
  const closers: Array<() => Promise<void>> = [];
  const close = () => closeAll(closers);
  try {
    const entra = await startEntraEmulator({ clock, tenantId: bot.tenantId, registry, tls, logger: options.logger, managedIdentities: [bot.appId] });
    closers.push(() => entra.close());
    if (!entra.managedIdentity) throw new Error('the Entra stand-in did not start its managed identity endpoint');
    const verifyAccessToken = entra.verifyAccessToken;
    const graph = await startGraphEmulator({ registry, tls, verifyAccessToken, clock, logger: options.logger, directory });
    closers.push(() => graph.close());
    const keyVault = await startKeyVaultEmulator({
      tls, authority: `${entra.authorityHost}/${bot.tenantId}`, verifyAccessToken, seed: identity.keyVaults, clock, logger: options.logger,
    });
    closers.push(() => keyVault.close());
    const arm = await startArmEmulator({ store: armStore, tls, verifyAccessToken, logger: options.logger });
    closers.push(() => arm.close());
    const authorizations: AuthorizationCheck[] = [];
    const devops = await startDevOpsEmulator({
      seed: options.seed, port: options.port ?? 0, host: '127.0.0.1', clock, sleep: options.sleep,
      provisioningMs: options.provisioningMs, deletionMs: options.deletionMs, conversionMs: options.conversionMs, lifecycleDefaults: options.lifecycleDefaults,
      authorize: bearerCheck(entra, authorizations), callerOf: callerOf(entra, registry), ...devopsHooks(registry, armStore, bot.tenantId, clock),
      ...(options.devopsHttps ? { tls } : {}),
    });
    closers.push(() => devops.close());
    return {
      devops, entra, graph, keyVault, arm, armUrl: arm.url, authorizations, close,
      bot: { ...bot },
      identityConfig: { kind: 'client-secret', tenantId: bot.tenantId, clientId: bot.appId, clientSecret: bot.clientSecret, authorityHost: entra.authorityHost },
      trust: { caCertificatePem: tls.certPem },
      graphUrl: graph.url, keyVaultUrlTemplate: keyVault.urlTemplate, managedIdentity: { ...entra.managedIdentity },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function closeAll(closers: Array<() => Promise<void>>): Promise<void> {
  // Reverse start order; one failing close must not leave the others running.
  const failures: unknown[] = [];
  for (const closer of closers.splice(0).reverse()) await closer().catch((e: unknown) => failures.push(e));
  if (failures.length > 0) throw failures[0];
}
