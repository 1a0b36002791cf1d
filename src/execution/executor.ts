/**
 * Runs a saved Plan item by item with bounded concurrency. Every item's state lives in the Store, so a run that
 * stopped (process killed, executor abandoned) is resumed by a new Executor without redoing finished items; an
 * item left running is re-read from Azure DevOps and its step decides what is left to do. The re-read for the
 * fingerprint check is one list call per project and per 50 open items (BatchReads), never a GET per item.
 */
import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import { errorCodeOf } from '../domain/errors';
import type { Clock } from '../domain/clock';
import type { ServiceEndpoint } from '../domain/endpoint';
import { fingerprintEndpoint } from '../domain/fingerprint';
import type { Operation, Plan, PlanItem } from '../domain/plan';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import { newReferenceId } from '../reference-id';
import { VersionConflictError, type Store } from '../store/store.port';
import { BatchReads } from './batch-reads';
import { ItemStates } from './item-states';
import { countsOf, type ExecutorLogger, type ItemReason, type ItemState, type RunItem, type RunReport, type StepProgress } from './run-report';
import { failed, skipped, type ReadinessPolling, type Step, type StepContext, type StepOutcome } from './steps/step';


export type { ExecutorLogger } from './run-report';

const ANOTHER_RUN: ItemReason = { kind: 'another-run' };

export interface ExecutorOptions {
  store: Store;
  devops: ServiceEndpoints;
  steps: Record<Operation, Step>;
  clock: Clock;
  /** Items in flight at once (default 8). */
  concurrency?: number;
  /**
   * How long a running item stays claimed after its last progress (default 5 min). A run that finds an item
   * claimed by another run within its lease leaves it alone; after it, the item counts as abandoned and resumes.
   */
  leaseMs?: number;
  logger?: ExecutorLogger;
  /** Waits between readiness polls; injectable so tests never wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Readiness GETs after a write whose answer did not settle it (default 5, 1 s apart). */
  readiness?: Partial<ReadinessPolling>;
}

export interface RunOptions {
  /** Called after each item settles, for the card that shows progress. */
  onProgress?: (done: number, total: number) => void;
  /** Aborted when this run lost its run lease: items not yet started are left to the run that took over. */
  signal?: AbortSignal;
}


export class Executor {
  private readonly states: ItemStates;
  private readonly leaseMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly readiness: ReadinessPolling;

  constructor(private readonly options: ExecutorOptions) {
    this.states = new ItemStates(options.store, options.clock);
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.readiness = { attempts: options.readiness?.attempts ?? 5, delayMs: options.readiness?.delayMs ?? 1_000 };
  }

  /** Runs the plan it is handed (the caller loaded it once, with its approval record); resumes per item. */
  async run(plan: Plan, runOptions: RunOptions = {}): Promise<RunReport> {
    await this.states.initialise(plan.id, plan.items.map((i) => i.endpointId));
    const runId = randomUUID();
    const concurrency = Math.max(1, this.options.concurrency ?? 8);
    const reads = new BatchReads(this.options.devops, await this.openItems(plan, runId), concurrency, this.options.logger);
    const queue = new PQueue({ concurrency });
    const total = plan.items.length;
    let settled = 0;
    const results = await Promise.all(plan.items.map((item) => queue.add(async () => {
      // Items in flight finish (a half-done PUT is worse than a late one); nothing new starts after the lease is lost.
      if (runOptions.signal?.aborted) return runItem(item, skipped(ANOTHER_RUN));
      const result = await this.item(plan, item, runId, reads);
      settled += 1;
      runOptions.onProgress?.(settled, total);
      return result;
    }, { throwOnTimeout: true })));
    const notPlanned: RunItem[] = plan.skipped.map((s) => ({ endpointId: s.endpointId, name: s.name, status: 'skipped', reason: { kind: 'not-planned', detail: s.reason } }));
    const items = [...results, ...notPlanned];
    return { planId: plan.id, items, counts: countsOf(items) };
  }

