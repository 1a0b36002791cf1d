/**
 * Per-connection security roles as stored: identity id → role, per resource `{projectId}_{endpointId}`, and the
 * organization's identities they may name (seed `identities` / `roleAssignments`). HTTP lives in role-assignments.ts.
 */
import { z } from 'zod';

export const ENDPOINT_ROLE_SCOPE = 'distributedtask.serviceendpointrole';
export const ROLES = ['Administrator', 'User', 'Reader'] as const;
export type RoleName = (typeof ROLES)[number];

export const identitiesSeedSchema = z.array(z.object({ id: z.string().min(1), displayName: z.string().min(1), uniqueName: z.string().optional() }));
export const roleAssignmentsSeedSchema = z.array(z.object({
  project: z.string().min(1), endpointId: z.string().min(1), identityId: z.string().min(1), role: z.enum(ROLES),
}));
export type SeedIdentity = z.infer<typeof identitiesSeedSchema>[number];

/** identity id → role, per resource id (lower-cased). */
export class RoleAssignments {
  private readonly byResource = new Map<string, Map<string, RoleName>>();
  private readonly identities = new Map<string, SeedIdentity>();

  constructor(identities: SeedIdentity[]) {
    for (const identity of identities) this.identities.set(identity.id.toLowerCase(), identity);
  }

  identity(id: string): SeedIdentity | undefined {
    return this.identities.get(id.toLowerCase());
  }

  assignments(resourceId: string): Array<{ identity: SeedIdentity; role: RoleName }> {
    const roles = this.byResource.get(resourceId.toLowerCase()) ?? new Map<string, RoleName>();
    return [...roles.entries()].flatMap(([id, role]) => {
      const identity = this.identity(id);
      return identity ? [{ identity, role }] : [];
    });
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
