import type { Plan } from '../../src/domain/plan';
import type { PlanRepository } from '../../src/plans/plan-repository.port';

/** Plans in memory (tests and the default when no Store is wired). Copies in and out, like a real store would. */
export class InMemoryPlanRepository implements PlanRepository {
  private readonly plans = new Map<string, Plan>();

  async save(plan: Plan): Promise<void> {
    this.plans.set(plan.id, structuredClone(plan));
  }

  async get(planId: string): Promise<Plan | undefined> {
    const plan = this.plans.get(planId);
    return plan === undefined ? undefined : structuredClone(plan);
  }

  async delete(planId: string): Promise<void> {
    this.plans.delete(planId);
  }

  /** Every saved plan, oldest first (for tests and diagnostics). */
  all(): Plan[] {
    return [...this.plans.values()].map((p) => structuredClone(p));
  }
}
