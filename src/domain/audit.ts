/**
 * The audit trail's events, pure. Azure DevOps' own audit log only shows the bot's identity; these say which
 * human asked, which approved, and what happened to each connection. Events are built only from ids, names,
 * fingerprints and codes copied field by field, so a secret value has no way in.
 */
import { canonicalJson, fingerprintEndpoint, fnv1a64 } from './fingerprint';
import type { OperationName, Plan, PlanItem, SecretPlan } from './plan';

/** The shape of the ids newPlanId makes (src/plans/plan-id.ts): anything else names no plan and is never looked up. */
export const PLAN_ID = /^P-[A-Z0-9]{8}$/;

/**
 * `refused`: an approval attempt turned down by policy (own request, not an approver, tampered plan id).
 * `called`: an MCP tool call by a person's client or an agent (src/mcp), with the tool's name and never its arguments.
 */
export const AUDIT_KINDS = ['requested', 'approved', 'rejected', 'expired', 'stale', 'executed', 'refused', 'called'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditActor {
  /** Entra object id: the identity a security team can look up; absent only outside Teams (local tools). */
  aadObjectId?: string;
  /** The channel's user id (e.g. "29:…"); `mcp:<object id>` for a caller of the MCP endpoint. */
  id: string;
  name: string;
  /** MCP callers only: the client app of the token (the agent's own app, or the client a person signed in through). */
  appId?: string;
}

/**
 * The bot itself: the actor of an execution. It calls Azure DevOps with its own identity (Azure DevOps' audit log
 * shows that identity), on the approval of the people the event names.
 */
export const BOT_ACTOR: Readonly<AuditActor> = Object.freeze({ id: 'scbot', name: 'scbot' });

/** `executed` only: the people behind the bot's change. */
export interface ExecutionPeople {
  requestedBy: AuditActor;
  approvedBy: readonly AuditActor[];
}

export interface AuditConnection {
  endpointId: string;
  name: string;
  /** Project name the plan addressed. */
  project: string;
  /** Fingerprint of the connection as read for the preview. */
  fingerprint: string;
}

export type ExecutionOutcomeStatus = 'done' | 'skipped' | 'failed';

export interface AuditOutcome {
  status: ExecutionOutcomeStatus;
  /** A stable code (e.g. "DEVOPS.FORBIDDEN", "CHANGED_SINCE_PREVIEW"), never a message. */
  reason?: string;
}

export interface AuditEvent {
  id: string;
  kind: AuditKind;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
  actor: AuditActor;
  conversation: { id: string; type: string };
  planId: string;
  /** Empty, like operation (null), command and connections, only for a refusal about a plan that does not exist. */
  planFingerprint: string;
  operation: OperationName | null;
  /** The command as typed (normalized); commands that look like they carry a secret are refused before planning. */
  command: string;
  connections: AuditConnection[];
  /** `executed` only: what happened to the one connection the event is about. */
  outcome?: AuditOutcome;
  /** `executed` only (events since issue 27): who asked for the change the bot (the actor) made. */
  requestedBy?: AuditActor;
  /** `executed` only (events since issue 27): who approved it, in order. */
  approvedBy?: AuditActor[];
  /** Why a plan was rejected, went stale or was refused: a stable code. */
  reason?: string;
  /** Under a policy file: its version and the rules (or freezes) that decided this request, approval or refusal. */
  policy?: AuditPolicy;
  correlationId: string;
}

export interface AuditPolicy {
  /** `sha256:` of the policy file in force. */
  version: string;
  rules: readonly string[];
}

/** The event with the policy's decision attached (names only: rule and freeze names are the operator's, never data). */
export function withPolicy(event: AuditEvent, policy: AuditPolicy | undefined): AuditEvent {
  return policy ? { ...event, policy: { version: policy.version, rules: [...new Set(policy.rules)].slice(0, 20) } } : event;
}

/** Who, when, where: everything an event takes from the moment it is recorded rather than from the plan. */
export interface AuditMeta {
  id: string;
  at: Date;
  actor: AuditActor;
  conversation: { id: string; type: string };
  correlationId: string;
}

const CODE = /^[A-Z][A-Z0-9_.]{0,63}$/;

/** Keeps a reason only when it has the shape of a code, so a stray message (which might quote data) is never stored. */
export function reasonCode(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  return CODE.test(reason) ? reason : 'UNCLASSIFIED';
}

/**
 * A bulk execution records one event per connection, each carrying the plan's fingerprint: remembering it per
 * plan object keeps 500 events from hashing 500 items each. Plans are never mutated after they are made.
 */
const planFingerprints = new WeakMap<object, string>();

/**
 * Digest of what a plan will do: operation, and per item the connection id, its fingerprint as read, the
 * fingerprint of the intended result and the delete scope. Approving binds to this, so two plans that act
 * differently (delete here vs. everywhere) never share a fingerprint. Item order does not matter.
 */
/** Payload fields the plan digest has always covered (delete's scope, rotate's secret source). */
interface StoredScopeFields {
  projectIds?: string[];
  deep?: boolean;
  secret?: SecretPlan;
}

export function fingerprintPlan(plan: Pick<Plan, 'operation' | 'items'>): string {
  const known = planFingerprints.get(plan);
  if (known !== undefined) return known;
  // Approval records hold this digest (the card's version): it reads the payload fields it has always read, so a
  // plan proposed before an upgrade is approved after it. Other payloads are covered by `after` and the calls' target.
  const items = (plan.items as ReadonlyArray<PlanItem & StoredScopeFields>)
    .map((i) => ({
      id: i.endpointId.toLowerCase(), fingerprint: i.fingerprint, after: i.after ? fingerprintEndpoint(i.after) : null,
      projectIds: i.projectIds ? [...i.projectIds].map((p) => p.toLowerCase()).sort() : undefined, deep: i.deep,
      secret: i.secret,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const fingerprint = fnv1a64(canonicalJson({ operation: plan.operation, items }));
  planFingerprints.set(plan, fingerprint);
  return fingerprint;
}

function connectionOf(item: PlanItem): AuditConnection {
  return { endpointId: item.endpointId, name: item.name, project: item.projectName, fingerprint: item.fingerprint };
}

function copyActor(actor: AuditActor): AuditActor {
  return { id: actor.id, name: actor.name, ...(actor.aadObjectId ? { aadObjectId: actor.aadObjectId } : {}), ...(actor.appId ? { appId: actor.appId } : {}) };
}

function copyMeta(meta: AuditMeta): Pick<AuditEvent, 'id' | 'at' | 'actor' | 'conversation' | 'correlationId'> {
  return { id: meta.id, at: meta.at.toISOString(), actor: copyActor(meta.actor), conversation: { id: meta.conversation.id, type: meta.conversation.type }, correlationId: meta.correlationId.slice(0, 128) };
}

/** The common shape; `only` limits the connections to some endpoint ids (case-insensitive). */
function eventFor(kind: AuditKind, plan: Plan, meta: AuditMeta, only?: readonly string[]): AuditEvent {
  const wanted = only ? new Set(only.map((id) => id.toLowerCase())) : undefined;
  const items = wanted ? plan.items.filter((i) => wanted.has(i.endpointId.toLowerCase())) : plan.items;
  return {
    ...copyMeta(meta), kind, planId: plan.id, planFingerprint: fingerprintPlan(plan), operation: plan.operation,
    command: plan.command, connections: items.map(connectionOf),
  };
}

const withReason = (event: AuditEvent, reason: string | undefined): AuditEvent => {
  const code = reasonCode(reason);
  return code === undefined ? event : { ...event, reason: code };
};

/** A mutating command saved a plan: every connection it would change, with its fingerprint. */
export const auditEventForRequested = (plan: Plan, meta: AuditMeta): AuditEvent => eventFor('requested', plan, meta);

export const auditEventForApproved = (plan: Plan, meta: AuditMeta): AuditEvent => eventFor('approved', plan, meta);

export const auditEventForRejected = (plan: Plan, meta: AuditMeta, reason?: string): AuditEvent => withReason(eventFor('rejected', plan, meta), reason);

/** The actor of an expiry is whoever (or whatever: the bot) noticed it. */
export const auditEventForExpired = (plan: Plan, meta: AuditMeta): AuditEvent => eventFor('expired', plan, meta);

/** `changed`: the connections that moved since the preview (all of them when omitted). */
export const auditEventForStale = (plan: Plan, meta: AuditMeta, changed?: readonly string[]): AuditEvent =>
  withReason(eventFor('stale', plan, meta, changed), 'CHANGED_SINCE_PREVIEW');

/** One event per connection executed, with its outcome; the actor is the bot (BOT_ACTOR), `people` who asked and approved. */
export function auditEventForExecuted(plan: Plan, meta: AuditMeta, endpointId: string, outcome: AuditOutcome, people?: ExecutionPeople): AuditEvent {
  const reason = reasonCode(outcome.reason);
  const behind = people ? { requestedBy: copyActor(people.requestedBy), approvedBy: people.approvedBy.map(copyActor) } : {};
  return { ...eventFor('executed', plan, meta, [endpointId]), outcome: { status: outcome.status, ...(reason ? { reason } : {}) }, ...behind };
}

/**
 * An approval attempt policy turned down; `reason` e.g. "OWN_REQUEST", "NOT_AN_APPROVER". A plan id that names
 * no plan (tampered or long gone) is recorded as given when it looks like a plan id, with nothing else to say about it.
 */
export function auditEventForRefused(plan: Plan | string, meta: AuditMeta, reason: string): AuditEvent {
  if (typeof plan !== 'string') return withReason(eventFor('refused', plan, meta), reason);
  // Card data is attacker-controlled: only something shaped like a plan id is kept verbatim.
  const planId = PLAN_ID.test(plan) ? plan : '(not a plan id)';
  return withReason({ ...copyMeta(meta), kind: 'refused', planId, planFingerprint: '', operation: null, command: '', connections: [] }, reason);
}

/**
 * An MCP tool call: who called which tool, and how it ended (`reason`: a stable code such as RATE_LIMITED, or absent
 * when it answered). The command is `mcp <tool>` only: arguments are never kept, as they could carry a secret. A plan
 * id the call was about is kept when it has a plan id's shape.
 */
export function auditEventForToolCall(meta: AuditMeta, tool: string, outcome: { reason?: string; planId?: string } = {}): AuditEvent {
  const planId = outcome.planId !== undefined && PLAN_ID.test(outcome.planId) ? outcome.planId : '';
  const name = /^[a-z][a-z0-9_]{0,63}$/.test(tool) ? tool : '(not a tool name)';
  return withReason({ ...copyMeta(meta), kind: 'called', planId, planFingerprint: '', operation: null, command: `mcp ${name}`, connections: [] }, outcome.reason);
}
