/**
 * Builds the approval workflow's real parts in one place for both modes: the secret sources and verifier the
 * rotate step needs, the Executor over the shared Store, and the ApprovalService. The local cloud passes its
 * stand-ins' addresses and CA; Azure mode uses the public defaults.
 */
import { ApprovalService } from '../src/approvals/approval-service';
import type { AuditLog } from '../src/audit/audit-log.port';
import type { Clock } from '../src/domain/clock';
import type { PolicyConfig } from '../src/domain/policy';
import type { ServiceEndpoints } from '../src/devops/service-endpoints.port';
import { createSteps, Executor, SecretLedger } from '../src/execution';
import { scheduleSecretRetirement, type SecretRetirement } from '../src/execution/secret-retirement';
import type { PlanRepository } from '../src/plans/plan-repository.port';
import { RefreshingTokenSource, type createCredential } from '../src/identity/index';
import type { Logger } from '../src/logging';
import type { MembershipSource } from '../src/policy/membership-source.port';
import { GRAPH_SCOPE, GraphAppSecrets, KeyVaultSecrets, TokenSecretVerifier } from '../src/secrets/index';
import type { Store } from '../src/store/store.port';

export interface ApprovalsWiring {
  store: Store;
  plans: PlanRepository;
  audit: AuditLog;
  /** Uncached: execution and the stale check must see the service's current state. */
  devops: ServiceEndpoints;
  credential: ReturnType<typeof createCredential>;
  clock: Clock;
  logger: Logger;
  policy: Readonly<PolicyConfig>;
  membership?: MembershipSource;
  /** How long the previous bot-made secret keeps working after a rotation (SECRET_RETIRE_AFTER_HOURS). */
  graceMs: number;
  /** Connections an approved plan changes at once (EXECUTOR_CONCURRENCY); the executor's default 8 when absent. */
  concurrency?: number;
  /** How often due secrets are retired. */
  retireEveryMs?: number;
  /** Local cloud only: where its Graph, Key Vault and Entra stand-ins are and the CA they use. */
  local?: { graphUrl: string; keyVaultUrlTemplate: string; authorityHost: string; trust: { caCertificatePem: string } };
}

export interface Approvals {
  approvals: ApprovalService;
  /** Retires previous bot-made secrets once their grace period ends; stop it on shutdown. */
  retirement: SecretRetirement;
  /** Graph reads of apps' secrets, shared with the alerts scanner. */
  appSecrets: GraphAppSecrets;
}

export function buildApprovals(w: ApprovalsWiring): Approvals {
  const trust = w.local ? { trust: w.local.trust } : {};
  const appSecrets = new GraphAppSecrets({ tokens: new RefreshingTokenSource(w.credential, GRAPH_SCOPE, w.clock), ...(w.local ? { graphUrl: w.local.graphUrl } : {}), ...trust, logger: w.logger });
  const ledger = new SecretLedger(w.store, w.clock);
  const steps = createSteps({
    appSecrets,
    vaultSecrets: new KeyVaultSecrets({ credential: w.credential, ...(w.local ? { urlTemplate: w.local.keyVaultUrlTemplate, disableChallengeResourceVerification: true } : {}), ...trust }),
    verifier: new TokenSecretVerifier({ ...(w.local ? { authorityHost: w.local.authorityHost } : {}), ...trust }),
    ledger,
    graceMs: w.graceMs,
  });
  const runner = new Executor({
    plans: w.plans, store: w.store, devops: w.devops, steps, clock: w.clock, logger: w.logger, ...(w.concurrency ? { concurrency: w.concurrency } : {}),
  });
  const approvals = new ApprovalService({
    store: w.store, plans: w.plans, audit: w.audit, devops: w.devops, clock: w.clock, policy: { ...w.policy },
    runner, logger: w.logger, ...(w.membership ? { membership: w.membership } : {}),
  });
  const retirement = scheduleSecretRetirement({ ledger, appSecrets, intervalMs: w.retireEveryMs ?? 15 * 60_000, logger: w.logger });
  return { approvals, retirement, appSecrets };
}
