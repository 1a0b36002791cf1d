/**
 * The one place the app is put together, for every way it runs: Azure mode (bot/main.ts), local mode
 * (bot/local-mode.ts) and the test harnesses all call composeApp, differing only in the ports they pass.
 * Order: the Bot Framework adapter first, then the one Notifier over it, then every service through its
 * constructor, then the bot and the HTTP server. Nothing is wired after construction.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { AlertRadar } from '../src/alerts/radar';
import type { FindingVisibility } from '../src/alerts/delivery';
import { canSee } from '../src/domain/policy-rules';
import { AlertScanner, type PasswordReader } from '../src/alerts/scanner';
import { StoreUsageMemory } from '../src/alerts/usage-memory';
import { ApprovalService } from '../src/approvals/approval-service';
import { StoreAuditLog } from '../src/audit/store-audit-log';
import { AgentRoute } from '../src/agents/agent-route';
import { createMcpEndpoint, type McpWiring } from '../src/mcp/create-mcp-endpoint';
import { MCP_PATH } from '../src/mcp/protected-resource';
import { createCommandRegistry, type ChangeSettings, type CommandServices } from '../src/commands';
import { ALERT_DEFAULTS, type AlertConfig } from '../src/config';
import { CachingServiceEndpoints } from '../src/devops/caching-service-endpoints';
import type { ServiceEndpoints } from '../src/devops/service-endpoints.port';
import type { PipelineAccess } from '../src/devops/pipeline-access.port';
import type { Lane } from '../src/devops/index';
import type { Clock, Repeat } from '../src/domain/time';
import type { PolicyConfig } from '../src/domain/policy';
import type { ServiceUrlPolicy } from '../src/domain/service-url';
import { Executor, SecretLedger, type ExecutorOptions } from '../src/execution';
import { createSteps } from '../src/operations/operations';
import { scheduleSecretRetirement, type SecretRetirement } from '../src/execution/secret-retirement';
import { SecretReconciler } from '../src/execution/secret-reconciler';
import type { Logger } from '../src/logging';
import type { Notifier } from '../src/notify/notifier.port';
import { PacedNotifier } from '../src/notify/paced-notifier';
import { StorePlanRepository } from '../src/plans/store-plan-repository';
import type { MembershipSource } from '../src/policy/membership-source.port';
import { PolicyGate } from '../src/policy/policy-gate';
import { PolicySource } from '../src/policy/policy-source';
import { policyFromSettings } from '../src/policy/policy-file';
import type { SignInNameSource } from '../src/policy/sign-in-names.port';
import { UNREADABLE_ROLES, type DevOpsRoles } from '../src/devops/devops-roles.port';
import type { AppSecrets, SecretVerifier, VaultSecrets } from '../src/azure/secret-source.port';
import type { AppRegistrations, ManagedIdentities, RoleAssignments } from '../src/azure/federated-identities.port';
import type { ConnectionVerification } from '../src/devops/connection-verification.port';
import type { FederationMigration } from '../src/devops/federation-migration.port';
import { RunLeases } from '../src/store/run-lease';
import type { Store } from '../src/store/store.port';
import { RETENTION_DEFAULTS, RetentionSweeper, type RetentionSettings } from '../src/retention/retention-sweeper';
import type { BotAuth } from './auth-settings';
import { withDemoApproversOffered, type DemoApprover } from './local-demo-approvers';
import { BotNotifier } from './notifier';
import type { HttpLimits } from './http-limits';
import { createAdapter, createServer, type ScbotAdapter } from './server';
import { TeamsBot } from './teams-bot';
import { DEFAULT_DRAIN_GRACE_MS, drainApp } from './drain';
import { Readiness } from '../src/health/readiness';
import type { AccessTokenSource } from '../src/identity/access-token-source.port';
import type { Telemetry } from '../src/telemetry/telemetry.port';
import type { ConnectionChangeLog } from '../src/devops/connection-change-log.port';
import { createInventory, type InventoryParts } from '../src/inventory/org-inventory';
import type { InventorySettings } from '../src/inventory/inventory-settings';
import { ReplyUpdates } from '../src/notify/reply-updates';
import { operationHooks } from '../src/operations/operations';

/** The outside world the app talks to: real Azure adapters, the local stand-ins' clients, or a test's fakes. */
export interface AppPorts {
  /** Azure DevOps, uncached: execution, the stale check and scans must see the service's current state. */
  devops: ServiceEndpoints;
  /** Pipelines, pipelinePermissions and connection roles of the same organization. */
  pipelines: PipelineAccess;
  /**
   * The same two ports in a priority lane of the adapter's rate-limit gate (src/devops/call-gate.ts): a person's
   * turn (interactive) goes before a plan's execution (devops / pipelines above: normal), which goes before the
   * radar's scan (background). Absent for ports without a shared budget (a test's fakes): one lane for all.
   */
  lanes?: (lane: Lane) => DevOpsLane;
  /** Plans, approvals, execution state, audit trail, alerts: one Store (the shared table with several instances). */
  store: Store;
  /** App registrations' secrets (Graph): rotation creates and retires them, the radar reads their expiry. */
  appSecrets: AppSecrets & PasswordReader;
  vaultSecrets: VaultSecrets;
  verifier: SecretVerifier;
  /** The move to the Entra issuer (INFERRED call; the Azure DevOps adapter implements it). */
  migration: FederationMigration;
  /** App registrations (Graph): federated credentials, and whether an app is multitenant. */
  appRegistrations: AppRegistrations;
  /** User-assigned managed identities (ARM) and their federated credentials. */
  managedIdentities: ManagedIdentities;
  /** Azure role assignments (ARM): `create … role <role>`. */
  roles: RoleAssignments;
  /** The portal's Verify (the endpoint proxy of Azure DevOps): `create` verifies what it made. */
  verification: ConnectionVerification;
  /** Group lookups; only when the policy names groups. */
  membership?: MembershipSource;
  /** Azure DevOps' own roles, for policy rules with `devOpsRole` ([infer] adapter); without it such rules refuse. */
  devopsRoles?: DevOpsRoles;
  /** Sign-in names that find a person in Azure DevOps (Graph in Azure mode). */
  signInNames?: SignInNameSource;
  /** The Azure DevOps adapter's token source (cached, refreshed ahead of expiry): GET /readyz asks it for a token. */
  devopsTokens: AccessTokenSource;
  /** Spans and counters (src/telemetry): the OpenTelemetry API, a no-op unless the SDK was started. */
  telemetry: Telemetry;
  /**
   * The Azure DevOps audit log ([infer] adapter: src/devops/azure-devops-audit-log.ts), read in the background lane:
   * the inventory relists only the projects whose connections changed. Absent: the periodic refresh only.
   */
  changeLog?: ConnectionChangeLog;
  clock: Clock;
  logger: Logger;
}

