/**
 * A hand-written DevOpsRoles for unit tests: who holds what, written as Azure DevOps would answer it. Records every
 * question, so a test can assert a role was (or was not) read.
 */
import type { RoleGrant, RoleHolding } from '../../src/domain/devops-roles';
import { strongest } from '../../src/domain/devops-roles';
import type { DevOpsPerson, DevOpsRoles, RoleTarget } from '../../src/devops/devops-roles.port';

export type FakeGrants = Record<string, RoleGrant[]>;

export const resourceOf = (t: RoleTarget): string => (t.scope === 'project' ? t.projectId : `${t.projectId}_${t.endpointId}`).toLowerCase();

export class InMemoryDevOpsRoles implements DevOpsRoles {
  readonly asked: Array<{ person: string; resource: string }> = [];

  /**
   * @param people Entra object ids that have an Azure DevOps identity → resource (`{projectId}_{endpointId}` or
   *   `{projectId}`) → grants. A person absent here has no identity; `failing` answers unreadable.
   */
  constructor(private readonly people: Record<string, FakeGrants>, private readonly failing: ReadonlySet<string> = new Set()) {}

  holding(person: DevOpsPerson, target: RoleTarget): Promise<RoleHolding> {
    const resource = resourceOf(target);
    this.asked.push({ person: person.aadObjectId, resource });
    if (this.failing.has(person.aadObjectId.toLowerCase())) return Promise.resolve({ kind: 'unreadable', code: 'DEVOPS.THROTTLED' });
    const grants = Object.entries(this.people).find(([oid]) => oid.toLowerCase() === person.aadObjectId.toLowerCase())?.[1];
    if (!grants) return Promise.resolve({ kind: 'no-identity' });
    return Promise.resolve(strongest(target.scope, grants[resource] ?? []));
  }
}
