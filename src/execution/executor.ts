/**
 * Runs a saved Plan item by item with bounded concurrency. Every item's state lives in the Store, so a run that
 * stopped (process killed, executor abandoned) is resumed by a new Executor without redoing finished items; an
 * item left running is re-read from Azure DevOps and its step decides what is left to do. The re-read for the
 * fingerprint check is one list call per project and per 50 open items (BatchReads), never a GET per item.
 */
import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import { AppError, errorCodeOf } from '../domain/errors';
import { type Clock, systemClock, type Repeat } from '../domain/time';
import type { ServiceEndpoint } from '../domain/endpoint';
import type { Plan, PlanItem } from '../domain/plan';
import { operationHooks, type Operation } from '../operations/operations';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import { newReferenceId } from '../ids';
import { VersionConflictError, type Store } from '../store/store.port';
import { NO_TELEMETRY, type Telemetry } from '../telemetry/telemetry.port';
import { BatchReads } from './batch-reads';
import { DEFAULT_ITEM_LEASE_MS, forgetLapsedHeartbeats, RunHeartbeat, runIsAlive } from './run-heartbeat';
import { ItemStates } from './item-states';
import type { Log } from '../log';
import { countsOf, type ItemReason, type ItemState, type RunItem, type RunReport, type StepProgress } from './run-report';
import { failed, ResumeLaterError, skipped, type ReadinessPolling, type Step, type StepContext, type StepOutcome } from './step';



const ANOTHER_RUN: ItemReason = { kind: 'another-run' };

export interface ExecutorOptions {
  store: Store;
  devops: ServiceEndpoints;
  steps: Record<Operation, Step>;
  clock: Clock;
  /** Items in flight at once (default 8). */
  concurrency?: number;
  /**
   * The item lease (default 15 s): a running item stays claimed while its run's heartbeat (run-heartbeat.ts) is
   * renewed, and for this long after its last progress. A run that finds an item claimed by a live run leaves it
   * alone; once the claimant stopped beating for a lease period, the item counts as abandoned and resumes.
   */
  leaseMs?: number;
  /** The heartbeat's timer (tests stop it, as a dead process's would stop). */
  repeat?: Repeat;
  logger?: Log;
  /** Waits between readiness polls; injectable so tests never wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Readiness GETs after a write whose answer did not settle it (default 5, 1 s apart). */
  readiness?: Partial<ReadinessPolling>;
  /** A span per item and the items counter (none by default). */
  telemetry?: Telemetry;
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
  private readonly telemetry: Telemetry;

  constructor(private readonly options: ExecutorOptions) {
    this.states = new ItemStates(options.store, options.clock);
    this.telemetry = options.telemetry ?? NO_TELEMETRY;
    this.leaseMs = options.leaseMs ?? DEFAULT_ITEM_LEASE_MS;
    this.sleep = options.sleep ?? systemClock.sleep;
    this.readiness = { attempts: options.readiness?.attempts ?? 5, delayMs: options.readiness?.delayMs ?? 1_000 };
  }

  /** Runs the plan it is handed (the caller loaded it once, with its approval record); resumes per item. */
  async run(plan: Plan, runOptions: RunOptions = {}): Promise<RunReport> {
    await this.states.initialise(plan.id, plan.items.map((i) => i.endpointId));
    const runId = randomUUID();
    await forgetLapsedHeartbeats(this.options.store, this.options.clock);
    const heartbeat = await RunHeartbeat.start({
      store: this.options.store, clock: this.options.clock, runId, leaseMs: this.leaseMs, ...(this.options.repeat ? { repeat: this.options.repeat } : {}),
      onFailed: (err) => this.options.logger?.warn({ err, planId: plan.id }, 'run heartbeat failed'),
    });
    try {
      return await this.runItems(plan, runId, runOptions);
    } finally {
      await heartbeat.stop();
    }
  }

