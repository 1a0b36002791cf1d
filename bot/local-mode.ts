import { type Clock, systemClock } from '../src/domain/time';
import type { Logger } from '../src/logging';
import { createLogger } from '../src/logging';
import {
  connectLocalCloud, DEMO_SEED_PATH, loadSeed, startLocalCloud, type CloudEndpoints, type ConnectedCloud, type LocalCloud, type Seed,
} from '@scbot/stand-ins';
import { AZURE_DEVOPS_SCOPE, createCredential } from '../src/identity/index';
import { DEFAULT_CHANGE_SETTINGS, type ChangeSettings } from '../src/commands';
import { ALERT_DEFAULTS, type AlertConfig, type StorageConfig } from '../src/config';
import type { RetentionSettings } from '../src/retention/retention-settings';
import type { AlertRadar } from '../src/alerts/radar';
import type { ApprovalService } from '../src/approvals/approval-service';
import { LOOPBACK_SERVICE_URL_HOSTS, serviceUrlPolicy } from '../src/domain/service-url';
import type { PolicyConfig } from '../src/domain/policy';
import { LOCAL_DEMO_POLICY } from '../src/policy/index';
import { LOCAL_DEMO_APPROVERS } from './local-demo-approvers';
import { cloudPorts } from './cloud-ports';
import { composeApp } from './compose';
import { openPolicy } from '../src/policy/open-policy';
import { namesGroups } from '../src/domain/policy-rules';
import type { SignInNameSource } from '../src/policy/sign-in-names.port';
import { startPlayground, type PlaygroundHandle } from './playground';
import { curlCommand } from './local-curl';
import type { McpWiring } from '../src/mcp/create-mcp-endpoint';
import type { Store } from '../src/store/store.port';
import { MCP_DEFAULTS } from '../src/mcp/mcp-settings';
import { MCP_PATH } from '../src/mcp/protected-resource';

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
  /** Where plans are kept (config SCBOT_STATE_DIR); in memory when absent. */
  stateDir?: string;
  /** The shared Azure Table store (config SCBOT_STORAGE_*); wins over stateDir. */
  storage?: Readonly<StorageConfig>;
  /** Secret lifetime and grace period for rotations (config SECRET_LIFETIME_DAYS / SECRET_RETIRE_AFTER_HOURS). */
  changes?: Partial<ChangeSettings>;
  /** Connections an approved plan changes at once (config EXECUTOR_CONCURRENCY); default 8. */
  executorConcurrency?: number;
  /** Who may request and approve (config SCBOT_* policy variables); the local demo policy when absent. */
  policy?: Readonly<PolicyConfig>;
  /** SCBOT_POLICY_FILE, e.g. docs/examples/policy.demo.yaml (the demo seed's people and roles). */
  policyFile?: string;
  /** The alerts radar (config SCBOT_ALERT_*); when absent, the defaults without a schedule (`alerts scan` only). */
  alerts?: Readonly<AlertConfig>;
  /** Retention (config SCBOT_RETENTION_*); the defaults when absent. */
  retention?: Readonly<RetentionSettings>;
  /** How long close() lets steps in flight finish (config SCBOT_DRAIN_GRACE_SECONDS); 20 s when absent. */
  drainGraceMs?: number;
  /** The MCP endpoint for agents, taking the Entra stand-in's tokens (config SCBOT_MCP_*); on by default, false = off. */
  mcp?: false | { callsPerMinute?: number };
}

export type { LocalCloudAuthorizationCheck as AuthorizationCheck } from '@scbot/stand-ins';

/** The bot half of local mode, whichever cloud it talks to. */
export interface LocalBot {
  /** e.g. http://127.0.0.1:3978 */
  botUrl: string;
  /** e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  botPort: number;
  playground?: PlaygroundHandle;
  /** The approval workflow (tests await `approvals.idle()` for background executions). */
  approvals: ApprovalService;
  /** The alerts radar (tests await `alerts.idle()` after `alerts scan`). */
  alerts: AlertRadar;
  /** e.g. http://127.0.0.1:3978/mcp; absent when the MCP endpoint is off. */
  mcpUrl?: string;
  /** The bot's state (plans, approvals, audit): tests read the audit trail from it. */
  store: Store;
}

/** Local mode against a cloud in another process (`npm run cloud`): closing stops the bot, never the cloud. */
export interface LocalBotOnCloud extends LocalBot {
  cloud: ConnectedCloud;
  close(): Promise<void>;
}

