/**
 * The gate every card tap passes (approve, reject, cancel, retry, refresh), before anything about the plan is
 * shown or changed. Pure; src/approvals/approval-service.ts applies it and audits each refusal.
 *   1. where: an allowed tenant, and a conversation where changes or approvals happen;
 *   2. who: an Entra object id (four-eyes and cancel compare object ids; a Teams `29:` id is not an identity);
 *   3. which plan: the one proposed in this conversation, unless this is a configured approval conversation.
 */
import { listed, type Place, type PolicyConfig, type Principal } from './policy';

export type TapDenial = 'TENANT_NOT_ALLOWED' | 'CONVERSATION_NOT_ALLOWED' | 'NO_ENTRA_ID' | 'OTHER_CONVERSATION' | 'NOT_THE_REQUESTER';

/** Steps 1 and 2: undefined when the tap may go on to read its plan. */
export function mayTap(config: PolicyConfig, who: Pick<Principal, 'aadObjectId'>, where: Place): TapDenial | undefined {
  if (!listed(config.tenants, where.tenantId)) return 'TENANT_NOT_ALLOWED';
  const approvals = config.approvalConversations ?? [];
  if (!listed(config.conversations, where.conversationId) && !listed(approvals, where.conversationId)) return 'CONVERSATION_NOT_ALLOWED';
  if (!who.aadObjectId) return 'NO_ENTRA_ID';
  return undefined;
}

/** Step 3: the plan's own conversation (compared as the allow-lists compare), or a named approval conversation. */
export function mayTapPlanHere(config: PolicyConfig, planConversationId: string, where: Place): boolean {
  if (planConversationId.toLowerCase() === where.conversationId.toLowerCase()) return true;
  return listed(config.approvalConversations ?? [], where.conversationId);
}

const TEXT: Readonly<Record<TapDenial, { title: string; hint: string }>> = Object.freeze({
  TENANT_NOT_ALLOWED: { title: 'Your organization (tenant) is not allowed to use this bot.', hint: 'Ask the bot\'s administrator to add your tenant to SCBOT_ALLOWED_TENANTS.' },
  CONVERSATION_NOT_ALLOWED: { title: 'Plans cannot be approved or changed in this conversation.', hint: 'Use the conversation where the plan was proposed.' },
  NO_ENTRA_ID: { title: 'I could not tell who you are (no Microsoft Entra account on this tap).', hint: 'Use Microsoft Teams signed in with your work account.' },
  OTHER_CONVERSATION: { title: 'This plan belongs to another conversation.', hint: 'Approve it where it was proposed, or ask there for it again.' },
  NOT_THE_REQUESTER: { title: 'Only the requester can cancel this plan.', hint: 'Reject it instead if you are an approver.' },
});

export function tapDenialText(code: TapDenial): { title: string; hint: string } {
  return TEXT[code];
}