  private async runItems(plan: Plan, runId: string, runOptions: RunOptions): Promise<RunReport> {
    const concurrency = Math.max(1, this.options.concurrency ?? 8);
    const reads = new BatchReads(this.options.devops, await this.openItems(plan, runId), concurrency, this.options.logger);
    const queue = new PQueue({ concurrency });
    const total = plan.items.length;
    let settled = 0;
    const results = await Promise.all(plan.items.map((item) => queue.add(async () => {
      // Items in flight finish (a half-done PUT is worse than a late one); nothing new starts after the lease is lost.
      if (runOptions.signal?.aborted) return runItem(item, skipped(ANOTHER_RUN));
      const result = await this.telemetry.span('scbot.plan.item', { planId: plan.id, operation: plan.operation, endpointId: item.endpointId }, () => this.item(plan, item, runId, reads));
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
    const open: PlanItem[] = [];
    // Only connections that exist before the run are re-read (a connection the step makes is checked by its step).
    const hooks = operationHooks(plan.operation);
    for (const item of plan.items) {
      const state = states.get(item.endpointId.toLowerCase());
      if (!hooks.existsBeforeRun) continue;
      if (!state || (!isFinal(state) && !(await this.heldByAnotherRun(state, runId)))) open.push(item);
    }
    return open;
  }

  /** One item, start to final state; never throws (a failure is the item's outcome). */
  private async item(plan: Plan, item: PlanItem, runId: string, reads: BatchReads): Promise<RunItem> {
    const record = await this.states.get(plan.id, item.endpointId);
    if (record && isFinal(record.value)) return runItem(item, record.value);
    if (record && (await this.heldByAnotherRun(record.value, runId))) return runItem(item, skipped(ANOTHER_RUN));
    let version = record?.version;
    const ctx: StepContext = {
      planId: plan.id,
      devops: this.options.devops,
      clock: this.options.clock,
      sleep: this.sleep,
      readiness: this.readiness,
      fail: (error: unknown) => {
        const referenceId = newReferenceId();
        const code = errorCodeOf(error);
        this.options.logger?.warn({ err: error, code, referenceId, planId: plan.id, endpointId: item.endpointId }, 'plan item step failed');
        return { referenceId, code };
      },
      progress: async (progress: StepProgress) => {
        const leaseUntil = new Date(this.options.clock.now().getTime() + this.leaseMs).toISOString();
        version = await this.states.write(plan.id, item.endpointId, { status: 'running', progress, runId, leaseUntil }, version);
      },
    };
    let outcome: StepOutcome;
    try {
      outcome = await this.execute(plan, item, ctx, record?.value, operationHooks(plan.operation).existsBeforeRun ? await reads.current(item) : null);
      await this.states.write(plan.id, item.endpointId, outcome, version);
    } catch (error) {
      // Another run claimed the item between our read and our write: it owns the outcome; we step back.
      if (error instanceof VersionConflictError) return runItem(item, skipped(ANOTHER_RUN));
      // The change is made but its bookkeeping is not: left running (lease and all) for the run that resumes it.
      if (error instanceof ResumeLaterError) {
        this.options.logger?.warn({ err: error.cause, planId: plan.id, endpointId: item.endpointId }, 'plan item left for a later run');
        return runItem(item, skipped(ANOTHER_RUN));
      }
      outcome = this.failure(plan, item, error);
      await this.states.write(plan.id, item.endpointId, outcome, version);
    }
    this.options.logger?.info({ planId: plan.id, endpointId: item.endpointId, status: outcome.status, code: outcome.code }, 'plan item settled');
    this.settled(plan, outcome);
    return runItem(item, outcome);
  }

  /** Counted once, by the run that wrote the outcome (a resumed run re-reads finished items without counting them). */
  private settled(plan: Plan, outcome: StepOutcome): void {
    const attributes = { operation: plan.operation, outcome: outcome.status, ...(outcome.code ? { code: outcome.code } : {}) };
    this.telemetry.annotate(attributes);
    this.telemetry.count('plan.items', attributes);
  }

  /** A running item belongs to a live run while that run's heartbeat or the item's own lease is current. */
  private async heldByAnotherRun(state: ItemState, runId: string): Promise<boolean> {
    if (state.status !== 'running' || state.runId === runId) return false;
    if (state.leaseUntil && Date.parse(state.leaseUntil) > this.options.clock.now().getTime()) return true;
    return state.runId !== undefined && runIsAlive(this.options.store, this.options.clock, state.runId);
  }

  private async execute(plan: Plan, item: PlanItem, ctx: StepContext, previous: ItemState | undefined, current: ServiceEndpoint | null): Promise<StepOutcome> {
    const step = (this.options.steps as Partial<Record<string, Step>>)[plan.operation];
    if (!step) throw new AppError('INTERNAL', `no step for operation "${plan.operation}"`);
    if (previous?.status === 'running') {
      const resumed = await step.resume(ctx, item, current, previous.progress ?? {});
      if (resumed !== 'restart') return resumed;
    }
    const refused = operationHooks(plan.operation).preflight(item, current);
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
