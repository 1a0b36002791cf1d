/**
 * A Plan is the exact, previewable description of a change: per connection the endpoint before and after
 * (redacted), the REST calls execution will make, a fingerprint of the endpoint as read, and warnings.
 * Planners are pure functions of what was read; the executor re-reads and refuses when the fingerprint moved.
 */
import type { ServiceEndpoint } from './endpoint';
import type { AccessState } from './pipeline-access';

/**
 * An operation's name. Which operations exist is src/operations/operations.ts's business (its `Operation` is the
 * closed union): the domain only carries the name.
 */
export type OperationName = string;

export interface PlannedCall {
  /** e.g. "PUT", "DELETE", "POST" */
  method: string;
  /** Service and path, e.g. "devops PUT _apis/serviceendpoint/endpoints/{id}?operation=ConvertAuthenticationScheme" */
  target: string;
  /** One line a person reads on the preview. */
  purpose: string;
  /** Set when the call happens only in some cases (e.g. "if the connection is not ready"); absent = always. */
  condition?: string;
}

export type WarningCode =
  | 'SHARED'
  | 'AUTOMATIC_TO_MANUAL'
  | 'RECENTLY_USED'
  | 'REVERT_DEADLINE'
  | 'DEEP_DELETE'
  | 'DELETE_EVERYWHERE'
  | 'NOT_READY'
  | 'SECRET_EXPIRY'
  | 'LOSES_ACCESS'
  | 'NO_RECENT_USE'
  | 'LAST_USED'
  | 'GAINS_ACCESS'
  | 'NEW_CREDENTIAL'
  | 'OLD_CREDENTIAL_KEPT'
  | 'IDENTITY_NOT_VISIBLE'
  | 'ISSUER_RETIRES'
  | 'NEW_CONNECTION'
  | 'NEW_APP'
  | 'ROLE_ASSIGNMENT'
  | 'NO_ROLE';

export interface PlanWarning {
  code: WarningCode;
  text: string;
}

/** Where a rotation's new secret comes from. Secret values are never in a plan. */
export type SecretPlan =
  | { source: 'graph'; appId: string; expiresAt: string; displayName: string }
  | { source: 'keyvault'; vault: string; secretName: string };

/**
 * A move to the Entra issuer: what the executor needs beyond the connection. The new subject is not here: Azure
 * DevOps names it (the credential is created from its answer, never from a guess).
 */
export interface IssuerMovePlan {
  /** `sc://<org>/<project>/<name>`: the input of the migration call, and the old credential's subject. */
  oldSubject: string;
  oldIssuer: string;
  newIssuer: string;
  audience: string;
  /** The federated credential the bot creates if Azure DevOps cannot. */
  credentialName: string;
  /** Where that credential goes: the app (Graph), the user-assigned managed identity (ARM), or nowhere visible. */
  identity: { kind: 'app'; appId: string } | { kind: 'managed-identity'; clientId: string; resourceId: string } | { kind: 'unknown'; clientId: string };
}

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

export interface PlanItem {
  endpointId: string;
  /** Name in the project the plan was made for. */
  name: string;
  /** Project the command addressed (id). */
  projectId: string;
  projectName: string;
  before: ServiceEndpoint;
  after: ServiceEndpoint | null;
  /** Delete only: the projects the connection is removed from (all of them when deleted everywhere). */
  projectIds?: string[];
  deep?: boolean;
  secret?: SecretPlan;
  /** restrict / authorize: pipeline access before and after, and the names of every pipeline id involved. */
  access?: { before: AccessState; after: AccessState; names: Record<string, string> };
  /** share: the project references the connection gains. */
  shareWith?: Array<{ projectReference: { id: string; name?: string }; name: string; description?: string | null }>;
  issuer?: IssuerMovePlan;
  /** create: the connection to make. `endpointId` is then a key for the planned name, not a service id. */
  create?: CreatePlan;
  calls: PlannedCall[];
  fingerprint: string;
  warnings: PlanWarning[];
}

export interface SkippedConnection {
  endpointId: string;
  name: string;
  projectName: string;
  reason: string;
}

export interface Plan {
  id: string;
  operation: OperationName;
  /** The command as the user typed it (normalized). */
  command: string;
  /**
   * The one connection the command named (absent for bulk commands such as `convert all`): "plan again" and "try
   * again" resend the command pinned to this id, never to whatever else has that name by then.
   */
  target?: { endpointId: string; projectId: string };
  createdAt: string;
  items: PlanItem[];
  skipped: SkippedConnection[];
  warnings: PlanWarning[];
}