export interface LocalStack extends LocalBot {
  /** The stand-ins: Azure DevOps, Entra, Graph, Key Vault, ARM (see packages/stand-ins/src/local-cloud.ts). */
  cloud: LocalCloud;
  devops: LocalCloud['devops'];
  entra: LocalCloud['entra'];
  /** The bot's local Entra identity; its secret is made at start-up and never leaves this process. */
  localIdentity: { tenantId: string; clientId: string };
  /** The most recent bearer checks of the DevOps emulator (the request log drops Authorization headers). */
  authorizations: LocalCloud['authorizations'];
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/** Automatic creates and deletes take a moment, as on the service, so the bot's readiness polling runs every day. */
const LOCAL_LIFECYCLE = { provisioningMs: 1_500, deletionMs: 1_500 };

/** The configuration defaults, minus the schedule: code that starts local mode (tests) scans only when it asks. */
const UNSCHEDULED_ALERTS: Readonly<AlertConfig> = Object.freeze({ ...ALERT_DEFAULTS, scanMinutes: 0 });

export async function startLocal(options: LocalOptions = {}): Promise<LocalStack> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const closers: Array<() => Promise<void>> = [];
  const close = () => closeAll(closers);
  try {
    // The seed first: a bad --seed file fails before any server starts.
    const seed = options.seed ?? (await loadSeed(options.seedPath ?? DEMO_SEED_PATH, clock));
    const cloud = await startLocalCloud({ seed, clock, logger, lifecycleDefaults: LOCAL_LIFECYCLE });
    closers.push(() => cloud.close());
    const bot = await startLocalBot(cloud, options, closers);
    return {
      ...bot, cloud, devops: cloud.devops, entra: cloud.entra, close,
      authorizations: cloud.authorizations, localIdentity: { tenantId: cloud.bot.tenantId, clientId: cloud.bot.appId },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * `npm start -- --cloud <descriptor>`: the bot against a local cloud running in its own process, so the bot can be
 * killed and restarted while the emulated organization keeps its state (the crash drill). Seed options do not apply.
 */
export async function startLocalOnCloud(descriptorFile: string, options: LocalOptions = {}): Promise<LocalBotOnCloud> {
  const closers: Array<() => Promise<void>> = [];
  const close = () => closeAll(closers);
  try {
    const cloud = await connectLocalCloud(descriptorFile);
    return { ...(await startLocalBot(cloud, options, closers)), cloud, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Everything local mode builds on top of a cloud; what it starts is pushed onto `closers`. */
async function startLocalBot(cloud: CloudEndpoints, options: LocalOptions, closers: Array<() => Promise<void>>): Promise<LocalBot> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  // One token now, so a broken identity path fails `npm start` instead of the first chat message.
  await createCredential(cloud.identityConfig, { trust: cloud.trust }).getToken(AZURE_DEVOPS_SCOPE);
  const policy = options.policy ?? LOCAL_DEMO_POLICY;
  const policySource = await openPolicy({ ...(options.policyFile ? { file: options.policyFile } : {}), settings: policy, clock, logger });
  const cloudSide = cloudPorts({
    identity: cloud.identityConfig, devops: { orgUrl: cloud.devops.orgUrl, projects: [], requestTimeoutMs: 30_000, maxAttempts: 5 },
    store: options, policy, policyFileNamesGroups: namesGroups(policySource.current()), clock, logger,
    endpoints: { graphUrl: cloud.graphUrl, armUrl: cloud.armUrl, keyVaultUrlTemplate: cloud.keyVaultUrlTemplate, authorityHost: cloud.entra.authorityHost, trust: cloud.trust },
  });
  const ports = { ...cloudSide, ...(cloudSide.signInNames ? { signInNames: withPlaygroundUser(cloudSide.signInNames) } : {}) };
  // Inbound auth off: local mode is the one place an empty app id is allowed (replies to loopback only).
  const app = composeApp(ports, {
    projects: [], auth: {}, policy, policySource, serviceUrls: serviceUrlPolicy(LOOPBACK_SERVICE_URL_HOSTS, { allowHttp: true }),
    // New connections (`create`) belong to the local cloud's tenant, as they would to the bot's own on Azure.
    changes: { ...DEFAULT_CHANGE_SETTINGS, ...(cloud.identityConfig.tenantId ? { tenantId: cloud.identityConfig.tenantId } : {}), ...options.changes }, executorConcurrency: options.executorConcurrency ?? 8,
    readCacheSeconds: options.readCacheSeconds ?? 15, alerts: options.alerts ?? UNSCHEDULED_ALERTS, localDemoApprovers: LOCAL_DEMO_APPROVERS,
    ...(options.retention ? { retention: options.retention } : {}), ...(options.drainGraceMs ? { drainGraceMs: options.drainGraceMs } : {}),
    ...(options.mcp === false ? {} : { mcp: localMcp(cloud, options.port ?? 3978, options.mcp?.callsPerMinute) }),
  });
  const running = await app.start({ port: options.port ?? 3978, host: LOOPBACK });
  closers.push(() => app.close());
  const { approvals, alerts } = app;
  const botEndpoint = `http://${LOOPBACK}:${running.port}/api/messages`;
  const playground = await maybeStartPlayground(options.playground, botEndpoint);
  if (playground) closers.push(() => playground.close());
  const mcpUrl = options.mcp === false ? undefined : `${running.url}${MCP_PATH}`;
  return { botUrl: running.url, botEndpoint, botPort: running.port, playground, approvals, alerts, store: ports.store, ...(mcpUrl ? { mcpUrl } : {}) };
}

/**
 * Local mode's MCP endpoint takes tokens the Entra stand-in issues for the bot's local app (`api://<its app id>`),
 * checked against the stand-in's keys over its self-signed certificate. With port 0 the URL is known only once
 * listening: the metadata then names the loopback address each request came to.
 */
function localMcp(cloud: CloudEndpoints, port: number, callsPerMinute: number = MCP_DEFAULTS.callsPerMinute): McpWiring {
  return {
    auth: {
      appId: cloud.bot.appId, audience: `api://${cloud.bot.appId}`, tenantId: cloud.bot.tenantId, authorityHost: cloud.entra.authorityHost, trust: cloud.trust,
      ...(port ? { resourceUrl: `http://${LOOPBACK}:${port}${MCP_PATH}` } : {}),
    },
    callsPerMinute,
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

export function localBanner(stack: LocalBot & { cloud: CloudEndpoints }): string {
  const lines = [
    '',
    '==================================================================',
    '  scbot  LOCAL MODE  (emulated Azure DevOps + Entra, no real tenant)',
    '==================================================================',
    ...(stack.playground
      ? [`  Open:      ${stack.playground.url}   (Agents Playground: a personal chat with the bot, as in Teams)`]
      : ['  Playground: off (--no-playground). To talk to the bot, run in another terminal:',
        `             npx agentsplayground -e ${stack.botEndpoint} -c msteams --disable-telemetry`,
        '             or POST an activity (no authentication in local mode); "expectReplies" puts the answer in the response:',
        `             ${curlCommand(stack.botEndpoint)}`]),
    `  Bot:       ${stack.botEndpoint}`,
    ...(stack.mcpUrl ? [`  MCP:       ${stack.mcpUrl}   (AI agents, with Entra stand-in tokens: docs/agents.md; people approve in chat)`] : []),
    `  DevOps:    ${stack.cloud.devops.orgUrl}   (emulator)`,
    `  Entra:     ${stack.cloud.entra.authorityHost}/${stack.cloud.entra.tenantId}   (stand-in)`,
    `  Graph:     ${stack.cloud.graphUrl}   (stand-in)`,
    '  Try:       help · list failed · show sc-prod · rotate sc-prod · convert all · delete failed · alerts on · alerts scan',
    '  Stop:      Ctrl+C',
    '',
  ];
  return lines.join('\n');
}

/**
 * The Agents Playground's user (Alex Wilber) has an object id that is not a GUID and is no Graph user of the demo
 * seed; the demo seed's Azure DevOps knows them as alexw@example.com. Everyone else is asked of Graph.
 */
const PLAYGROUND_USER = { aadObjectId: '00000000-0000-0000-0000-0000000000020', signInName: 'alexw@example.com' };

function withPlaygroundUser(graph: SignInNameSource): SignInNameSource {
  return { namesOf: (id) => (id.toLowerCase() === PLAYGROUND_USER.aadObjectId ? Promise.resolve([PLAYGROUND_USER.signInName]) : graph.namesOf(id)) };
}
