/**
 * Finding 8 (issue 10): a plan is approved in the conversation it was proposed in (its card). An approver in
 * another allowed conversation who learned the plan id (the audit trail shows ids) is refused, audited, nothing
 * runs and no progress goes there — unless SCBOT_APPROVAL_CONVERSATIONS names that conversation.
 */
import { describe, expect, it } from 'vitest';
import { APPROVALS_COLLECTION } from '../../src/approvals/approval-records';
import type { ApprovalRecord } from '../../src/domain/approval';
import { fingerprintPlan } from '../../src/domain/audit';
import type { Plan } from '../../src/domain/plan';
import type { PolicyConfig } from '../../src/domain/policy';
import { B, CONVERSATION, POLICY, cardText, tap, world } from './approval-fixture';
import { rotatePlan } from './plan-card-fixture';

const OTHER = { ...CONVERSATION, id: '19:other-team-channel' };
const BOTH: PolicyConfig = { ...POLICY, conversations: [CONVERSATION.id, OTHER.id], tenants: [CONVERSATION.tenantId] };
const inOther = (plan: Plan, verb = 'approve') => ({
  ...tap(verb, B, plan, fingerprintPlan(plan)), conversation: OTHER,
  card: { activityId: 'act-in-other', conversation: { conversation: { id: OTHER.id } } },
});

async function proposedIn(policy: PolicyConfig) {
  const w = world(undefined, undefined, policy);
  const plan: Plan = { ...rotatePlan('sc-prod'), id: 'P-BOUND001' };
  await w.propose(plan);
  const state = async () => (await w.store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id))?.value.state;
  return { w, plan, state };
}

describe('plans are bound to their conversation', () => {
  it.each(['approve', 'reject', 'refresh'])('%s from another allowed conversation: refused, audited, nothing runs, nothing posted there', async (verb) => {
    const { w, plan, state } = await proposedIn(BOTH);
    const answer = await w.service.tap(inOther(plan, verb));
    expect(cardText(answer)).toContain('belongs to another conversation');
    expect(cardText(answer)).not.toContain('sc-prod');
    await w.service.idle();
    expect(w.runner.calls).toEqual([]);
    expect(await state()).toBe('proposed');
    expect(w.cards.updates.filter((u) => u.location.activityId === 'act-in-other')).toEqual([]);
    expect(await w.kinds()).toEqual([{ kind: 'refused', actor: B.id, reason: 'OTHER_CONVERSATION' }]);
  });

  it('the same approver in the plan\'s own conversation approves, and progress goes to its card there', async () => {
    const { w, plan, state } = await proposedIn(BOTH);
    await w.service.tap(tap('approve', B, plan, fingerprintPlan(plan)));
    await w.service.idle();
    expect(w.runner.calls).toEqual([plan.id]);
    expect(await state()).toBe('done');
    expect(w.cards.updates.every((u) => u.location.activityId === 'act-card-1')).toBe(true);
  });

  it('a conversation named in SCBOT_APPROVAL_CONVERSATIONS may approve plans proposed elsewhere', async () => {
    const { w, plan, state } = await proposedIn({ ...BOTH, conversations: [CONVERSATION.id], approvalConversations: [OTHER.id] });
    await w.service.tap(inOther(plan));
    await w.service.idle();
    expect(w.runner.calls).toEqual([plan.id]);
    expect(await state()).toBe('done');
  });
});
