/**
 * A Plan is the exact, previewable description of a change: per connection the endpoint before and after
 * (redacted), the REST calls execution will make, a fingerprint of the endpoint as read, and warnings.
 * Planners are pure functions of what was read; the executor re-reads and refuses when the fingerprint moved.
 */
import type { ServiceEndpoint } from './endpoint';

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
 * What every plan item has, whatever its operation: the connection (by id and name, in the project the command
 * addressed), the endpoint before and after (redacted), the calls execution will make, the fingerprint of the
 * endpoint as read, and warnings. An operation adds its own payload (src/operations/<operation>/*.payload.ts, e.g.
 * rotate's `secret`): the stored item is this base with those fields beside it.
 */
export interface PlanItem {
  endpointId: string;
  /** Name in the project the plan was made for. */
  name: string;
  /** Project the command addressed (id). */
  projectId: string;
  projectName: string;
  before: ServiceEndpoint;
  after: ServiceEndpoint | null;
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

/** `Item`: the plan item of its operation (base + payload); generic code sees the base. */
export interface Plan<Item extends PlanItem = PlanItem> {
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
  items: Item[];
  skipped: SkippedConnection[];
  warnings: PlanWarning[];
}
