import { describe, expect, it } from 'vitest';
import { APPROVALS_COLLECTION } from '../../src/approvals/approval-records';
import { DEFAULT_RUN_LEASE_MS, RUN_LEASES, RunLeases } from '../../src/store/run-lease';
import type { ApprovalRecord } from '../../src/domain/approval';
import type { Plan } from '../../src/domain/plan';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { B, world } from './approval-fixture';
import { rotatePlan } from './plan-card-fixture';

const rotate = (): Plan => ({ ...rotatePlan('sc-prod'), id: 'P-LEASE001' });

/** A plan left `executing` by another instance that holds (or held) its run lease. */
async function executingElsewhere() {
  const store = new EmbeddedStore();
  const first = world(store);
  const plan = rotate();
  await first.propose(plan);
  const read = await store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id);
  await store.put(APPROVALS_COLLECTION, plan.id, { ...read!.value, state: 'executing', approvers: [B] }, read!.version);
  const other = new RunLeases({ store, clock: first.clock, owner: 'other-instance' });
  await other.take(plan.id);
  const restarted = world(store, { devops: first.devops, clock: first.clock });
  return { store, plan, restarted, clock: first.clock };
}

describe('approval execution under the run lease', () => {
  it('leaves a plan alone while another instance holds a current run lease', async () => {
    const { store, plan, restarted, clock } = await executingElsewhere();
    clock.advance(DEFAULT_RUN_LEASE_MS - 1);
    expect(await restarted.service.resume()).toEqual([plan.id]);
    await restarted.service.idle();
    expect(restarted.runner.calls).toEqual([]);
    expect((await store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id))?.value.state).toBe('executing');
    expect((await store.get<{ owner: string }>(RUN_LEASES, plan.id))?.value.owner).toBe('other-instance');
  });

  it('takes the plan over once the lease has expired, runs it once and releases the lease', async () => {
    const { store, plan, restarted, clock } = await executingElsewhere();
    clock.advance(DEFAULT_RUN_LEASE_MS);
    await restarted.service.resume();
    await restarted.service.idle();
    expect(restarted.runner.calls).toEqual([plan.id]);
    expect((await store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id))?.value.state).toBe('done');
    expect(await store.get(RUN_LEASES, plan.id)).toBeUndefined();
  });
});
