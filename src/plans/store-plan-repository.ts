import type { Plan } from '../domain/plan';
import type { Store } from '../store/store.port';
import type { PlanRepository } from './plan-repository.port';

export const PLANS_COLLECTION = 'plans';

/** Plans in the Store, keyed by id. Saving a plan id again replaces it (a re-proposed plan keeps its id). */
export class StorePlanRepository implements PlanRepository {
  constructor(private readonly store: Store) {}

  async save(plan: Plan): Promise<void> {
    const existing = await this.store.get<Plan>(PLANS_COLLECTION, plan.id);
    await this.store.put(PLANS_COLLECTION, plan.id, plan, existing?.version);
  }

  async get(planId: string): Promise<Plan | undefined> {
    return (await this.store.get<Plan>(PLANS_COLLECTION, planId))?.value;
  }
}
