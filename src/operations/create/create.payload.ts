import type { PlanItem } from '../../domain/plan';

/**
 * A connection to create (connection-lifecycle facts §3): what the executor needs, decided at planning. The subject
 * is not here: Azure DevOps names it in the create answer, and the federated credential is made from that answer.
 */
export interface CreatePlan {
  name: string;
  /** `[scbot:<plan id>:create]`, written into the description: a resumed run adopts the connection it made. */
  marker: string;
  description: string;
  tenantId: string;
  subscriptionId: string;
  resourceGroup?: string;
  /** ARM scope of the connection and of the role assignment: the subscription or the resource group. */
  scope: string;
  /** Who the connection signs in as: an existing app (Graph), a user-assigned managed identity (ARM), or a new app. */
  identity:
    | { kind: 'app'; appId: string; displayName?: string }
    | { kind: 'managed-identity'; clientId: string; resourceId: string; principalId?: string }
    | { kind: 'new-app'; displayName: string };
  /** The federated credential the bot adds: its name, the issuer it expects the service to name, the audience. */
  credential: { name: string; issuer: string; audience: string };
  /** An Azure role on the scope; the assignment's name is a GUID fixed at planning, so a repeated PUT is harmless. */
  role?: { name: string; definitionId: string; assignmentName: string };
  /** The pipelines authorized to use it (never "all pipelines"). */
  pipelines: Array<{ id: number; name: string }>;
}

/** A create item: `endpointId` is a key for the planned name, not a service id; `create` is the connection to make. */
export type CreateItem = PlanItem & { create?: CreatePlan };