export interface DevOpsLane {
  devops: ServiceEndpoints;
  pipelines: PipelineAccess;
}

/** The ports of one lane; `normal` is the ports themselves. */
function inLane(ports: AppPorts, lane: Lane): DevOpsLane {
  return ports.lanes?.(lane) ?? { devops: ports.devops, pipelines: ports.pipelines };
}

/** What configuration decides (src/config.ts in production; tests state each one). */
export interface AppSettings {
  /** Configured project names or ids; empty means every project the identity can see. */
  projects: readonly string[];
  auth: BotAuth;
  policy: Readonly<PolicyConfig>;
  /** SCBOT_POLICY_FILE, opened before composing (src/policy/open-policy.ts); absent: `policy` as rules, fixed. */
  policySource?: PolicySource;
  /** Where replies and proactive messages may go (activity.serviceUrl hosts). */
  serviceUrls: ServiceUrlPolicy;
  changes: Readonly<ChangeSettings>;
  executorConcurrency: number;
  /** Seconds a connection list is reused between turns (DEVOPS_READ_CACHE_SECONDS). */
  readCacheSeconds: number;
  alerts: Readonly<AlertConfig>;
  /** How long plans and audit events are kept (SCBOT_RETENTION_*); the defaults when absent. */
  retention?: Readonly<RetentionSettings>;
  /** Local mode only: demo approvers the playground's user may approve as (bot/local-demo-approvers.ts). */
  localDemoApprovers?: readonly DemoApprover[];
  /** How long close() lets steps in flight finish (SCBOT_DRAIN_GRACE_SECONDS); DEFAULT_DRAIN_GRACE_MS when absent. */
  drainGraceMs?: number;
  /** The connection inventory (SCBOT_INVENTORY_*); the defaults when absent. */
  inventory?: Readonly<InventorySettings>;
  /** The MCP endpoint for agents (SCBOT_MCP_*): whose tokens, how many calls; not served when absent. */
  mcp?: McpWiring;
}

