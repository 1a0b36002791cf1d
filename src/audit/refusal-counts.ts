/**
 * Refusals from outside the tenant allow-list, counted: one record per tenant per hour (`<YYYY-MM-DDTHH>/<tenant>`),
 * bumped by compare-and-swap, so 500 messages from a stranger are one record with count 500, not 500 records.
 */
import { VersionConflictError, type Store } from '../store/store.port';
import type { StrangerRefusal } from './audit-log.port';
import { GUID } from '../domain/guid';

export const REFUSAL_COUNTS_COLLECTION = 'audit-refusals';

export interface RefusalCount {
  tenantId: string;
  /** The hour counted, e.g. "2026-11-22T05". */
  hour: string;
  count: number;
  /** Per denial code. */
  reasons: Record<string, number>;
  lastAt: string;
}

/** Concurrent bumps from several instances: each retry re-reads, so none is lost short of this many collisions. */
const ATTEMPTS = 8;

/** The tenant as stored: a GUID (lower case) or "unknown", so made-up ids cannot multiply records. */
export function tenantKey(tenantId: string | undefined): string {
  return tenantId && GUID.test(tenantId) ? tenantId.toLowerCase() : 'unknown';
}

export async function countRefusal(store: Store, refusal: StrangerRefusal): Promise<void> {
  const tenantId = tenantKey(refusal.tenantId);
  const hour = refusal.at.toISOString().slice(0, 13);
  const key = `${hour}/${tenantId}`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const current = await store.get<RefusalCount>(REFUSAL_COUNTS_COLLECTION, key);
    const value = current?.value ?? { tenantId, hour, count: 0, reasons: {}, lastAt: '' };
    const reasons = { ...value.reasons, [refusal.reason]: (value.reasons[refusal.reason] ?? 0) + 1 };
    try {
      await store.put(REFUSAL_COUNTS_COLLECTION, key, { ...value, count: value.count + 1, reasons, lastAt: refusal.at.toISOString() }, current?.version);
      return;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
  throw new VersionConflictError(`${REFUSAL_COUNTS_COLLECTION}/${key}`);
}
