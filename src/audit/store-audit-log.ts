import type { AuditEvent } from '../domain/audit';
import type { Store } from '../store/store.port';
import type { AuditLog, AuditQuery, StrangerRefusal } from './audit-log.port';
import { AUDIT_PARTS_COLLECTION, readParts, writeParts, type StoredAuditEvent } from './audit-parts';
import { countRefusal, REFUSAL_COUNTS_COLLECTION, type RefusalCount } from './refusal-counts';

export const AUDIT_COLLECTION = 'audit';
export { AUDIT_PARTS_COLLECTION, REFUSAL_COUNTS_COLLECTION };

/**
 * The audit trail over the Store port, with create-only writes (no expected version): the Store itself refuses
 * to replace a record, so no code path here can rewrite history. Keys sort by time: `<ISO ms>_<id>`.
 * Reading scans the collection; that is fine for a chat bot's volume and keeps the Store port small.
 */
export class StoreAuditLog implements AuditLog {
  constructor(private readonly store: Store) {}

  /** Large connection lists are stored in parts (audit-parts.ts); the event itself is still create-only. */
  async append(event: AuditEvent): Promise<void> {
    const key = auditKey(event);
    await this.store.put(AUDIT_COLLECTION, key, await writeParts(this.store, key, event));
  }

  countRefusal(refusal: StrangerRefusal): Promise<void> {
    return countRefusal(this.store, refusal);
  }

  /** The counted stranger refusals, oldest hour first. */
  async refusalCounts(): Promise<RefusalCount[]> {
    return (await this.store.list<RefusalCount>(REFUSAL_COUNTS_COLLECTION)).map((r) => r.value);
  }

  async query(query: AuditQuery = {}): Promise<AuditEvent[]> {
    const records = await this.store.list<StoredAuditEvent>(AUDIT_COLLECTION);
    const sorted = records.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    const newestFirst = await Promise.all(sorted.map((r) => readParts(this.store, r.key, r.value)));
    const matching = newestFirst.filter((e) => matches(e, query));
    return query.last === undefined ? matching : matching.slice(0, Math.max(0, query.last));
  }
}

/**
 * The record key. Events of one millisecond (a fixed test clock, a tap answered at once) keep the order they
 * were built in because event ids are time-ordered (newAuditId); across instances such ties are arbitrary.
 */
export function auditKey(event: Pick<AuditEvent, 'at' | 'id'>): string {
  return `${event.at}_${event.id}`;
}

function matches(event: AuditEvent, query: AuditQuery): boolean {
  if (query.planId !== undefined && event.planId.toUpperCase() !== query.planId.toUpperCase()) return false;
  if (query.connection === undefined) return true;
  const wanted = query.connection.toLowerCase();
  return event.connections.some((c) => c.endpointId.toLowerCase() === wanted || c.name.toLowerCase() === wanted);
}
