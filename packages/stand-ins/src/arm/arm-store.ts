/**
 * What the ARM stand-in holds: user-assigned managed identities with their federated identity credentials, and
 * Azure role assignments. Enough to create connections the way the docs order it (identity → connection → FIC →
 * role assignment). Seeded from `managedIdentities` and `azureRoleAssignments`.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { FederatedCredentials } from '../entra/federated-credentials';

const guid = z.guid();
const seedSections = z.object({
  managedIdentities: z.array(z.object({
    subscriptionId: guid, resourceGroup: z.string().min(1), name: z.string().min(1), location: z.string().default('westeurope'),
    clientId: guid, principalId: guid, tenantId: guid.optional(),
    federatedIdentityCredentials: z.array(z.object({ name: z.string().min(1), issuer: z.string().min(1), subject: z.string().min(1), audiences: z.array(z.string()).optional() })).default([]),
  })).default([]),
  azureRoleAssignments: z.array(z.object({
    id: guid.optional(), scope: z.string().startsWith('/'), principalId: guid, roleDefinitionId: z.string().min(1), principalType: z.string().default('ServicePrincipal'),
  })).default([]),
});

export interface ManagedIdentity {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  clientId: string;
  principalId: string;
  tenantId: string;
  federated: FederatedCredentials;
}

export interface RoleAssignment {
  name: string;
  scope: string;
  principalId: string;
  roleDefinitionId: string;
  principalType: string;
}

export const identityResourceId = (sub: string, rg: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;

export class ArmStore {
  private readonly identities = new Map<string, ManagedIdentity>();
  readonly roleAssignments: RoleAssignment[] = [];

  constructor(seed: Record<string, unknown>, private readonly tenantId: string) {
    const parsed = seedSections.safeParse(seed);
    if (!parsed.success) throw new Error(`Invalid emulator seed (managedIdentities/azureRoleAssignments):\n${z.prettifyError(parsed.error)}`);
    for (const m of parsed.data.managedIdentities) {
      const identity = this.addIdentity({ ...m, tenantId: m.tenantId ?? tenantId });
      for (const f of m.federatedIdentityCredentials) identity.federated.add(f);
    }
    for (const r of parsed.data.azureRoleAssignments) this.roleAssignments.push({ ...r, name: r.id ?? randomUUID() });
  }

  addIdentity(input: Omit<ManagedIdentity, 'id' | 'federated'>): ManagedIdentity {
    const id = identityResourceId(input.subscriptionId, input.resourceGroup, input.name);
    const identity: ManagedIdentity = { ...input, id, federated: new FederatedCredentials() };
    this.identities.set(id.toLowerCase(), identity);
    return identity;
  }

  identity(sub: string, rg: string, name: string): ManagedIdentity | undefined {
    return this.identities.get(identityResourceId(sub, rg, name).toLowerCase());
  }

  /** Every identity of a subscription (ARM's List By Subscription). */
  identitiesIn(subscriptionId: string): ManagedIdentity[] {
    const prefix = `/subscriptions/${subscriptionId}/`.toLowerCase();
    return [...this.identities.values()].filter((i) => i.id.toLowerCase().startsWith(prefix));
  }

  /** The identity whose client id a connection names (its `serviceprincipalid`). */
  identityByClientId(clientId: string): ManagedIdentity | undefined {
    return [...this.identities.values()].find((i) => i.clientId.toLowerCase() === clientId.toLowerCase());
  }

  get defaultTenantId(): string {
    return this.tenantId;
  }
}
