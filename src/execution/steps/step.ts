/**
 * One operation's REST sequence for one plan item. The executor has already read the connection (one GET) and
 * checked the plan's fingerprint; a step makes only the calls its operation needs and reports an outcome.
 * Expected outcomes are values; a thrown error (AppError) means the item failed and is translated by the executor.
 */
import type { Clock } from '../../domain/clock';
import { connectionState, type ServiceEndpoint } from '../../domain/endpoint';
import type { ErrorCode } from '../../domain/errors';
import type { PlanItem } from '../../domain/plan';
import type { ServiceEndpoints } from '../../devops/service-endpoints.port';
import type { FinalStatus, StepProgress } from '../run-report';

export interface StepOutcome {
  status: FinalStatus;
  reason?: string;
  code?: ErrorCode;
}

export interface StepContext {
  devops: ServiceEndpoints;
  clock: Clock;
  /** Persists progress on the item's running record before the step goes on (crash-resume reads it). */
  progress(progress: StepProgress): Promise<void>;
}

export interface Step {
  run(ctx: StepContext, item: PlanItem, current: ServiceEndpoint): Promise<StepOutcome>;
  /**
   * The item was left running by a run that stopped. `current` is the connection as re-read now (null when gone).
   * Return the outcome when the re-read settles it, or 'restart' to run the item again from its fingerprint check.
   */
  resume(ctx: StepContext, item: PlanItem, current: ServiceEndpoint | null, progress: StepProgress): Promise<StepOutcome | 'restart'>;
}

export const done = (reason?: string): StepOutcome => (reason ? { status: 'done', reason } : { status: 'done' });
export const skipped = (reason: string): StepOutcome => ({ status: 'skipped', reason });
export const failed = (reason: string, code?: ErrorCode): StepOutcome => (code ? { status: 'failed', reason, code } : { status: 'failed', reason });

export function isReadyNow(endpoint: ServiceEndpoint | null): boolean {
  return endpoint !== null && endpoint.isReady !== false && connectionState(endpoint) === 'Ready';
}

export function schemeOf(endpoint: ServiceEndpoint | null): string {
  return (endpoint?.authorization?.scheme ?? '').toLowerCase();
}

export const SERVICE_PRINCIPAL = 'ServicePrincipal';
export const WORKLOAD_IDENTITY = 'WorkloadIdentityFederation';
export const CONVERT_OPERATION = 'ConvertAuthenticationScheme';
