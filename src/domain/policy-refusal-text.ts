/**
 * The words for the policy file's refusals: what was refused, by which rule or freeze, and where to go next. One
 * table for the request gate, the plan screen, approvals and `policy <command>`. Names in these sentences are
 * operators' (rules, freezes, roles) or the connection the asker already named; never a connection they cannot see.
 */
import type { RequestRefusal } from './policy-decide';
import type { ApprovalRefusal } from './policy-approvals';

const list = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');
const WHERE_ROLES = 'A project administrator grants it in Project settings → Service connections → the connection → Security.';

/** Why a request for `operation` on `connection` is refused (HIDDEN never reaches here: it answers as "not found"). */
export function requestRefusalText(refusal: RequestRefusal, operation: string, connection: string): string {
  switch (refusal.code) {
    case 'HIDDEN':
    case 'NO_RULE':
      return `No policy rule lets anyone ${operation} "${connection}".`;
    case 'FROZEN':
      return `"${connection}" is frozen for ${operation} (freeze ${list(refusal.freezes)}).`;
    case 'CONVERSATION_NOT_ALLOWED':
      return `${operation} on "${connection}" cannot be asked in this conversation (rules ${list(refusal.rules)} name other conversations).`;
    case 'NOT_A_REQUESTER':
      return `You are not a requester of the rules that cover ${operation} on "${connection}" here (${list(refusal.rules)}).`;
    case 'DEVOPS_ROLE_MISSING':
      return `You do not hold the ${refusal.role} role on ${refusal.scope === 'project' ? 'the project of' : 'connection'} "${connection}" in Azure DevOps, which rule ${list(refusal.rules)} requires. ${WHERE_ROLES}`;
    case 'DEVOPS_IDENTITY_UNKNOWN':
      return `I cannot find you in Azure DevOps, so I cannot check the role rule ${list(refusal.rules)} requires on "${connection}". Ask to be added to the organization.`;
    case 'DEVOPS_ROLE_UNREADABLE':
      return `I could not read your Azure DevOps roles on "${connection}" (${refusal.error}), so rule ${list(refusal.rules)} cannot allow it. Try again in a minute.`;
  }
}

/** Why an approval tap does not count. */
export function approvalRefusalText(refusal: ApprovalRefusal): string {
  switch (refusal.code) {
    case 'FROZEN':
      return `Changes are frozen (freeze ${list(refusal.freezes)}): this plan cannot be approved now.`;
    case 'CONVERSATION_NOT_ALLOWED':
      return 'This plan cannot be approved in this conversation under the policy.';
    case 'NOT_AN_APPROVER':
      return `You are not an approver of the rules this plan needs (${list(refusal.rules)}).`;
    case 'OWN_REQUEST':
      return 'You cannot approve your own request.';
    case 'ALREADY_APPROVED_BY_YOU':
      return 'You have already approved this plan; another approver is needed.';
    case 'NOT_NEEDED':
      return `The rules you approve for already have their approvals; still waiting: ${list(refusal.waiting)}.`;
    case 'DEVOPS_ROLE_MISSING':
      return `You do not hold the ${refusal.role} role on "${refusal.target.connection.name}" in Azure DevOps, which rule ${list(refusal.rules)} requires of approvers. ${WHERE_ROLES}`;
    case 'DEVOPS_IDENTITY_UNKNOWN':
      return `I cannot find you in Azure DevOps, so I cannot check the role rule ${list(refusal.rules)} requires of approvers.`;
    case 'DEVOPS_ROLE_UNREADABLE':
      return `I could not read your Azure DevOps roles (${refusal.error}), so your approval cannot count for rule ${list(refusal.rules)}. Try again in a minute.`;
  }
}

/** Stable codes for audit and logs: the policy's refusals are prefixed so they never collide with the settings'. */
export const policyRefusalCode = (refusal: RequestRefusal | ApprovalRefusal): string => `POLICY.${refusal.code}`;

/** The rules (or freezes) a refusal names: what audit records as having decided it. */
export function decidingRules(refusal: RequestRefusal | ApprovalRefusal): readonly string[] {
  if ('rules' in refusal) return refusal.rules;
  if ('freezes' in refusal) return refusal.freezes;
  if ('waiting' in refusal) return refusal.waiting;
  return [];
}
