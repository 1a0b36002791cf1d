import { describe, expect, it } from 'vitest';
import { APPROVALS_COLLECTION, ApprovalRecords } from '../../src/approvals/approval-records';
import { newApprovalRecord } from '../../src/domain/approval';
import { RUN_LEASES } from '../../src/store/run-lease';
import { newAuditId } from '../../src/audit/audit-id';
import { AUDIT_COLLECTION, AUDIT_PARTS_COLLECTION, REFUSAL_COUNTS_COLLECTION, StoreAuditLog } from '../../src/audit/store-audit-log';
import type { ApprovalState } from '../../src/domain/approval';
import { auditEventForRequested } from '../../src/domain/audit';
import type { Plan } from '../../src/domain/plan';
import { DENY_ALL_POLICY } from '../../src/domain/policy';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { ItemStates, ITEMS_COLLECTION } from '../../src/execution/item-states';
import { PLAN_PARTS_COLLECTION, PLANS_COLLECTION, StorePlanRepository } from '../../src/plans/store-plan-repository';
import { RetentionSweeper, type RetentionSettings } from '../../src/retention/retention-sweeper';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { bulkConvert } from './plan-card-fixture';
import { AlertStore, POSTED_PARTS, SCAN_PARTS } from '../../src/alerts/alert-store';
import { PARTED_COLLECTIONS } from '../../src/retention/orphan-parts';
import { findingOf } from './alert-fixture';

/**
 * Retention over the Store: expired proposals go at once, plans that ran after planDays, audit and counted
 * refusals after auditDays; approved and executing plans are never touched. Time is the Clock's, advanced by hand.
 */
const DAY = 86_400_000;
const SETTINGS: RetentionSettings = { planDays: 30, auditDays: 400, sweepMinutes: 60 };
const quiet = { info: () => undefined, warn: () => undefined };

function setting(settings = SETTINGS) {
  const store = new EmbeddedStore();
  const clock = new ManualClock('2026-11-22T06:00:00.000Z');
  const plans = new StorePlanRepository(store);
  const records = new ApprovalRecords(store);
  const audit = new StoreAuditLog(store);
  const sweeper = new RetentionSweeper({ store, plans, clock, settings, logger: quiet });
  let n = 0;
  /** A 300-connection plan (several parts) with its record, item states, a run lease and its audit event. */
  const plan = async (state: ApprovalState): Promise<Plan> => {
    n += 1;
    const saved = { ...bulkConvert(300), id: `P-RETAIN${String(n).padStart(2, '0')}`, createdAt: clock.now().toISOString() };
    await plans.save(saved);
    const created = await records.create(newApprovalRecord(saved, { id: '29:a', name: 'A' }, { id: 'c', type: 'channel' }, { ...DENY_ALL_POLICY, planTtlMinutes: 30 }, clock.now()));
    if (state !== 'proposed') await records.replace({ ...created.value, state, updatedAt: clock.now().toISOString() }, created.version);
    await new ItemStates(store, clock).initialise(saved.id, saved.items.slice(0, 3).map((i) => i.endpointId));
    await store.put(RUN_LEASES, saved.id, { owner: 'x', expiresAt: clock.now().toISOString() });
    await audit.append(auditEventForRequested(saved, { id: newAuditId(), at: clock.now(), actor: { id: '29:a', name: 'A' }, conversation: { id: 'c', type: 'channel' }, correlationId: 'c' }));
    return saved;
  };
  const left = async (planId: string) => ({
    plan: await plans.get(planId), record: await records.get(planId),
    parts: (await store.keys(PLAN_PARTS_COLLECTION, `${planId}/`)).length, items: (await store.keys(ITEMS_COLLECTION, `${planId}/`)).length,
    lease: await store.get(RUN_LEASES, planId),
  });
  return { store, clock, plans, audit, sweeper, plan, left };
}

