import { randomBytes, randomUUID } from 'node:crypto';
import type { IdentityConfig } from '../src/config';
import type { Clock } from '../src/domain/clock';
import { systemClock } from '../src/clock';
import type { Logger } from '../src/logging';
import { createLogger } from '../src/logging';
import { audienceOfScope, DEMO_SEED_PATH, loadSeed, startDevOpsEmulator, startEntraEmulator, type Seed } from '../src/emulator/index';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../src/identity/index';
import { createAzureDevOpsServiceEndpoints } from '../src/devops/index';
import { CachingServiceEndpoints } from '../src/devops/caching-service-endpoints';
import { startApp } from './app';
import { startPlayground, type PlaygroundHandle } from './playground';

/**
 * Local mode: the whole product on loopback with no real Azure DevOps, Entra or Teams. The stand-ins are
 * real servers, so the real client libraries run end to end: @azure/identity fetches a token from the Entra
 * stand-in, azure-devops-node-api presents it to the DevOps emulator, which checks it with the Entra stand-in.
 */
export interface LocalOptions {
  /** Bot port; 3978 by default, 0 for a free one. */
  port?: number;
  /** A seed file for the DevOps emulator (default: the demo seed). */
  seedPath?: string;
  /** A seed built in code (benchmarks, tests); wins over seedPath. */
  seed?: Seed;
  /** Start the Agents Playground (default true); `port: 0` picks a free one. */
  playground?: boolean | { port?: number; cwd?: string };
  logger?: Logger;
  clock?: Clock;
  /** Seconds `list` results are reused (config DEVOPS_READ_CACHE_SECONDS); default 15, 0 = always read. */
  readCacheSeconds?: number;
}

export type DevOpsEmulatorHandle = Awaited<ReturnType<typeof startDevOpsEmulator>>;
export type EntraEmulatorHandle = Awaited<ReturnType<typeof startEntraEmulator>>;

/** One bearer check the DevOps emulator made: never the token, only whose it was and whether it passed. */
export interface AuthorizationCheck {
  accepted: boolean;
  /** The `appid` claim of an accepted token. */
  appId?: string;
}

export interface LocalStack {
  /** e.g. http://127.0.0.1:3978 */
  botUrl: string;
  /** e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  botPort: number;
  devops: DevOpsEmulatorHandle;
  entra: EntraEmulatorHandle;
  /** The bot's local Entra identity; its secret is made at start-up and never leaves this process. */
  localIdentity: { tenantId: string; clientId: string };
  /** The most recent bearer checks of the DevOps emulator (the request log drops Authorization headers). */
  authorizations: readonly AuthorizationCheck[];
  playground?: PlaygroundHandle;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

export async function startLocal(options: LocalOptions = {}): Promise<LocalStack> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const closers: Array<() => Promise<void>> = [];
  const close = () => closeAll(closers);
  try {
    // The seed first: a bad --seed file fails before any server starts.
    const seed = options.seed ?? (await loadSeed(options.seedPath ?? DEMO_SEED_PATH, clock));
    const entra = await startEntraEmulator({ port: 0, clock, logger });
    closers.push(() => entra.close());
    const identity = registerLocalIdentity(entra);
    const authorizations: AuthorizationCheck[] = [];
    const devops = await startDevOpsEmulator({ seed, port: 0, host: LOOPBACK, clock, authorize: bearerCheck(entra, authorizations) });
    closers.push(() => devops.close());
    const credential = createCredential(identity, { trust: { caCertificatePem: entra.caCertificatePem } });
    const tokens = new RefreshingTokenSource(credential, AZURE_DEVOPS_SCOPE, clock);
    // One token now, so a broken identity path fails `npm start` instead of the first chat message.
    await tokens.getToken();
    const devopsClient = createAzureDevOpsServiceEndpoints(
      { orgUrl: devops.orgUrl, projects: [], requestTimeoutMs: 30_000, maxAttempts: 5 }, tokens, { clock, logger },
    );
    const endpoints = new CachingServiceEndpoints(devopsClient, clock, (options.readCacheSeconds ?? 15) * 1000);
    // Inbound auth off: local mode is the one place an empty app id is allowed (loopback only).
    const app = await startApp({ endpoints, projects: [], logger, clock, auth: {} }, { port: options.port ?? 3978, host: LOOPBACK });
    closers.push(() => app.close());
    const botEndpoint = `http://${LOOPBACK}:${app.port}/api/messages`;
    const playground = await maybeStartPlayground(options.playground, botEndpoint);
    if (playground) closers.push(() => playground.close());
    return {
      botUrl: app.url, botEndpoint, botPort: app.port, devops, entra, playground, close, authorizations,
      localIdentity: { tenantId: identity.tenantId ?? '', clientId: identity.clientId ?? '' },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A fresh app registration with a random secret, so no credential is ever written down or reused. */
function registerLocalIdentity(entra: EntraEmulatorHandle): IdentityConfig {
  const clientId = randomUUID();
  const clientSecret = randomBytes(32).toString('base64url');
  entra.registry.registerApplication({ appId: clientId, displayName: 'scbot (local mode)', passwordCredentials: [{ secretText: clientSecret }] });
  return { kind: 'client-secret', tenantId: entra.tenantId, clientId, clientSecret, authorityHost: entra.authorityHost };
}

const KEPT_CHECKS = 100;

/** The emulator's authorize hook: only a bearer token the Entra stand-in issued for Azure DevOps passes. */
function bearerCheck(entra: EntraEmulatorHandle, log: AuthorizationCheck[]): (authHeader?: string) => boolean {
  const audience = audienceOfScope(AZURE_DEVOPS_SCOPE);
  return (authHeader) => {
    const token = /^Bearer (\S+)$/i.exec(authHeader ?? '')?.[1];
    const claims = token ? entra.verifyAccessToken(token, { audience }) : null;
    log.push(claims ? { accepted: true, appId: claims.appid } : { accepted: false });
    // Bounded: `npm start` may run for days.
    if (log.length > KEPT_CHECKS) log.splice(0, log.length - KEPT_CHECKS);
    return claims !== null;
  };
}

async function maybeStartPlayground(option: LocalOptions['playground'], botEndpoint: string): Promise<PlaygroundHandle | undefined> {
  if (option === false) return undefined;
  const settings = typeof option === 'object' ? option : {};
  return startPlayground({ botEndpoint, port: settings.port ?? 56150, cwd: settings.cwd });
}

async function closeAll(closers: Array<() => Promise<void>>): Promise<void> {
  // Reverse start order; one failing close must not leave the others running.
  const pending = closers.splice(0).reverse();
  const results = [];
  for (const closer of pending) results.push(await closer().then(() => undefined, (e: unknown) => e));
  const failed = results.find((r) => r !== undefined);
  if (failed !== undefined) throw failed;
}

export function localBanner(stack: LocalStack): string {
  const lines = [
    '',
    '==================================================================',
    '  scbot  LOCAL MODE  (emulated Azure DevOps + Entra, no real tenant)',
    '==================================================================',
    stack.playground ? `  Open:      ${stack.playground.url}   (Agents Playground, Teams channel)` : '  Playground: off (--no-playground)',
    `  Bot:       ${stack.botEndpoint}`,
    `  DevOps:    ${stack.devops.orgUrl}   (emulator)`,
    `  Entra:     ${stack.entra.authorityHost}/${stack.entra.tenantId}   (stand-in)`,
    '  Try:       help · list · list failed · show <name>',
    '  Stop:      Ctrl+C',
    '',
  ];
  return lines.join('\n');
}
