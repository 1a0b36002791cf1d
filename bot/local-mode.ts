import type { Clock } from '../src/domain/clock';
import { systemClock } from '../src/clock';
import type { Logger } from '../src/logging';
import { createLogger } from '../src/logging';
import { DEMO_SEED_PATH, loadSeed, startLocalCloud, type LocalCloud, type Seed } from '../src/emulator/index';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../src/identity/index';
import { createAzureDevOpsServiceEndpoints } from '../src/devops/index';
import { CachingServiceEndpoints } from '../src/devops/caching-service-endpoints';
import { DEFAULT_CHANGE_SETTINGS, type ChangeSettings } from '../src/commands/command';
import { StoreAuditLog } from '../src/audit/store-audit-log';
import { StorePlanRepository } from '../src/execution/store-plan-repository';
import { RETENTION_DEFAULTS, RetentionSweeper, type RetentionSettings } from '../src/retention/retention-sweeper';
import { createStore } from '../src/store/store-factory';
import { ALERT_DEFAULTS, type AlertConfig, type StorageConfig } from '../src/config';
import type { AlertRadar } from '../src/alerts/radar';
import { buildAlertRadar } from './alerts-wiring';
import { LOCAL_DEMO_APPROVERS } from './local-demo-approvers';
import { startApp } from './app';
import { buildApprovals } from './approvals-wiring';
import type { ApprovalService } from '../src/approvals/approval-service';
import { startPlayground, type PlaygroundHandle } from './playground';
import type { PolicyConfig } from '../src/domain/policy';
import { CachingMembershipSource, GraphMembershipSource, LOCAL_DEMO_POLICY, type MembershipSource } from '../src/policy/index';
import { GRAPH_SCOPE } from '../src/secrets/index';

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
  /** The alerts radar (config SCBOT_ALERT_*); when absent, the defaults without a schedule (`alerts scan` only). */
  alerts?: Readonly<AlertConfig>;
  /** Retention (config SCBOT_RETENTION_*); the defaults when absent. */
  retention?: Readonly<RetentionSettings>;
}

export type { AuthorizationCheck } from '../src/emulator/local-cloud';

export interface LocalStack {
  /** e.g. http://127.0.0.1:3978 */
  botUrl: string;
  /** e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  botPort: number;
  /** The stand-ins: Azure DevOps, Entra, Graph, Key Vault (see src/emulator/local-cloud.ts). */
  cloud: LocalCloud;
  devops: LocalCloud['devops'];
  entra: LocalCloud['entra'];
  /** The bot's local Entra identity; its secret is made at start-up and never leaves this process. */
  localIdentity: { tenantId: string; clientId: string };
  /** The most recent bearer checks of the DevOps emulator (the request log drops Authorization headers). */
  authorizations: LocalCloud['authorizations'];
  playground?: PlaygroundHandle;
  /** The approval workflow (tests await `approvals.idle()` for background executions). */
  approvals: ApprovalService;
  /** The alerts radar (tests await `alerts.idle()` after `alerts scan`). */
  alerts: AlertRadar;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

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
    const cloud = await startLocalCloud({ seed, clock, logger });
    closers.push(() => cloud.close());
    const credential = createCredential(cloud.identityConfig, { trust: cloud.trust });
    const tokens = new RefreshingTokenSource(credential, AZURE_DEVOPS_SCOPE, clock);
    // One token now, so a broken identity path fails `npm start` instead of the first chat message.
    await tokens.getToken();
    const devopsClient = createAzureDevOpsServiceEndpoints(
      { orgUrl: cloud.devops.orgUrl, projects: [], requestTimeoutMs: 30_000, maxAttempts: 5 }, tokens, { clock, logger },
    );
    const endpoints = new CachingServiceEndpoints(devopsClient, clock, (options.readCacheSeconds ?? 15) * 1000);
    // Inbound auth off: local mode is the one place an empty app id is allowed (loopback only).
    // One store for plans and the audit trail: the shared Azure Table when configured, else one writer per directory.
    const store = createStore(options, credential);
    const plans = new StorePlanRepository(store);
    const audit = new StoreAuditLog(store);
    const policy = options.policy ?? LOCAL_DEMO_POLICY;
    const membership = localMembership(cloud, credential, clock, logger);
    const { approvals, retirement, appSecrets } = buildApprovals({
      store, plans, audit, devops: devopsClient, credential, clock, logger, policy, membership,
      local: { graphUrl: cloud.graphUrl, keyVaultUrlTemplate: cloud.keyVaultUrlTemplate, authorityHost: cloud.entra.authorityHost, trust: cloud.trust },
      graceMs: (options.changes?.retireAfterHours ?? DEFAULT_CHANGE_SETTINGS.retireAfterHours) * 3_600_000,
      ...(options.executorConcurrency ? { concurrency: options.executorConcurrency } : {}),
    });
    const alerts = buildAlertRadar({ config: options.alerts ?? UNSCHEDULED_ALERTS, store, devops: devopsClient, passwords: appSecrets, projects: [], clock, logger });
    const app = await startApp(
      {
        endpoints, plans, audit, changes: options.changes ?? {}, projects: [], logger, clock, auth: {},
        policy, membership, approvals, alerts, localDemoApprovers: LOCAL_DEMO_APPROVERS,
      },
      { port: options.port ?? 3978, host: LOOPBACK },
    );
    closers.push(() => app.close());
    closers.push(async () => retirement.stop());
    // Plans approved before a restart continue where they stopped (the executor resumes per item).
    await approvals.resume();
    const stopScans = alerts.start();
    closers.push(async () => {
      stopScans();
      await alerts.idle();
    });
    const retention = new RetentionSweeper({ store, plans, clock, logger, settings: options.retention ?? RETENTION_DEFAULTS });
    const stopRetention = retention.start();
    closers.push(async () => {
      stopRetention();
      await retention.idle();
    });
    const botEndpoint = `http://${LOOPBACK}:${app.port}/api/messages`;
    const playground = await maybeStartPlayground(options.playground, botEndpoint);
    if (playground) closers.push(() => playground.close());
    return {
      botUrl: app.url, botEndpoint, botPort: app.port, cloud, devops: cloud.devops, entra: cloud.entra, playground, close, approvals, alerts,
      authorizations: cloud.authorizations, localIdentity: { tenantId: cloud.bot.tenantId, clientId: cloud.bot.appId },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Group lookups against the Graph stand-in (the seed's users and groups), through the real pipeline. */
function localMembership(cloud: LocalCloud, credential: ReturnType<typeof createCredential>, clock: Clock, logger: Logger): MembershipSource {
  const tokens = new RefreshingTokenSource(credential, GRAPH_SCOPE, clock);
  return new CachingMembershipSource(new GraphMembershipSource({ tokens, graphUrl: cloud.graphUrl, trust: cloud.trust, logger }), clock);
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
    `  Graph:     ${stack.cloud.graphUrl}   (stand-in)`,
    '  Try:       help · list failed · show sc-prod · rotate sc-prod · convert all · delete failed · alerts on · alerts scan',
    '  Stop:      Ctrl+C',
    '',
  ];
  return lines.join('\n');
}
