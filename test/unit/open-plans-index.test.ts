import { describe, expect, it } from 'vitest';
import { APPROVALS_COLLECTION, ApprovalRecords, OPEN_PLANS_COLLECTION } from '../../src/approvals/approval-records';
import type { ApprovalRecord, ApprovalState } from '../../src/domain/approval';
import { fingerprintPlan } from '../../src/domain/audit';
import { StorePlanRepository } from '../../src/plans/store-plan-repository';
import { EmbeddedStore } from '../../src/store/embedded-store';
import type { Store } from '../../src/store/store.port';
import { B, world, tap } from './approval-fixture';
import { rotatePlan } from './plan-card-fixture';

/** The store, counting which collection each list and keys call read. */
function counting(store: Store) {
  const reads: string[] = [];
  const counted: Store = {
    get: (c, k) => store.get(c, k),
    put: (c, k, v, e) => store.put(c, k, v, e),
    delete: (c, k, e) => store.delete(c, k, e),
    list: (c, p) => { reads.push(`list ${c}`); return store.list(c, p); },
    keys: (c, p) => { reads.push(`keys ${c}`); return store.keys(c, p); },
  };
  return { counted, reads };
}

async function recordIn(store: Store, planId: string, state: ApprovalState): Promise<void> {
  const records = new ApprovalRecords(store);
  const plan = { ...rotatePlan('sc-prod'), id: planId };
  const proposed = world();
  await proposed.propose(plan);
  await new StorePlanRepository(store).save(plan);
  await records.create((await proposed.store.get<ApprovalRecord>(APPROVALS_COLLECTION, planId))!.value);
  const read = await store.get<ApprovalRecord>(APPROVALS_COLLECTION, planId);
  await store.put(APPROVALS_COLLECTION, planId, { ...read!.value, state }, read!.version);
}

describe('the open-plans index the plan sweep reads', () => {
  it('has an entry exactly while a plan is approved or executing', async () => {
    const store = new EmbeddedStore();
    const w = world(store);
    const plan = { ...rotatePlan('sc-prod'), id: 'P-INDEX001' };
    let held!: () => void;
    w.runner.gate = new Promise((resolve) => { held = resolve; });
    await w.propose(plan);
    expect(await store.keys(OPEN_PLANS_COLLECTION)).toEqual([]);
    await w.service.tap(tap('approve', B, plan, fingerprintPlan(plan)));
    await expect.poll(() => w.runner.calls).toEqual([plan.id]);
    expect(await store.keys(OPEN_PLANS_COLLECTION)).toEqual([plan.id]);
    held();
    await w.service.idle();
    expect((await store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id))?.value.state).toBe('done');
    expect(await store.keys(OPEN_PLANS_COLLECTION)).toEqual([]);
  });

  it('lets a sweep find a plan approved elsewhere without listing the approval records', async () => {
    const { counted, reads } = counting(new EmbeddedStore());
    for (let n = 0; n < 50; n += 1) await recordIn(counted, `P-SETTL${String(n).padStart(3, '0')}`, 'done');
    const records = new ApprovalRecords(counted);
    const open = await records.get('P-SETTL007');
    await records.replace({ ...open!.value, state: 'approved' }, open!.version);
    reads.length = 0;
    const found = await records.runnable({ everyRecord: false });
    expect(found.map((r) => r.value.planId)).toEqual(['P-SETTL007']);
    expect(reads).toEqual([`keys ${OPEN_PLANS_COLLECTION}`]);
  });

  it('removes an entry whose record is not runnable: a crash before the record was written, or after it settled', async () => {
    const store = new EmbeddedStore();
    await recordIn(store, 'P-CRASH001', 'proposed');
    await recordIn(store, 'P-CRASH002', 'failed');
    // Both crashes leave an entry the record does not back: before the approve was written, after the run settled.
    await store.put(OPEN_PLANS_COLLECTION, 'P-CRASH001', {});
    await store.put(OPEN_PLANS_COLLECTION, 'P-CRASH002', {});
    await store.put(OPEN_PLANS_COLLECTION, 'P-GONE0001', {});
    const w = world(store);
    expect(await w.service.resume({ everyRecord: false })).toEqual([]);
    await w.service.idle();
    expect(w.runner.calls).toEqual([]);
    expect(await store.keys(OPEN_PLANS_COLLECTION)).toEqual([]);
  });

  it('at start-up reads every record, so a plan left open without an entry (an older version) is run and indexed', async () => {
    const store = new EmbeddedStore();
    await recordIn(store, 'P-LEGACY01', 'approved');
    const w = world(store);
    expect(await w.service.resume({ everyRecord: false })).toEqual([]);
    expect(await w.service.resume()).toEqual(['P-LEGACY01']);
    await w.service.idle();
    expect(w.runner.calls).toEqual(['P-LEGACY01']);
    expect((await store.get<ApprovalRecord>(APPROVALS_COLLECTION, 'P-LEGACY01'))?.value.state).toBe('done');
    expect(await store.keys(OPEN_PLANS_COLLECTION)).toEqual([]);
  });
});
