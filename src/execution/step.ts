/**
 * One operation's REST sequence for one plan item. The executor has already read the connection (in a batch list
 * read at the start of the run) and checked the plan's fingerprint; a step makes only the calls its operation
 * needs and reports an outcome.
 * Expected outcomes are values; a thrown error (AppError) means the item failed and is translated by the executor.
 */
import type { Clock } from '../domain/time';
import { connectionState, type ServiceEndpoint } from '../domain/endpoint';
import type { ErrorCode } from '../domain/errors';
import type { PlanItem } from '../domain/plan';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import type { FinalStatus, ItemReason, StepProgress } from './run-report';

export interface StepOutcome {
  status: FinalStatus;
  reason?: ItemReason;
  code?: ErrorCode;
}

/** How a step waits for a connection whose write answer did not settle readiness (InProgress, or no verdict). */
export interface ReadinessPolling {
  /** GETs at most, after the write answer (default 5). */
  attempts: number;
  /** Wait before each GET that follows an unsettled answer (default 1 s). */
  delayMs: number;
}

export interface StepContext {
  /** The plan this item belongs to (markers on bot-made secrets name it). */
  planId: string;
  devops: ServiceEndpoints;
  clock: Clock;
  /** Injected so tests never wait. */
  sleep(ms: number): Promise<void>;
  readiness: ReadinessPolling;
  /** Persists progress on the item's running record before the step goes on (crash-resume reads it). */
  progress(progress: StepProgress): Promise<void>;
  /**
   * For a step that handles an error itself (create cleans up before it reports): logs it under a new reference id
   * and answers that id with the error's code, as the executor does for an error a step throws.
   */
  fail(error: unknown): { referenceId: string; code: ErrorCode };
}

export interface Step {
  run(ctx: StepContext, item: PlanItem, current: ServiceEndpoint): Promise<StepOutcome>;
  /**
   * The item was left running by a run that stopped. `current` is the connection as re-read now (null when gone).
   * Return the outcome when the re-read settles it, or 'restart' to run the item again from its fingerprint check.
   */
  resume(ctx: StepContext, item: PlanItem, current: ServiceEndpoint | null, progress: StepProgress): Promise<StepOutcome | 'restart'>;
}

/**
 * Thrown by a step that cannot finish its bookkeeping now (the store refused a write after the change was made):
 * the item stays `running` under its lease, so the next run (the sweeper's, after the lease lapses) resumes it.
 */
export class ResumeLaterError extends Error {
  constructor(cause: unknown) {
    super('step left for a later run', { cause });
  }
}

export const done = (reason?: ItemReason): StepOutcome => (reason ? { status: 'done', reason } : { status: 'done' });
export const skipped = (reason: ItemReason): StepOutcome => ({ status: 'skipped', reason });
export const failed = (reason: ItemReason, code?: ErrorCode): StepOutcome => (code ? { status: 'failed', reason, code } : { status: 'failed', reason });

export function isReadyNow(endpoint: ServiceEndpoint | null): boolean {
  return endpoint !== null && endpoint.isReady !== false && connectionState(endpoint) === 'Ready';
}

/**
 * What a write's answer (or a re-read) says about readiness: ready, failed, or not settled yet. Only an explicit
 * `isReady: true` with no Failed/InProgress state counts as ready, so an answer without a verdict is polled.
 */
export function readinessOf(endpoint: ServiceEndpoint | null): 'ready' | 'failed' | 'pending' {
  if (!endpoint) return 'pending';
  const state = connectionState(endpoint);
  if (state === 'Failed') return 'failed';
  return state === 'Ready' && endpoint.isReady === true ? 'ready' : 'pending';
}

/**
 * The connection as far as readiness is known: the write's own answer when it settles it (no extra call),
 * otherwise a bounded GET poll. Returns the last thing seen; the caller decides with `isReadyNow`.
 */
export async function confirmReady(ctx: StepContext, item: PlanItem, answer: ServiceEndpoint | null): Promise<ServiceEndpoint | null> {
  let seen = answer;
  // An answer with no verdict is read back straight away; one that says "in progress" (and every re-poll) waits first.
  const waitFirst = answer !== null && connectionState(answer) === 'InProgress';
  for (let poll = 0; readinessOf(seen) === 'pending' && poll < ctx.readiness.attempts; poll += 1) {
    if (poll > 0 || waitFirst) await ctx.sleep(ctx.readiness.delayMs);
    seen = await ctx.devops.get(item.projectId, item.endpointId);
  }
  return seen;
}

export function schemeOf(endpoint: ServiceEndpoint | null): string {
  return (endpoint?.authorization?.scheme ?? '').toLowerCase();
}

export const SERVICE_PRINCIPAL = 'ServicePrincipal';
export const WORKLOAD_IDENTITY = 'WorkloadIdentityFederation';
export const CONVERT_OPERATION = 'ConvertAuthenticationScheme';
