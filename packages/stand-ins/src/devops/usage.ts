/**
 * The service's automatic disable of connections unused for 100 days (facts lifecycle §6.2, "Secure by default"):
 * the last use is the newest execution record, or the creation / re-enable time when nothing ran since. The seed
 * says what the service had already decided: a connection it leaves enabled though its last use is older than
 * 100 days has not been swept yet, so its 100 days count from the moment the emulator started.
 */
import type { ServiceEndpoint } from '../wire/service-endpoint';
import type { SeedExecutionRecord as ExecutionRecordJson } from '../seed';

export const DISABLE_UNUSED_AFTER_MS = 100 * 86_400_000;

const time = (value: unknown): number => {
  const t = typeof value === 'string' ? Date.parse(value) : value instanceof Date ? value.getTime() : Number.NaN;
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
};

/** Newest of: execution records, creation, and the floor (re-enable, or the start of the emulator). */
export function lastUsedAt(endpoint: ServiceEndpoint, history: readonly ExecutionRecordJson[], floor: number | undefined): number {
  const runs = history.map((r) => Math.max(time(r.data.finishTime), time(r.data.startTime)));
  return Math.max(time(endpoint.creationDate), floor ?? Number.NEGATIVE_INFINITY, ...runs);
}