describe('retention', () => {
  it('purges a never-approved proposal once it expired, with every record it left', async () => {
    const { clock, sweeper, plan, left } = setting();
    const proposal = await plan('proposed');
    expect(await sweeper.sweep()).toMatchObject({ proposals: 0 });
    expect((await left(proposal.id)).parts).toBeGreaterThan(1);
    clock.advance(30 * 60_000);
    expect(await sweeper.sweep()).toMatchObject({ proposals: 1, plans: 0, auditEvents: 0 });
    expect(await left(proposal.id)).toEqual({ plan: undefined, record: undefined, parts: 0, items: 0, lease: undefined });
  });

  it('keeps a plan that ran for planDays after it settled, then purges it; never an approved or executing one', async () => {
    const { clock, sweeper, plan, left } = setting();
    const ran = await plan('done');
    const failed = await plan('partially_failed');
    const approved = await plan('approved');
    const executing = await plan('executing');
    clock.advance(30 * DAY - 1);
    expect(await sweeper.sweep()).toMatchObject({ plans: 0 });
    clock.advance(1);
    expect(await sweeper.sweep()).toMatchObject({ plans: 2 });
    for (const gone of [ran, failed]) expect((await left(gone.id)).record).toBeUndefined();
    clock.advance(1000 * DAY);
    await sweeper.sweep();
    for (const kept of [approved, executing]) expect((await left(kept.id)).plan).toBeDefined();
  });

  it('keeps audit events and counted refusals auditDays, then purges them', async () => {
    const { store, clock, audit, sweeper, plan } = setting();
    await plan('approved');
    // A 1,000-connection event with long names is stored in parts: they go with it.
    await audit.append(auditEventForRequested(bulkConvert(2_000, (i) => `${'very-long-connection-name-'.repeat(4)}${i}`), { id: newAuditId(), at: clock.now(), actor: { id: '29:a', name: 'A' }, conversation: { id: 'c', type: 'channel' }, correlationId: 'c' }));
    expect((await store.keys(AUDIT_PARTS_COLLECTION)).length).toBeGreaterThan(1);
    await audit.countRefusal({ tenantId: '99999999-9999-4999-8999-999999999999', reason: 'TENANT_NOT_ALLOWED', at: clock.now() });
    clock.advance(400 * DAY);
    expect(await sweeper.sweep()).toMatchObject({ auditEvents: 0, refusalCounts: 0 });
    // The event is older than 400 days a millisecond later; its refusal hour once the whole hour is.
    clock.advance(1);
    expect(await sweeper.sweep()).toMatchObject({ auditEvents: 2, refusalCounts: 0 });
    expect(await store.keys(AUDIT_PARTS_COLLECTION)).toEqual([]);
    clock.advance(60 * 60_000);
    expect(await sweeper.sweep()).toMatchObject({ auditEvents: 0, refusalCounts: 1 });
    expect(await store.keys(AUDIT_COLLECTION)).toEqual([]);
    expect(await store.keys(REFUSAL_COUNTS_COLLECTION)).toEqual([]);
  });

  it('purges a plan that has no approval record (a preview) after planDays', async () => {
    const { store, clock, plans, sweeper } = setting();
    const preview = { ...bulkConvert(5), id: 'P-PREVIEW1', createdAt: clock.now().toISOString() };
    await plans.save(preview);
    expect(await sweeper.sweep()).toMatchObject({ plans: 0 });
    clock.advance(30 * DAY);
    expect(await sweeper.sweep()).toMatchObject({ plans: 1 });
    expect(await store.keys(PLANS_COLLECTION)).toEqual([]);
  });

  it('removes plan parts no header names on the second sweep that finds them, never a live plan\'s', async () => {
    const { store, plans, sweeper, plan } = setting();
    const live = await plan('approved');
    // A save that died after its parts: the same parts a save writes, under a generation no header names.
    await store.put(PLAN_PARTS_COLLECTION, 'P-CRASHED1/dead0001/00000', { items: [], skipped: [] });
    await store.put(PLAN_PARTS_COLLECTION, `${live.id}/dead0002/00000`, { items: [], skipped: [] });
    expect(await sweeper.sweep()).toMatchObject({ orphanParts: 0 });
    expect(await sweeper.sweep()).toMatchObject({ orphanParts: 2 });
    expect(await store.keys(PLAN_PARTS_COLLECTION, 'P-CRASHED1/')).toEqual([]);
    expect(await plans.get(live.id)).toEqual(live);
  });

  it('removes orphaned parts of the radar\'s records too, never the parts a header names', async () => {
    const { store, sweeper } = setting();
    const alerts = new AlertStore(store);
    await alerts.subscribe({ conversationId: 'ops', reference: {}, subscribedBy: { name: 'Dana' }, subscribedAt: '2026-11-22T05:00:00.000Z' });
    await alerts.savePosted('ops', {}, undefined);
    await alerts.saveScan({ startedAt: '2026-11-22T06:00:00.000Z', finishedAt: '2026-11-22T06:00:01.000Z', ok: true, findings: [findingOf('failed', 1)] }, undefined);
    const live = { posted: await store.keys(POSTED_PARTS), scan: await store.keys(SCAN_PARTS) };
    for (const { parts } of PARTED_COLLECTIONS) await store.put(parts, 'ops/dead0003/00000', {});
    await store.put(SCAN_PARTS, 'last/dead0004/00000', []);
    expect(await sweeper.sweep()).toMatchObject({ orphanParts: 0 });
    expect(await sweeper.sweep()).toMatchObject({ orphanParts: PARTED_COLLECTIONS.length + 1 });
    expect({ posted: await store.keys(POSTED_PARTS), scan: await store.keys(SCAN_PARTS) }).toEqual(live);
    expect((await alerts.lastScan())?.findings).toEqual([findingOf('failed', 1)]);
  });

  it('sweeps at start and on each tick of its schedule, one instance at a time, and stops', async () => {
    const { store, clock, plans, plan } = setting();
    const ticks: Array<() => void> = [];
    let stopped = false;
    const repeat = (fn: () => void, ms: number) => {
      expect(ms).toBe(60 * 60_000);
      ticks.push(fn);
      return () => { stopped = true; };
    };
    const a = new RetentionSweeper({ store, plans, clock, settings: SETTINGS, logger: quiet, repeat, owner: 'a' });
    const b = new RetentionSweeper({ store, plans, clock, settings: SETTINGS, logger: quiet, repeat, owner: 'b' });
    await plan('proposed');
    clock.advance(31 * 60_000);
    const stop = a.start();
    await expect.poll(() => store.keys(APPROVALS_COLLECTION)).toEqual([]);
    await a.idle();
    await plan('proposed');
    clock.advance(31 * 60_000);
    ticks[0]?.();
    await expect.poll(() => store.keys(APPROVALS_COLLECTION)).toEqual([]);
    await plan('proposed');
    clock.advance(31 * 60_000);
    const [first, second] = await Promise.all([a.sweepExclusive(), b.sweepExclusive()]);
    expect([first?.proposals, second?.proposals].sort()).toEqual([1, undefined]);
    stop();
    expect(stopped).toBe(true);
  });
});
