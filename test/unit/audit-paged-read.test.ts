/**
 * `audit last N` under a policy file reads the trail a page at a time, newest first, and stops once it holds N
 * visible events: with 5,000 events of which one in 25 is the conversation's, the read costs a few pages, not 5,000
 * reads, and answers exactly what reading everything, narrowing and cutting answers. Cost is counted in store reads.
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_COLLECTION, StoreAuditLog } from '../../src/audit';
import { AUDIT_PAGE_SIZE, AUDIT_PAGES_BEFORE_LISTING } from '../../src/audit/store-audit-log';
import type { AuditEvent } from '../../src/domain/audit';
import { visibleAudit, visibleEvent } from '../../src/policy/visible-reads';
import { EmbeddedStore, type Store } from '../../src/store';
import { CONV, examplePolicy } from './policy-fixture';

/** The store, counting what the audit collection costs: key listings, whole-collection listings and single reads. */
function countingStore(inner: Store) {
  const reads = { keys: 0, list: 0, get: 0 };
  const store: Store = {
    get: (collection, key) => { if (collection === AUDIT_COLLECTION) reads.get += 1; return inner.get(collection, key); },
    put: (collection, key, value, version) => inner.put(collection, key, value, version),
    delete: (collection, key, version) => inner.delete(collection, key, version),
    list: (collection, prefix) => { if (collection === AUDIT_COLLECTION) reads.list += 1; return inner.list(collection, prefix); },
    keys: (collection, prefix) => { if (collection === AUDIT_COLLECTION) reads.keys += 1; return inner.keys(collection, prefix); },
  };
  return { store, reads };
}

const TOTAL = 5_000;
const EVERY = 25;
const BASE = Date.parse('2026-11-01T00:00:00.000Z');

/** Event i is Payments' (visible to its channel) when i is a multiple of EVERY, Retail's otherwise. */
function eventAt(i: number): AuditEvent {
  const payments = i % EVERY === 0;
  const name = payments ? `sc-pay-${i}` : `sc-retail-prod-${i}`;
  return {
    id: `E-${String(i).padStart(8, '0')}`, kind: 'requested', at: new Date(BASE + i * 1000).toISOString(),
    actor: { id: '29:a', name: 'A' }, conversation: { id: payments ? CONV.payments : CONV.retail, type: 'channel' },
    planId: `P-${i}`, planFingerprint: 'f', operation: 'rotate', command: `rotate ${name}`, correlationId: `c-${i}`,
    connections: [{ endpointId: `e-${i}`, name, project: payments ? 'Payments' : 'Retail', fingerprint: 'x' }],
  };
}

async function filledLog() {
  const counted = countingStore(new EmbeddedStore());
  const log = new StoreAuditLog(counted.store);
  for (let i = 0; i < TOTAL; i += 1) await log.append(eventAt(i));
  return { log, reads: counted.reads };
}

describe('audit last N under a policy file', () => {
  it('reads a bounded number of pages and answers what the full read answers', async () => {
    const { log, reads } = await filledLog();
    const policy = examplePolicy();
    const narrowed = visibleAudit(log, policy, CONV.payments);

    const everything = (await log.query()).flatMap((e) => visibleEvent(policy, CONV.payments, e) ?? []);
    Object.assign(reads, { keys: 0, list: 0, get: 0 });
    const last6 = await narrowed.query({ last: 6 });

    expect(last6).toEqual(everything.slice(0, 6));
    expect(last6.map((e) => e.connections[0]!.name)[0]).toBe(`sc-pay-${TOTAL - EVERY}`);
    // 6 visible events sit in the newest 6 × 25 = 150 events: 3 pages of 50, one key listing, no full listing.
    const pages = Math.ceil((6 * EVERY) / AUDIT_PAGE_SIZE);
    expect(pages).toBeLessThanOrEqual(AUDIT_PAGES_BEFORE_LISTING);
    expect(reads).toEqual({ keys: 1, list: 0, get: pages * AUDIT_PAGE_SIZE });
  });

  it('keeps a connection filter; a query that keeps few events lists the older rest once after its paged reads', async () => {
    const { log, reads } = await filledLog();
    const policy = examplePolicy();
    const narrowed = visibleAudit(log, policy, CONV.payments);
    expect((await narrowed.query({ connection: `sc-pay-${TOTAL - EVERY}`, last: 5 })).map((e) => e.id)).toEqual([`E-${String(TOTAL - EVERY).padStart(8, '0')}`]);
    expect((await narrowed.query({ connection: `sc-retail-prod-${TOTAL - 1}`, last: 5 }))).toEqual([]);

    Object.assign(reads, { keys: 0, list: 0, get: 0 });
    const all = await narrowed.query({ last: TOTAL });
    expect(reads).toEqual({ keys: 1, list: 1, get: AUDIT_PAGES_BEFORE_LISTING * AUDIT_PAGE_SIZE });
    expect(all).toHaveLength(TOTAL / EVERY);
    expect(all).toEqual((await log.query()).flatMap((e) => visibleEvent(policy, CONV.payments, e) ?? []));
  });

  it('last 0 reads no event, and a key removed between listing and reading is skipped', async () => {
    const counted = countingStore(new EmbeddedStore());
    const log = new StoreAuditLog(counted.store);
    for (let i = 0; i < 3; i += 1) await log.append(eventAt(i * EVERY));
    expect(await log.query({ last: 0 })).toEqual([]);
    expect(counted.reads.get).toBe(0);

    const keys = await counted.store.keys(AUDIT_COLLECTION);
    const vanishing: Store = { ...counted.store, get: async (c, k) => (k === keys[2] ? undefined : counted.store.get(c, k)) };
    expect((await new StoreAuditLog(vanishing).query({ last: 5 })).map((e) => e.id)).toEqual([eventAt(EVERY).id, eventAt(0).id]);
  });
});