/** Knobs tests turn so they never wait; production leaves them at their defaults. */
export interface AppTuning {
  executor?: Pick<ExecutorOptions, 'sleep' | 'readiness' | 'leaseMs'>;
  /** Progress card updates at most every N items or T ms. */
  progress?: { everyItems?: number; everyMs?: number };
  /** How often due bot-made secrets are retired (default 15 min). */
  retireEveryMs?: number;
  /** How often orphaned bot-made secrets are looked for (default 15 min; 0 = only when a test calls runOnce). */
  reconcileEveryMs?: number;
  /** This instance's lease identity (tests name instances); random per process by default. */
  owner?: string;
  /** The radar's timer (tests drive it by hand). */
  repeat?: Repeat;
  /**
   * The run lease's length and renewal timer (tests let a lease lapse, as a dead process's would). The same timer
   * drives the item heartbeat and the plan sweep: an instance whose timers stop behaves as a dead one.
   */
  runLease?: { leaseMs?: number; repeat?: Repeat };
  /** HTTP timeouts and connection cap (tests make them tiny); DEFAULT_HTTP_LIMITS otherwise. */
  http?: Partial<HttpLimits>;
  /** How often plans whose holder died or drained are looked for and taken over (default 2 s; 0 = start-up only). */
  sweepEveryMs?: number;
  /** A Notifier to use instead of the Bot Connector one (tests that record what would be posted). */
  notifier?: Notifier;
  /** The inventory's upkeep timer (tests drive it by hand); a minute on an unref'd interval otherwise. */
  inventoryRepeat?: Repeat;
}

export interface RunningApp {
  /** http://127.0.0.1:<port> (or the given host). */
  url: string;
  port: number;
}

export interface App {
  services: CommandServices;
  /** The connection inventory: what the bot last read of every connection, its refresher and its upkeep. */
  inventory: InventoryParts;
  approvals: ApprovalService;
  alerts: AlertRadar;
  notifier: Notifier;
  /** Removes bot-made secrets whose rotation never settled (src/execution/secret-reconciler.ts). */
  reconciler: SecretReconciler;
  adapter: ScbotAdapter;
  server: Server;
  /** Listens (port 0 picks a free one), resumes plans left approved or executing, starts the schedules. */
  start(options?: { port?: number; host?: string }): Promise<RunningApp>;
  /**
   * Drains (SIGTERM, bot/drain.ts): stops the schedules and new runs, lets the items in flight finish within the
   * grace, releases the run leases so another instance resumes at once, flushes the paced posts, closes the server.
   */
  close(): Promise<void>;
}

