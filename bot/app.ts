import type { AddressInfo } from 'node:net';
import type { Clock } from '../src/domain/clock';
import type { ServiceEndpoints } from '../src/devops/service-endpoints.port';
import type { Logger } from '../src/logging';
import type { ChangeSettings } from '../src/commands';
import { createCommandRegistry } from '../src/commands';
import { InMemoryPlanRepository } from '../src/plans/in-memory-plan-repository';
import type { PlanRepository } from '../src/plans/plan-repository.port';
import type { AuditLog } from '../src/audit/audit-log.port';
import { StoreAuditLog } from '../src/audit/store-audit-log';
import { EmbeddedStore } from '../src/store/embedded-store';
import type { BotAuth } from './auth-settings';
import { LOOPBACK_SERVICE_URL_HOSTS, serviceUrlPolicy, TEAMS_SERVICE_URL_HOSTS, type ServiceUrlPolicy } from '../src/domain/service-url';
import { createAdapter, createServer } from './server';
import { TeamsBot, type TeamsBotOptions } from './teams-bot';
import { BotCardUpdater } from './card-updater';
import { BotAlertPoster } from './alert-poster';
import type { AlertRadar } from '../src/alerts/radar';
import type { ApprovalService } from '../src/approvals/approval-service';
import { DENY_ALL_POLICY, type PolicyConfig } from '../src/domain/policy';
import { LOCAL_DEMO_POLICY } from '../src/policy/policy-settings';
import type { MembershipSource } from '../src/policy/membership-source.port';

export interface AppDeps {
  endpoints: ServiceEndpoints;
  /** Configured project names or ids; empty means every project the identity can see. */
  projects: string[];
  logger: Logger;
  clock: Clock;
  auth: BotAuth;
  /** Where proposed plans are kept; in memory unless the composition root passes a Store-backed one. */
  plans?: PlanRepository;
  /** The audit trail; an in-memory Store-backed one unless the composition root passes the shared Store's. */
  audit?: AuditLog;
  /** Mutating-command settings (new-secret lifetime, grace period); defaults in DEFAULT_CHANGE_SETTINGS. */
  changes?: Partial<ChangeSettings>;
  /**
   * Where replies may go (activity.serviceUrl). Default: Teams' hosts over https when an app id is set; loopback
   * (http allowed) without one, which only local mode does.
   */
  serviceUrls?: ServiceUrlPolicy;
  /**
   * Who may request and approve changes, where. Default: deny everything when an app id is set; the local demo
   * policy (anyone may request and approve, never their own request) without one, which only local mode does.
   */
  policy?: Readonly<PolicyConfig>;
  /** Group lookups for policies that name groups (Graph in production). */
  membership?: MembershipSource;
  /** The approval workflow (Approve / Reject on plan cards, execution); absent = previews only. */
  approvals?: ApprovalService;
  /** The alerts radar (`alerts …`, proactive alert cards); absent = alerts not enabled. */
  alerts?: AlertRadar;
  /** Local mode only: demo approvers the playground's user may approve as (bot/local-demo-approvers.ts). */
  localDemoApprovers?: TeamsBotOptions['localDemoApprovers'];
}

/** The policy when the composition root passes none. */
export function defaultPolicy(auth: BotAuth): Readonly<PolicyConfig> {
  return auth.appId ? DENY_ALL_POLICY : LOCAL_DEMO_POLICY;
}

/** The allow-list when the composition root passes none. */
export function defaultServiceUrlPolicy(auth: BotAuth): ServiceUrlPolicy {
  return auth.appId
    ? serviceUrlPolicy(TEAMS_SERVICE_URL_HOSTS, { allowHttp: false })
    : serviceUrlPolicy(LOOPBACK_SERVICE_URL_HOSTS, { allowHttp: true });
}

export interface RunningApp {
  /** http://127.0.0.1:<port> (or the given host). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Build the bot from its dependencies and listen. Port 0 picks a free port (tests). */
export async function startApp(deps: AppDeps, options: { port?: number; host?: string } = {}): Promise<RunningApp> {
  // Approving as someone else is a demo of four-eyes without a second person; with inbound auth it would be a bypass.
  if (deps.localDemoApprovers?.length && deps.auth.appId) throw new Error('local demo approvers are for local mode only (no MicrosoftAppId)');
  const registry = createCommandRegistry();
  const bot = new TeamsBot(registry, {
    endpoints: deps.endpoints, projects: deps.projects, clock: deps.clock, logger: deps.logger,
    plans: deps.plans ?? new InMemoryPlanRepository(), audit: deps.audit ?? new StoreAuditLog(new EmbeddedStore()), ...(deps.changes ? { changes: deps.changes } : {}),
    policy: deps.policy ?? defaultPolicy(deps.auth), ...(deps.membership ? { membership: deps.membership } : {}),
    ...(deps.approvals ? { approvals: deps.approvals } : {}), ...(deps.alerts ? { alerts: deps.alerts } : {}),
  }, deps.approvals, deps.localDemoApprovers ? { localDemoApprovers: deps.localDemoApprovers } : {});
  const serviceUrls = deps.serviceUrls ?? defaultServiceUrlPolicy(deps.auth);
  const adapter = createAdapter(deps.auth, serviceUrls, deps.logger);
  // Background execution updates the plan card through this adapter (proactive turn + updateActivity).
  deps.approvals?.useCardUpdater(new BotCardUpdater(adapter, deps.auth.appId ?? ''));
  // Alert cards are proactive messages through the same adapter, to the same allow-listed hosts only.
  deps.alerts?.usePoster(new BotAlertPoster(adapter, deps.auth.appId ?? '', serviceUrls));
  const server = createServer(adapter, bot, deps.logger);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  deps.logger.info({ port, host, inboundAuth: Boolean(deps.auth.appId), serviceUrlHosts: serviceUrls.hosts.length }, 'scbot listening');
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      // Keep-alive sockets from the Bot Connector would hold close() open; restify's server wraps node's.
      server.server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
