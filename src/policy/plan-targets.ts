/** A plan's connections as the policy names them (project, connection name and id). */
import type { PlanItem } from '../domain/plan';
import type { Target } from '../domain/policy-rules';

/** `create` acts on a connection that does not exist yet: no id, so its role is checked on the project (Creator). */
export function targetOfItem(item: PlanItem): Target {
  return { project: { id: item.projectId, name: item.projectName }, connection: { name: item.name, ...(item.create ? {} : { id: item.endpointId }) } };
}
