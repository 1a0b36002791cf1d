/**
 * Who may ask for changes and who may approve them. Default deny: an empty list allows no one.
 * Pure: membership of groups is resolved before these functions are called.
 */

export interface Principal {
  /** Entra object id (activity.from.aadObjectId); absent for non-Entra channels, which are never allowed. */
  aadObjectId?: string;
  name?: string;
  /** Entra group object ids the principal belongs to (resolved by a MembershipSource). */
  groups: readonly string[];
}

export interface Place {
  conversationId: string;
  tenantId?: string;
}

export interface PolicyConfig {
  requesters: { users: readonly string[]; groups: readonly string[] };
  approvers: { users: readonly string[]; groups: readonly string[] };
  /** Conversation ids (channels, chats) where mutating commands may be issued; empty = none. */
  conversations: readonly string[];
  /**
   * Conversations where any plan may be approved (SCBOT_APPROVAL_CONVERSATIONS). Absent or empty: a plan is
   * approved only in the conversation it was proposed in (src/domain/tap-policy.ts).
   */
  approvalConversations?: readonly string[];
  /** Tenant ids accepted from activities; empty = none. */
  tenants: readonly string[];
  planTtlMinutes: number;
  /** Plans with more connections than this need two distinct approvers (as do `everywhere` and `deep`). */
  twoApproversOver: number;
}

export type DenialCode =
  | 'TENANT_NOT_ALLOWED'
  | 'CONVERSATION_NOT_ALLOWED'
  | 'NOT_A_REQUESTER'
  | 'NOT_AN_APPROVER'
  | 'OWN_REQUEST'
  | 'ALREADY_APPROVED_BY_YOU';

export type Decision = { allowed: true } | { allowed: false; code: DenialCode };

/**
 * In a list, `*` means "anyone" (any Entra user, any conversation, any tenant). Only the local demo policy uses it by
 * default; an operator who writes it in Azure mode opts out of that check explicitly.
 */
export const ANYONE = '*';

/**
 * Ids are GUIDs or Teams conversation ids: compared case-insensitively so a pasted upper-case GUID still matches.
 * A missing id passes only `*`: "any tenant" includes an activity that names none (a local client such as the
 * Agents Playground or curl); any real list refuses it. People are never matched here without an Entra id (hasRole).
 */
export function listed(list: readonly string[], id: string | undefined): boolean {
  if (!id) return list.includes(ANYONE);
  const wanted = id.toLowerCase();
  return list.some((entry) => entry === ANYONE || entry.toLowerCase() === wanted);
}

/** Is `who` listed in `role`, by object id or by one of their (already resolved) groups? */
export function hasRole(role: PolicyConfig['requesters'], who: Principal): boolean {
  // No Entra object id (e.g. an emulator channel without one) never passes, even against `*`.
  if (!who.aadObjectId) return false;
  if (listed(role.users, who.aadObjectId)) return true;
  return who.groups.some((group) => listed(role.groups, group));
}

const ALLOW: Decision = Object.freeze({ allowed: true });
const deny = (code: DenialCode): Decision => ({ allowed: false, code });

/** The tenant allow-list alone: checked first on every card tap, before anything is read or written. */
export function tenantAllowed(config: PolicyConfig, tenantId: string | undefined): boolean {
  return listed(config.tenants, tenantId);
}

/** Tenant then conversation: where a change may be asked for or approved. */
function placeDecision(config: PolicyConfig, where: Place): Decision | undefined {
  if (!listed(config.tenants, where.tenantId)) return deny('TENANT_NOT_ALLOWED');
  if (!listed(config.conversations, where.conversationId)) return deny('CONVERSATION_NOT_ALLOWED');
  return undefined;
}

/** May `who` ask for a change (a mutating command) here? Default deny: empty lists allow no one. */
export function mayRequest(config: PolicyConfig, who: Principal, where: Place): Decision {
  return placeDecision(config, where) ?? (hasRole(config.requesters, who) ? ALLOW : deny('NOT_A_REQUESTER'));
}

/**
 * May an agent (an app's service principal calling the MCP endpoint with its own token) ask for a change here? Only
 * when named by its object id among the requesters: `*` means any person, never any app, and groups are not read
 * for service principals. Default deny: a new agent proposes nothing until an operator lists it.
 */
export function mayAgentRequest(config: PolicyConfig, agent: Principal, where: Place): Decision {
  const id = agent.aadObjectId?.toLowerCase();
  const named = id !== undefined && config.requesters.users.some((user) => user !== ANYONE && user.toLowerCase() === id);
  return placeDecision(config, where) ?? (named ? ALLOW : deny('NOT_A_REQUESTER'));
}

/**
 * May `who` change the bot's own settings for this conversation (`alerts on|off|scan`)? A requester, from an allowed
 * tenant, in any conversation: alerts may go to a wider channel than changes are asked in (the buttons there are
 * still gated as changes when tapped).
 */