export function composeApp(ports: AppPorts, settings: AppSettings, tuning: AppTuning = {}): App {
  // Approving as someone else is a demo of four-eyes without a second person; with inbound auth it would be a bypass.
  if (settings.localDemoApprovers?.length && settings.auth.appId) throw new Error('local demo approvers are for local mode only (no MicrosoftAppId)');
  const { clock, logger, store, telemetry } = ports;
  const adapter = createAdapter(settings.auth, settings.serviceUrls, logger, telemetry);
  // Every background post (alerts, plan progress) is paced under Teams' limits and retried; replies in a turn are not.
  const notifier = tuning.notifier ?? new PacedNotifier({
    // Local mode: a plan card posted outside a turn (an agent's proposal) offers the demo approvers at once too. Its
    // requester is an agent or a person calling through MCP, never a demo approver: none is left out ('').
    inner: new BotNotifier(adapter, settings.auth.appId ?? '', settings.serviceUrls, (activity) => withDemoApproversOffered(activity, settings.localDemoApprovers ?? [], '')),
    onRetry: (event) => logger.debug(event, 'Teams post retried'), telemetry,
  });
  // The drain flushes what is still queued for Teams (a test's recording notifier has no queue).
  const paced = notifier instanceof PacedNotifier ? notifier : undefined;
  const plans = new StorePlanRepository(store);
  const audit = new StoreAuditLog(store);
  const ledger = new SecretLedger(store, clock);
  const graceMs = settings.changes.retireAfterHours * 3_600_000;
  const steps = createSteps(
    { appSecrets: ports.appSecrets, vaultSecrets: ports.vaultSecrets, verifier: ports.verifier, ledger, graceMs },
    { pipelines: ports.pipelines, migration: ports.migration, apps: ports.appRegistrations, managedIdentities: ports.managedIdentities, roles: ports.roles, verification: ports.verification },
  );
  const inventory = inventoryOf(ports, settings, tuning);
  const runner = new Executor({
    // The bot's own changes correct the inventory (what the service answered an update, a delete).
    store, devops: inventory.feed(ports.devops), steps, clock, logger, concurrency: settings.executorConcurrency, telemetry,
    ...(tuning.runLease?.repeat ? { repeat: tuning.runLease.repeat } : {}), ...tuning.executor,
  });
  const runLeases = new RunLeases({
    store, clock, ...(tuning.owner ? { owner: tuning.owner } : {}), ...tuning.runLease,
    onRenewFailed: (planId, err) => logger.warn({ err, planId }, 'run lease renewal failed'),
  });
  // People's reads go first; the stale check at approval is one (the approver waits on it). Every read feeds the inventory.
  const interactive = inLane(ports, 'interactive');
  const turnDevops = inventory.feed(interactive.devops);
  const policySource = settings.policySource ?? PolicySource.fixed(policyFromSettings(settings.policy), clock);
  const policyGate = new PolicyGate({
    source: policySource, roles: ports.devopsRoles ?? UNREADABLE_ROLES, clock,
    ...(ports.membership ? { membership: ports.membership } : {}), ...(ports.signInNames ? { signInNames: ports.signInNames } : {}),
  });
  // Alerts follow the policy's `read`: a conversation is told only about connections it may see.
  const alerts = alertRadar(ports, settings, notifier, tuning, inventory, (conversationId, f) => !policyGate.enforced()
    || canSee(policyGate.current(), conversationId, { project: { name: f.project }, connection: { name: f.name, id: f.endpointId } }));
  // A finished plan resolves the findings it fixed at once (the radar judges the connections it changed again).
  const approvals = new ApprovalService({ policyGate, findings: alerts,
    store, plans, audit, devops: turnDevops, clock, policy: settings.policy, runner, notifier, logger, runLeases, telemetry,
    ...(ports.membership ? { membership: ports.membership } : {}), ...(tuning.progress ? { progress: tuning.progress } : {}),
  });
  const reconciler = new SecretReconciler({ ledger, appSecrets: ports.appSecrets, clock, graceMs, logger, leases: runLeases });
  // Started by start(); close() waits for its running pass, as for the other background jobs.
  let retirement: SecretRetirement | undefined;
  const services: CommandServices = {
    // Turns read through a short cache (one identity's rate budget serves everyone); writes through the bot clear it.
    // Under the cache, so a cached answer is not recorded twice.
    endpoints: new CachingServiceEndpoints(turnDevops, clock, settings.readCacheSeconds * 1000),
    inventory: inventory.reads,
    pipelines: interactive.pipelines,
    plans, audit, approvals, alerts, clock, logger, projects: settings.projects, changes: settings.changes, policy: settings.policy, operations: { hooks: operationHooks },
    appRegistrations: ports.appRegistrations, managedIdentities: ports.managedIdentities, policyGate, agents: new AgentRoute(store, settings.mcp ? settings.mcp.auth.resourceUrl ?? `${MCP_PATH} on this bot's address` : undefined),
    ...(ports.membership ? { membership: ports.membership } : {}),
  };
  // An org-wide list answered from the inventory is replaced in place once the fresh one differs (paced like any post).
  const updates = new ReplyUpdates(notifier, logger);
  const commands = createCommandRegistry();
  const bot = new TeamsBot(commands, services, approvals, updates, settings.localDemoApprovers ? { localDemoApprovers: settings.localDemoApprovers } : {});
  const readiness = new Readiness({ store, devopsTokens: ports.devopsTokens, clock, logger, draining: () => approvals.draining });
  // Agents' proposals run the same commands and post their plan cards through the same paced notifier.
  const mcp = settings.mcp ? createMcpEndpoint(settings.mcp, services, { store, commands, notifier }) : undefined;
  const server = createServer(adapter, bot, logger, readiness, tuning.http, mcp);
  // Expired proposals, old plans and audit events go; one instance sweeps at a time (a lease in the Store).
  const retention = new RetentionSweeper({ store, plans, clock, logger, settings: settings.retention ?? RETENTION_DEFAULTS, ...(tuning.owner ? { owner: tuning.owner } : {}) });
  const stops: Array<() => void> = [];
  return {
    services, inventory, approvals, alerts, notifier, reconciler, adapter, server,
    async start(options = {}) {
      // What the Store holds of the inventory, before the first question: a restart answers warm.
      await inventory.keeper.load();
      const running = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
      logger.info({ port: running.port, inboundAuth: Boolean(settings.auth.appId), serviceUrlHosts: settings.serviceUrls.hosts.length, mcp: Boolean(mcp) }, 'scbot listening');
      // Plans approved before a restart continue where they stopped (the executor resumes per item).
      await approvals.resume();
      // The policy file is read again when it changes (watch) and every 30 s (poll); no-op without a file.
      policySource.start();
      stops.push(() => policySource.stop());
      const retiring = scheduleSecretRetirement({ ledger, appSecrets: ports.appSecrets, intervalMs: tuning.retireEveryMs ?? 15 * 60_000, leases: runLeases, logger });
      retirement = retiring;
      stops.push(
        () => retiring.stop(), alerts.start(), retention.start(), reconciler.start(tuning.reconcileEveryMs ?? 15 * 60_000), inventory.keeper.start(),
        // A plan whose holder died (here before a restart, or on another instance) is taken over within a lease period.
        // Every 2 s: a plan a draining instance handed over (lease released) is picked up within that; one read of the
        // open-plans index per sweep when no plan is in flight.
        approvals.sweepEvery(tuning.sweepEveryMs ?? 2_000, tuning.runLease?.repeat),
      );
      return running;
    },
    async close() {
      for (const stop of stops.splice(0)) stop();
      await drainApp({
        approvals, runLeases, server, logger, ...(paced ? { posts: paced } : {}),
        // Cards still waiting for their fresh answer get it; then the inventory is written out and its upkeep lease freed.
        background: () => Promise.all([alerts.idle(), retention.idle(), reconciler.idle(), retirement?.idle(), policySource.idle(), updates.idle().then(() => inventory.keeper.close())]).then(() => undefined),
      }, settings.drainGraceMs ?? DEFAULT_DRAIN_GRACE_MS);
    },
  };
}

