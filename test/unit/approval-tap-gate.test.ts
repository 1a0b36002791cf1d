/**
 * Finding 7 (issue 10): every tap — approve, reject, cancel, retry, refresh — passes the same tenant and
 * conversation gate before anything about the plan is shown or changed, and identity for four-eyes and cancel is
 * the Entra object id only: a tap without one is refused and audited, whatever its Teams id says.
 */
import { describe, expect, it } from 'vitest';
import { APPROVALS_COLLECTION } from '../../src/approvals/approval-records';
import type { ApprovalRecord } from '../../src/domain/approval';
import { fingerprintPlan } from '../../src/domain/audit';
import type { Plan } from '../../src/domain/plan';
import type { PolicyConfig } from '../../src/domain/policy';
import { A, B, CONVERSATION, POLICY, cardText, tap, world } from './approval-fixture';
import { convertAllPlan, rotatePlan } from './plan-card-fixture';

const GATED: PolicyConfig = { ...POLICY, conversations: [CONVERSATION.id], tenants: [CONVERSATION.tenantId] };
const VERBS = ['approve', 'reject', 'cancel', 'retry', 'refresh'] as const;
const STRANGE_TENANT = { ...CONVERSATION, tenantId: 'eeeeeeee-0000-4000-8000-00000000000e' };
const STRANGE_PLACE = { ...CONVERSATION, id: '19:somewhere-else' };

/** A proposed plan and a partially failed one (retry needs it), both proposed by A in CONVERSATION. */
async function plans() {
  const w = world(undefined, undefined, GATED);
  const proposed: Plan = { ...rotatePlan('sc-prod'), id: 'P-GATE0001' };
  const failed: Plan = { ...convertAllPlan(), id: 'P-GATE0002' };
  await w.propose(proposed);
  await w.propose(failed);
  w.runner.failIds = new Set([failed.items[0]!.endpointId]);
  await w.service.tap(tap('approve', B, failed, fingerprintPlan(failed)));
  await w.service.idle();
  w.runner.failIds = new Set();
  const state = async (plan: Plan) => (await w.store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id))?.value.state;
  const subject = (verb: string) => (verb === 'retry' ? failed : proposed);
  const before = { proposed: await state(proposed), failed: await state(failed), calls: w.runner.calls.length };
  const unchanged = async () => {
    expect(await state(proposed)).toBe(before.proposed);
    expect(await state(failed)).toBe(before.failed);
    await w.service.idle();
    expect(w.runner.calls.length).toBe(before.calls);
    expect((await w.plans.get(failed.id)) && (await w.store.get<ApprovalRecord>(APPROVALS_COLLECTION, failed.id))?.value.retriedAs).toBeUndefined();
  };
  const refusals = async () => (await w.audit.query()).filter((e) => e.kind === 'refused').map((e) => ({ reason: e.reason, actor: e.actor.id }));
  return { w, subject, unchanged, refusals };
}

describe('every tap passes the tenant and conversation gate', () => {
  it.each(VERBS)('%s from a tenant not on the allow-list: refused, nothing of the plan shown, nothing changed', async (verb) => {
    const { w, subject, unchanged } = await plans();
    const plan = subject(verb);
    const answer = await w.service.tap({ ...tap(verb, verb === 'cancel' ? A : B, plan, fingerprintPlan(plan)), conversation: STRANGE_TENANT });
    expect(cardText(answer)).not.toContain(plan.items[0]!.name);
    expect(cardText(answer)).toContain('tenant');
    await unchanged();
  });

  it.each(VERBS)('%s from a conversation not on the allow-list: refused, audited, nothing of the plan shown', async (verb) => {
    const { w, subject, unchanged, refusals } = await plans();
    const plan = subject(verb);
    const who = verb === 'cancel' || verb === 'retry' ? A : B;
    const answer = await w.service.tap({ ...tap(verb, who, plan, fingerprintPlan(plan)), conversation: STRANGE_PLACE });
    expect(cardText(answer)).not.toContain(plan.items[0]!.name);
    await unchanged();
    expect(await refusals()).toContainEqual({ reason: 'CONVERSATION_NOT_ALLOWED', actor: who.id });
  });

  it.each(VERBS)('%s without an Entra object id (the requester\'s Teams id only): refused, audited', async (verb) => {
    const { w, subject, unchanged, refusals } = await plans();
    const plan = subject(verb);
    const noEntra = { id: A.id, name: A.name };
    const answer = await w.service.tap(tap(verb, noEntra as typeof A, plan, fingerprintPlan(plan)));
    expect(cardText(answer)).not.toContain(plan.items[0]!.name);
    await unchanged();
    expect(await refusals()).toContainEqual({ reason: 'NO_ENTRA_ID', actor: A.id });
  });
});

describe('cancel is the requester\'s, by Entra object id', () => {
  it('the requester cancels a proposed plan; an approver who taps cancel is refused', async () => {
    const { w } = await plans();
    const plan: Plan = { ...rotatePlan('sc-prod'), id: 'P-GATE0003' };
    await w.propose(plan);
    const version = fingerprintPlan(plan);
    expect(cardText(await w.service.tap(tap('cancel', B, plan, version)))).toContain('Only the requester');
    expect((await w.store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id))?.value.state).toBe('proposed');
    await w.service.tap(tap('cancel', A, plan, version));
    expect((await w.store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id))?.value.state).toBe('rejected');
    const events = (await w.audit.query({ planId: plan.id })).map((e) => e.reason);
    expect(events).toEqual(expect.arrayContaining(['NOT_THE_REQUESTER', 'CANCELLED_BY_REQUESTER']));
  });

  it('a Teams id equal to the requester\'s, with another Entra id, is not the requester', async () => {
    const { w } = await plans();
    const plan: Plan = { ...rotatePlan('sc-prod'), id: 'P-GATE0004' };
    await w.propose(plan);
    const impostor = { ...B, id: A.id };
    await w.service.tap(tap('cancel', impostor, plan, fingerprintPlan(plan)));
    expect((await w.store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id))?.value.state).toBe('proposed');
  });
});