export function mayConfigure(config: PolicyConfig, who: Principal, where: Place): Decision {
  if (!listed(config.tenants, where.tenantId)) return deny('TENANT_NOT_ALLOWED');
  return hasRole(config.requesters, who) ? ALLOW : deny('NOT_A_REQUESTER');
}

/**
 * Read-only commands are not gated by role or conversation. The tenant allow-list still applies to them, but only
 * when one is configured: an empty list denies changes, not reads (reads show nothing a member of the project cannot see).
 */
export function mayRead(config: PolicyConfig, where: Place): Decision {
  if (config.tenants.length === 0 || listed(config.tenants, where.tenantId)) return ALLOW;
  return deny('TENANT_NOT_ALLOWED');
}

/** Same person? Compared by Entra object id only; display names are not identities. */
function samePerson(a: Principal, b: Principal): boolean {
  return !!a.aadObjectId && !!b.aadObjectId && a.aadObjectId.toLowerCase() === b.aadObjectId.toLowerCase();
}

/** tenant → conversation → role → not own request → not twice. */
export function mayApprove(
  config: PolicyConfig, requester: Principal, approver: Principal, where: Place, priorApproverIds: readonly string[],
): Decision {
  // An approval conversation is a place approvals happen, whether or not changes may be asked for there.
  const place = placeDecision({ ...config, conversations: [...config.conversations, ...(config.approvalConversations ?? [])] }, where);
  if (place) return place;
  if (!hasRole(config.approvers, approver)) return deny('NOT_AN_APPROVER');
  if (samePerson(requester, approver)) return deny('OWN_REQUEST');
  const me = approver.aadObjectId?.toLowerCase();
  if (priorApproverIds.some((id) => id.toLowerCase() === me)) return deny('ALREADY_APPROVED_BY_YOU');
  return ALLOW;
}

/** Structural, so this pure module needs no import of the plan model beyond what it reads. */
export interface PlanShape {
  items: ReadonlyArray<{ deep?: boolean; warnings: ReadonlyArray<{ code: string }> }>;
  warnings: ReadonlyArray<{ code: string }>;
}

const TWO_APPROVER_WARNINGS: ReadonlySet<string> = new Set(['DEEP_DELETE', 'DELETE_EVERYWHERE']);

/** Destructive bulk plans need two distinct approvers: over N connections, any `deep`, any delete everywhere. */
export function approvalsNeeded(config: Pick<PolicyConfig, 'twoApproversOver'>, plan: PlanShape): 1 | 2 {
  return plan.items.length > config.twoApproversOver || isDeepPlan(plan) ? 2 : 1;
}

/** A plan that reaches further than its connections: any `deep` item, or a delete everywhere (two approvers at any size). */
export function isDeepPlan(plan: PlanShape): boolean {
  const warned = (ws: ReadonlyArray<{ code: string }>) => ws.some((w) => TWO_APPROVER_WARNINGS.has(w.code));
  return warned(plan.warnings) || plan.items.some((item) => item.deep === true || warned(item.warnings));
}

const DENIAL_TEXT: Readonly<Record<DenialCode, string>> = Object.freeze({
  TENANT_NOT_ALLOWED: 'Your organization (tenant) is not allowed to use this bot.',
  CONVERSATION_NOT_ALLOWED: 'Changes cannot be requested or approved in this conversation.',
  NOT_A_REQUESTER: 'You are not allowed to request changes.',
  NOT_AN_APPROVER: 'You are not allowed to approve changes.',
  OWN_REQUEST: 'You cannot approve your own request.',
  ALREADY_APPROVED_BY_YOU: 'You have already approved this plan; a second approver is needed.',
});

/** One short sentence per denial: what happened, in the user's terms. */
export function denialText(code: DenialCode): string {
  return DENIAL_TEXT[code];
}

/** Next step for a denial, for the gate's reply. */
export function denialHint(code: DenialCode): string {
  switch (code) {
    case 'TENANT_NOT_ALLOWED':
      return 'Ask the bot\'s administrator to add your tenant to SCBOT_ALLOWED_TENANTS.';
    case 'CONVERSATION_NOT_ALLOWED':
      return 'Ask in a channel or chat set up for changes (SCBOT_CHANGE_CONVERSATIONS).';
    case 'NOT_A_REQUESTER':
      return 'Ask a requester to run it, or ask the bot\'s administrator for access.';
    case 'NOT_AN_APPROVER':
      return 'Ask one of the configured approvers to approve it.';
    case 'OWN_REQUEST':
      return 'Ask another approver to approve it.';
    case 'ALREADY_APPROVED_BY_YOU':
      return 'Ask a different approver for the second approval.';
  }
}

/** Nobody may do anything: what an empty configuration means. */
export const DENY_ALL_POLICY: Readonly<PolicyConfig> = Object.freeze({
  requesters: { users: [], groups: [] },
  approvers: { users: [], groups: [] },
  conversations: [],
  approvalConversations: [],
  tenants: [],
  planTtlMinutes: 30,
  twoApproversOver: 10,
});
