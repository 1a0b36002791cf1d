import type { ErrorCode } from '../domain/errors';

/** What the executor and the approval workflow log through (pino's Logger fits). */
export interface ExecutorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export type ItemStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed';
export type FinalStatus = Exclude<ItemStatus, 'pending' | 'running'>;

/** What a step has achieved so far, persisted so a resumed run knows where a crashed one stopped. */
export interface StepProgress {
  /** Graph keyId of a secret the rotation created (never its value). */
  keyId?: string;
  appId?: string;
  /** The first PUT (rotate, convert) or the Manual flip (delete) reached Azure DevOps. */
  updated?: boolean;
}

/** Per-item execution state, one Store record per plan item. */
export interface ItemState {
  status: ItemStatus;
  progress?: StepProgress;
  reason?: string;
  code?: ErrorCode;
  /** The run that claimed a running item, and until when its claim holds without further progress. */
  runId?: string;
  leaseUntil?: string;
  updatedAt: string;
}

export interface RunItem {
  endpointId: string;
  name: string;
  status: FinalStatus;
  reason?: string;
  code?: ErrorCode;
}

export interface RunReport {
  planId: string;
  items: RunItem[];
  counts: Record<FinalStatus, number>;
}

export function countsOf(items: RunItem[]): Record<FinalStatus, number> {
  const counts: Record<FinalStatus, number> = { done: 0, skipped: 0, failed: 0 };
  for (const item of items) counts[item.status] += 1;
  return counts;
}
