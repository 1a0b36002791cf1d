import type { AuditEvent } from '../domain/audit';
import type { Store } from '../store/store.port';
import type { AuditLog, AuditQuery, StrangerRefusal } from './audit-log.port';
import { AUDIT_PARTS_COLLECTION, readParts, writeParts, type StoredAuditEvent } from './audit-parts';
import { countRefusal, REFUSAL_COUNTS_COLLECTION, type RefusalCount } from './refusal-counts';

export const AUDIT_COLLECTION = 'audit';
/** Events read per page when a query asks for the newest `last`: one round of parallel reads. */
export const AUDIT_PAGE_SIZE = 50;
/**
 * Pages read one by one before the rest is listed at once: a query that keeps few events (`audit plan <id>`, a
 * narrow policy) costs at most these point reads more than one listing, never one read per event of the trail.
 */
export const AUDIT_PAGES_BEFORE_LISTING = 4;
export { AUDIT_PARTS_COLLECTION, REFUSAL_COUNTS_COLLECTION };

/**
 * The audit trail over the Store port, with create-only writes (no expected version): the Store itself refuses
 * to replace a record, so no code path here can rewrite history. Keys sort by time: `<ISO ms>_<id>`.
 * Reading everything scans the collection; a query for the newest `last` lists keys only and reads events a page at
 * a time, newest first, until it holds `last` kept ones, so `audit last 10` under a narrow policy costs a few pages,
 * not the whole trail; past AUDIT_PAGES_BEFORE_LISTING pages it lists the older rest at once.
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
    if (query.last !== undefined) return this.newest(query, Math.max(0, query.last));
    return this.listed(query, () => true);
  }

  /** Pages back from the newest key until `last` events are kept; a key retention removed meanwhile is skipped. */
  private async newest(query: AuditQuery, last: number): Promise<AuditEvent[]> {
    const keys = (await this.store.keys(AUDIT_COLLECTION)).reverse();
    const shown: AuditEvent[] = [];
    const paged = AUDIT_PAGE_SIZE * AUDIT_PAGES_BEFORE_LISTING;
    for (let start = 0; start < Math.min(keys.length, paged) && shown.length < last; start += AUDIT_PAGE_SIZE) {
      const page = await Promise.all(keys.slice(start, start + AUDIT_PAGE_SIZE).map((key) => this.read(key)));
      shown.push(...page.flatMap((event) => (event && kept(event, query)) ?? []));
    }
    const oldestRead = keys[paged - 1];
    if (shown.length < last && oldestRead !== undefined && keys.length > paged) shown.push(...(await this.listed(query, (key) => key < oldestRead)));
    return shown.slice(0, last);
  }

  /** One listing of the collection: the kept events among the keys `within` takes, newest first. */
  private async listed(query: AuditQuery, within: (key: string) => boolean): Promise<AuditEvent[]> {
    const records = (await this.store.list<StoredAuditEvent>(AUDIT_COLLECTION)).filter((r) => within(r.key));
    const sorted = records.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    const newestFirst = await Promise.all(sorted.map((r) => readParts(this.store, r.key, r.value)));
    return newestFirst.flatMap((e) => kept(e, query) ?? []);
  }

  private async read(key: string): Promise<AuditEvent | undefined> {
    const record = await this.store.get<StoredAuditEvent>(AUDIT_COLLECTION, key);
    return record && readParts(this.store, key, record.value);
  }
}

/**
 * The record key. Events of one millisecond (a fixed test clock, a tap answered at once) keep the order they
 * were built in because event ids are time-ordered (newAuditId); across instances such ties are arbitrary.
 */
export function auditKey(event: Pick<AuditEvent, 'at' | 'id'>): string {
  return `${event.at}_${event.id}`;
}

function kept(event: AuditEvent, query: AuditQuery): AuditEvent | undefined {
  if (!matches(event, query)) return undefined;
  return query.select ? query.select(event) : event;
}

function matches(event: AuditEvent, query: AuditQuery): boolean {
  if (query.planId !== undefined && event.planId.toUpperCase() !== query.planId.toUpperCase()) return false;
  if (query.connection === undefined) return true;
  const wanted = query.connection.toLowerCase();
  return event.connections.some((c) => c.endpointId.toLowerCase() === wanted || c.name.toLowerCase() === wanted);
}