/** The inventory over the background lane (upkeep, audit log) and the interactive one (refreshes people wait on). */
function inventoryOf(ports: AppPorts, settings: AppSettings, tuning: AppTuning): InventoryParts {
  return createInventory({
    store: ports.store, clock: ports.clock, logger: ports.logger, projects: settings.projects,
    background: inLane(ports, 'background').devops, interactive: inLane(ports, 'interactive').devops,
    ...(settings.inventory ? { settings: settings.inventory } : {}), ...(ports.changeLog ? { changes: ports.changeLog } : {}),
    ...(tuning.owner ? { owner: tuning.owner } : {}), ...(tuning.inventoryRepeat ? { repeat: tuning.inventoryRepeat } : {}),
  });
}

function alertRadar(ports: AppPorts, settings: AppSettings, notifier: Notifier, tuning: AppTuning, inventory: InventoryParts, visible: FindingVisibility): AlertRadar {
  const config = settings.alerts;
  const thresholds = { expiringWithinDays: config.expiryDays, unusedDays: config.unusedDays || ALERT_DEFAULTS.unusedDays, revertWithinHours: config.revertHours, disableWarnDays: config.disableWarnDays };
  const checkUnused = config.unusedDays > 0;
  const projects = [...settings.projects];
  // The scan's reads yield to everyone else's (nobody waits on a scan); its lists fill the inventory, whose notes
  // from the audit log say who changed a failed or disabled connection outside the bot.
  const background = inLane(ports, 'background');
  const scanner = new AlertScanner({
    devops: inventory.feed(background.devops), outsideChange: (id) => inventory.inventory.connection(id)[0]?.entry.change, passwords: ports.appSecrets, apps: ports.appRegistrations, clock: ports.clock, thresholds, checkUnused, projects, ...(config.openAccess ? { openAccess: background.pipelines } : {}),
    usage: new StoreUsageMemory(ports.store), callBudget: config.scanCallBudget,
  });
  return new AlertRadar({
    scanner, store: ports.store, clock: ports.clock, logger: ports.logger, notifier, telemetry: ports.telemetry, visible,
    settings: { intervalMinutes: config.scanMinutes, reminderHours: config.reminderHours, digestOver: config.digestOver, thresholds, checkUnused, projects },
    ...(tuning.owner ? { owner: tuning.owner } : {}), ...(tuning.repeat ? { repeat: tuning.repeat } : {}),
  });
}

async function listen(server: Server, port: number, host: string): Promise<RunningApp> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`, port: bound };
}
