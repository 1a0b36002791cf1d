import type { Plan } from '../domain/plan';

/** Plans as proposed, kept so execution (and, later, approval) works from the server's copy, never the card's. */
export interface PlanRepository {
  save(plan: Plan): Promise<void>;
  get(planId: string): Promise<Plan | undefined>;
  /** Removes the plan (retention); absent already is fine. */
  delete(planId: string): Promise<void>;
}
