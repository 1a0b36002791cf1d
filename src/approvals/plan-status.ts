/**
 * Where a plan stands, read-only: its approval record and the plan itself, as one value for whoever asks without
 * tapping a card (the MCP tool `get_plan`). Names, ids, counts and stable codes only: a plan holds no secret value
 * (src/domain/plan.ts), and nothing of `before`/`after` is passed on.
 */
import { isExpired, type ApprovalState } from '../domain/approval';
import { PLAN_ID } from '../domain/audit';
import type { Clock } from '../domain/time';
import type { OperationName } from '../domain/plan';
import type { PlanRepository } from '../plans/plan-repository.port';
import type { Store } from '../store/store.port';
import { ApprovalRecords } from './approval-records';


export interface PlanStatus {
  planId: string;
  operation: OperationName | null;
  /** The command as typed (normalized); a line that looked like it carried a secret was never planned. */
  command: string;
  state: ApprovalState;
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
  approvalsNeeded: number;
  approvedBy: string[];
  /** Who rejected it, or noticed it expired or went stale. */
  decidedBy?: string;
  connections: Array<{ id: string; name: string; project: string }>;
  outcome?: { done: number; skipped: number; failed: number; failures: Array<{ id: string; name: string; code?: string }>; startedAt?: string; finishedAt?: string };
  /** A partially failed plan's retry, when someone asked for one. */
  retriedAs?: string;
}

export class PlanStatusReader {
  private readonly records: ApprovalRecords;

  constructor(private readonly o: { store: Store; plans: PlanRepository; clock: Clock }) {
    this.records = new ApprovalRecords(o.store);
  }

  /** Undefined for an id that names no plan (never made, malformed, or removed by retention). */
  async get(planId: string): Promise<PlanStatus | undefined> {
    if (!PLAN_ID.test(planId)) return undefined;
    const [read, plan] = await Promise.all([this.records.get(planId), this.o.plans.get(planId)]);
    if (!read) return undefined;
    const r = read.value;
    // A proposal past its time is expired whether or not a tap or the sweep has recorded it yet.
    const state: ApprovalState = r.state === 'proposed' && isExpired(r, this.o.clock.now()) ? 'expired' : r.state;
    const outcome = r.outcome && {
      done: r.outcome.done, skipped: r.outcome.skipped, failed: r.outcome.failed,
      failures: (r.outcome.failures ?? []).map((f) => ({ id: f.endpointId, name: f.name, ...(f.code ? { code: f.code } : {}) })),
      ...(r.outcome.startedAt ? { startedAt: r.outcome.startedAt } : {}), ...(r.outcome.finishedAt ? { finishedAt: r.outcome.finishedAt } : {}),
    };
    return {
      planId: r.planId, operation: plan?.operation ?? null, command: plan?.command ?? '', state,
      requestedBy: r.requester.name, createdAt: r.createdAt, expiresAt: r.expiresAt, approvalsNeeded: r.approvalsNeeded,
      approvedBy: r.approvers.map((a) => a.name), ...(r.decidedBy ? { decidedBy: r.decidedBy.name } : {}),
      connections: (plan?.items ?? []).map((i) => ({ id: i.endpointId, name: i.name, project: i.projectName })),
      ...(outcome ? { outcome } : {}), ...(r.retriedAs ? { retriedAs: r.retriedAs } : {}),
    };
  }
}