  /** The items this run may act on (pending, or abandoned while running): the only ones the batch read covers. */
  private async openItems(plan: Plan, runId: string): Promise<PlanItem[]> {
    const states = await this.states.all(plan.id);
    return plan.items.filter((item) => {
      const state = states.get(item.endpointId.toLowerCase());
      return !state || (!isFinal(state) && !this.heldByAnotherRun(state, runId));
    });
  }

  /** One item, start to final state; never throws (a failure is the item's outcome). */
  private async item(plan: Plan, item: PlanItem, runId: string, reads: BatchReads): Promise<RunItem> {
    const record = await this.states.get(plan.id, item.endpointId);
    if (record && isFinal(record.value)) return runItem(item, record.value);
    if (record && this.heldByAnotherRun(record.value, runId)) return runItem(item, skipped(ANOTHER_RUN));
    let version = record?.version;
    const ctx: StepContext = {
      devops: this.options.devops,
      clock: this.options.clock,
      sleep: this.sleep,
      readiness: this.readiness,
      progress: async (progress: StepProgress) => {
        const leaseUntil = new Date(this.options.clock.now().getTime() + this.leaseMs).toISOString();
        version = await this.states.write(plan.id, item.endpointId, { status: 'running', progress, runId, leaseUntil }, version);
      },
    };
    let outcome: StepOutcome;
    try {
      outcome = await this.execute(plan, item, ctx, record?.value, await reads.current(item));
      await this.states.write(plan.id, item.endpointId, outcome, version);
    } catch (error) {
      // Another run claimed the item between our read and our write: it owns the outcome; we step back.
      if (error instanceof VersionConflictError) return runItem(item, skipped(ANOTHER_RUN));
      outcome = this.failure(plan, item, error);
      await this.states.write(plan.id, item.endpointId, outcome, version);
    }
    this.options.logger?.info({ planId: plan.id, endpointId: item.endpointId, status: outcome.status, code: outcome.code }, 'plan item settled');
    return runItem(item, outcome);
  }

  /** A running item whose lease is still current belongs to a live run; one whose lease lapsed was abandoned. */
  private heldByAnotherRun(state: ItemState, runId: string): boolean {
    if (state.status !== 'running' || !state.leaseUntil || state.runId === runId) return false;
    return Date.parse(state.leaseUntil) > this.options.clock.now().getTime();
  }

  private async execute(plan: Plan, item: PlanItem, ctx: StepContext, previous: ItemState | undefined, current: ServiceEndpoint | null): Promise<StepOutcome> {
    const step = this.options.steps[plan.operation];
    if (previous?.status === 'running') {
      const resumed = await step.resume(ctx, item, current, previous.progress ?? {});
      if (resumed !== 'restart') return resumed;
    }
    const refused = preflight(item, current);
    if (refused) return refused;
    await ctx.progress({});
    return step.run(ctx, item, current as ServiceEndpoint);
  }

  /** The code and a reference id (never the message text: it may quote a service answer); the details go to the log. */
  private failure(plan: Plan, item: PlanItem, error: unknown): StepOutcome {
    const code = errorCodeOf(error);
    const referenceId = newReferenceId();
    this.options.logger?.warn({ err: error, code, referenceId, planId: plan.id, endpointId: item.endpointId }, 'plan item failed');
    return failed({ kind: 'error', referenceId }, code);
  }
}

function preflight(item: PlanItem, current: ServiceEndpoint | null): StepOutcome | undefined {
  if (!current) return skipped({ kind: 'gone' });
  if (fingerprintEndpoint(current) !== item.fingerprint) return skipped({ kind: 'changed-since-preview' });
  return undefined;
}

function isFinal(state: ItemState): boolean {
  return state.status === 'done' || state.status === 'skipped' || state.status === 'failed';
}

function runItem(item: PlanItem, state: StepOutcome | ItemState): RunItem {
  const status = state.status === 'done' || state.status === 'skipped' ? state.status : 'failed';
  const out: RunItem = { endpointId: item.endpointId, name: item.name, status };
  if (state.reason !== undefined) out.reason = state.reason;
  if (state.code !== undefined) out.code = state.code;
  return out;
}
