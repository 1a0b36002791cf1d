/**
 * Azure DevOps' own service-connection roles, as the policy reads them (facts lifecycle §2.4). Pure: the adapter
 * (src/devops/azure-devops-roles.ts) finds what a person holds; this module only orders roles and names reasons.
 *   - on a connection (scope distributedtask.serviceendpointrole): Reader ⊂ User ⊂ Administrator;
 *   - on a project (scope distributedtask.project.serviceendpointrole, inherited by its connections):
 *     Reader ⊂ User ⊂ Creator ⊂ Administrator; `create` needs Creator there, as the portal's New service connection does.
 */
import type { ErrorCode } from './errors';

export const CONNECTION_ROLES = ['Reader', 'User', 'Administrator'] as const;
export type ConnectionRole = (typeof CONNECTION_ROLES)[number];
/** [infer] the order at project level (Creator above User, below Administrator): named by the portal, not the spec. */
export const PROJECT_ROLES = ['Reader', 'User', 'Creator', 'Administrator'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];
export type DevOpsRole = ProjectRole;

export type RoleScope = 'connection' | 'project';

/** How a role reaches the person: assigned to them or to a group they are in, here or inherited from the project. */
export interface RoleGrant {
  role: DevOpsRole;
  /** The group's display name when the role is held through a group (Azure DevOps or Entra, nested or not). */
  group?: string;
  inherited: boolean;
}

/**
 * What Azure DevOps says a person holds on one connection or project. `unreadable` is never a permission: a read
 * that failed refuses, with the failure's stable code.
 */
export type RoleHolding =
  | { kind: 'held'; role: DevOpsRole; grants: readonly RoleGrant[] }
  | { kind: 'none' }
  | { kind: 'no-identity' }
  | { kind: 'unreadable'; code: ErrorCode };

const rankIn = (scope: RoleScope, role: string): number =>
  (scope === 'project' ? (PROJECT_ROLES as readonly string[]) : (CONNECTION_ROLES as readonly string[])).indexOf(role);

/** True when `held` includes `needed` in that scope. A role the scope does not know (Creator on a connection) includes nothing. */
export function roleIncludes(scope: RoleScope, held: string, needed: DevOpsRole): boolean {
  const h = rankIn(scope, held);
  const n = rankIn(scope, needed);
  return h >= 0 && n >= 0 && h >= n;
}

/** The highest of the roles granted, with the grants that give it (empty list: none). */
export function strongest(scope: RoleScope, grants: readonly RoleGrant[]): RoleHolding {
  const known = grants.filter((g) => rankIn(scope, g.role) >= 0);
  if (known.length === 0) return { kind: 'none' };
  const top = known.reduce((best, g) => (rankIn(scope, g.role) > rankIn(scope, best.role) ? g : best));
  return { kind: 'held', role: top.role, grants: known.filter((g) => g.role === top.role) };
}

/** One short phrase for a grant: "directly", "through group X", "… (inherited from the project)". */
export function grantText(grant: RoleGrant): string {
  const how = grant.group ? `through group ${grant.group}` : 'directly';
  return grant.inherited ? `${how} (inherited from the project)` : how;
}
