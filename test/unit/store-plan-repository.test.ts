import { describe, expect, it } from 'vitest';
import { PART_BUDGET, PLAN_PARTS_COLLECTION, PLANS_COLLECTION, StorePlanRepository } from '../../src/plans/store-plan-repository';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { bulkConvert, UNICODE } from './plan-card-fixture';

/** Plans as a header plus bounded parts: read back whole, replaced atomically, deleted without leftovers. */
describe('StorePlanRepository', () => {
  it('stores a large plan as parts no bigger than the budget and reads it back whole', async () => {
    const store = new EmbeddedStore();
    const plans = new StorePlanRepository(store);
    const plan = bulkConvert(600, (i) => `${UNICODE} ${i}`);
    await plans.save(plan);
    const parts = await store.list<unknown>(PLAN_PARTS_COLLECTION);
    expect(parts.length).toBeGreaterThan(5);
    for (const part of parts) expect(JSON.stringify(part.value).length).toBeLessThanOrEqual(PART_BUDGET + 100);
    expect(JSON.stringify((await store.get(PLANS_COLLECTION, plan.id))?.value).length).toBeLessThan(5_000);
    expect(await plans.get(plan.id)).toEqual(plan);
  });

  it('replaces a plan saved again under its id, leaving only the new parts', async () => {
    const store = new EmbeddedStore();
    const plans = new StorePlanRepository(store);
    const big = bulkConvert(300);
    await plans.save(big);
    const smaller = { ...big, items: big.items.slice(0, 2), skipped: [] };
    await plans.save(smaller);
    expect(await plans.get(big.id)).toEqual(smaller);
    expect(await store.list(PLAN_PARTS_COLLECTION)).toHaveLength(1);
  });

  it('deletes the header and every part', async () => {
    const store = new EmbeddedStore();
    const plans = new StorePlanRepository(store);
    const plan = bulkConvert(300);
    await plans.save(plan);
    await plans.delete(plan.id);
    expect(await plans.get(plan.id)).toBeUndefined();
    expect(await store.list(PLAN_PARTS_COLLECTION)).toEqual([]);
    expect(await store.list(PLANS_COLLECTION)).toEqual([]);
  });

  it('reads a plan stored whole, as saved before plans were split', async () => {
    const store = new EmbeddedStore();
    const plan = bulkConvert(3);
    await store.put(PLANS_COLLECTION, plan.id, plan);
    expect(await new StorePlanRepository(store).get(plan.id)).toEqual(plan);
  });
});
