/**
 * Service-connection security roles as stored (facts lifecycle §2.4), identity id → role:
 *   - per connection, resource `{projectId}_{endpointId}` (scope distributedtask.serviceendpointrole);
 *   - per project, resource `{projectId}` (scope distributedtask.project.serviceendpointrole), inherited by every
 *     connection of the project: a connection's listing shows them with `access: inherited` (the spec's RoleAccess).
 * Seed `roleAssignments`: `[{ project, endpointId?, identityId, role }]`, without endpointId for the whole project.
 * The identities they may name are identities.ts'. HTTP lives in role-assignments.ts.
 */
import { z } from 'zod';
import { Identities, type SeedIdentity } from './identities';

export const ENDPOINT_ROLE_SCOPE = 'distributedtask.serviceendpointrole';
export const PROJECT_ROLE_SCOPE = 'distributedtask.project.serviceendpointrole';
export const ROLES = ['Administrator', 'User', 'Reader'] as const;
export const PROJECT_ROLES = ['Administrator', 'Creator', 'User', 'Reader'] as const;
export type RoleName = (typeof PROJECT_ROLES)[number];

export { identitiesSeedSchema, type SeedIdentity } from './identities';
export const roleAssignmentsSeedSchema = z.array(z.object({
  project: z.string().min(1), endpointId: z.string().min(1).optional(), identityId: z.string().min(1), role: z.enum(PROJECT_ROLES),
}).refine((a) => a.endpointId === undefined || a.role !== 'Creator', { message: 'Creator is a project role: leave out endpointId' }));

export interface Assignment { identityId: string; role: RoleName; inherited: boolean }

/** identity id → role, per resource id (lower-cased): `{projectId}_{endpointId}` or `{projectId}`. */
export class RoleAssignments {
  private readonly byResource = new Map<string, Map<string, RoleName>>();
  readonly identities: Identities;

  constructor(identities: readonly SeedIdentity[], domain = 'contoso') {
    this.identities = new Identities(identities, domain);
  }

  identity(id: string): ReturnType<Identities['get']> {
    return this.identities.get(id);
  }

  /** What a resource's GET lists: its own assignments, and for a connection the project's, inherited. */
  assignments(resourceId: string): Assignment[] {
    const own = [...(this.byResource.get(resourceId.toLowerCase()) ?? new Map<string, RoleName>()).entries()]
      .map(([identityId, role]) => ({ identityId, role, inherited: false }));
    const project = /^([0-9a-f-]{36})_/i.exec(resourceId)?.[1];
    if (!project) return own;
    const inherited = [...(this.byResource.get(project.toLowerCase()) ?? new Map<string, RoleName>()).entries()]
      .filter(([identityId]) => !own.some((o) => o.identityId === identityId))
      .map(([identityId, role]) => ({ identityId, role, inherited: true }));
    return [...own, ...inherited];
  }

  set(resourceId: string, identityId: string, role: RoleName): void {
    const key = resourceId.toLowerCase();
    const roles = this.byResource.get(key) ?? new Map<string, RoleName>();
    roles.set(identityId.toLowerCase(), role);
    this.byResource.set(key, roles);
  }

  remove(resourceId: string, identityId: string): void {
    this.byResource.get(resourceId.toLowerCase())?.delete(identityId.toLowerCase());
  }
}
