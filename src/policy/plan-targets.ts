/** A plan's connections as the policy names them (project, connection name and id). */
import type { Plan } from '../domain/plan';
import type { Target } from '../domain/policy-rules';

/**
 * `existsBeforeRun`: the operation's hook (src/operations/operation.ts). A connection that does not exist before
 * the run (create) has no id yet, so its role is checked on the project (Creator).
 */
export function targetsOfPlan(plan: Pick<Plan, 'items'>, existsBeforeRun: boolean): Target[] {
  return plan.items.map((item) => ({ project: { id: item.projectId, name: item.projectName }, connection: { name: item.name, ...(existsBeforeRun ? { id: item.endpointId } : {}) } }));
}
