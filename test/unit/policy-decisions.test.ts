/**
 * The policy's decisions on the example of a platform team with two project teams (policy-fixture.ts): who may ask
 * for what where, bulk plans, rule stacks, freezes, and Azure DevOps roles at proposal and at approval.
 */
import { describe, expect, it } from 'vitest';
import { decideRequest, partition, roleQuestionsForRequest } from '../../src/domain/policy-decide';
import { decideApproval, roleQuestionsForApproval, type PlanFacts } from '../../src/domain/policy-approvals';
import { NO_ROLE_ANSWERS, roleKey } from '../../src/domain/policy-role-questions';
import type { RoleHolding } from '../../src/domain/devops-roles';
import { policyHere } from '../../src/domain/policy-explain';
import { canSee } from '../../src/domain/policy-rules';
import { CONV, conn, examplePolicy, G, NOV, PAYMENTS, person, RETAIL, YEAR_END } from './policy-fixture';

const policy = examplePolicy();
const pam = person('aaaaaaaa-1111-4000-8000-000000000001', G.payments);
const lee = person('aaaaaaaa-1111-4000-8000-000000000002', G.paymentsLeads);
const pia = person('aaaaaaaa-1111-4000-8000-000000000003', G.platformLeads);
const ron = person('bbbbbbbb-1111-4000-8000-000000000001', G.retail, G.retailLeads);
const paymentsProd = conn(PAYMENTS, 'sc-prod');
const paymentsDev = conn(PAYMENTS, 'sc-dev');
const retailProd = conn(RETAIL, 'retail-prod');
const admin: RoleHolding = { kind: 'held', role: 'Administrator', grants: [{ role: 'Administrator', group: '[Payments]\\Endpoint Administrators', inherited: true }] };
const answers = (who: string, holding: RoleHolding, ...targets: ReturnType<typeof conn>[]) => new Map(targets.map((t) => [roleKey(who, t), holding]));
const ask = (requester: typeof pam, conversationId: string, operation: string, targets: ReturnType<typeof conn>[], now = NOV) => ({ requester, conversationId, operation, targets, now });

describe('asking', () => {
  it('a Payments requester cannot plan on Retail\'s connections, and cannot tell they exist', () => {
    const decision = decideRequest(policy, ask(pam, CONV.payments, 'rotate', [retailProd]), NO_ROLE_ANSWERS);
    expect(decision.targets[0]).toMatchObject({ allowed: false, refusal: { code: 'HIDDEN' } });
    const missing = decideRequest(policy, ask(pam, CONV.payments, 'rotate', [conn(RETAIL, 'no-such-connection')]), NO_ROLE_ANSWERS);
    expect(missing.targets[0]).toEqual({ ...decision.targets[0], target: conn(RETAIL, 'no-such-connection') });
    expect(canSee(policy, CONV.payments, retailProd)).toBe(false);
    expect(canSee(policy, CONV.platform, retailProd)).toBe(true);
  });

  it('in the team channel, with the Azure DevOps role (through a nested group, inherited), the requester may; the rule says which', () => {
    const questions = roleQuestionsForRequest(policy, ask(pam, CONV.payments, 'rotate', [paymentsProd]));
    expect(questions.map((q) => q.scope)).toEqual(['connection']);
    const decision = decideRequest(policy, ask(pam, CONV.payments, 'rotate', [paymentsProd]), answers(pam.aadObjectId!, admin, paymentsProd));
    expect(decision.targets[0]).toMatchObject({ allowed: true, grantedBy: ['payments-team'], roleGrants: admin.kind === 'held' ? admin.grants : [] });
  });

  it('without the role in Azure DevOps: refused, naming the role, its scope and the rule; a failed read refuses too', () => {
    const reader: RoleHolding = { kind: 'held', role: 'Reader', grants: [{ role: 'Reader', inherited: false }] };
    const refused = decideRequest(policy, ask(pam, CONV.payments, 'rotate', [paymentsProd]), answers(pam.aadObjectId!, reader, paymentsProd));
    expect(refused.targets[0]).toMatchObject({ allowed: false, refusal: { code: 'DEVOPS_ROLE_MISSING', role: 'Administrator', scope: 'connection', rules: ['payments-team'] } });
    const failed = decideRequest(policy, ask(pam, CONV.payments, 'rotate', [paymentsProd]), answers(pam.aadObjectId!, { kind: 'unreadable', code: 'DEVOPS.THROTTLED' }, paymentsProd));
    expect(failed.targets[0]).toMatchObject({ allowed: false, refusal: { code: 'DEVOPS_ROLE_UNREADABLE', error: 'DEVOPS.THROTTLED' } });
    const unasked = decideRequest(policy, ask(pam, CONV.payments, 'rotate', [paymentsProd]), NO_ROLE_ANSWERS);
    expect(unasked.targets[0]).toMatchObject({ allowed: false, refusal: { code: 'DEVOPS_ROLE_UNREADABLE' } });
  });

  it('the wrong channel, a person not listed, an operation no rule names: each refusal says which', () => {
    const r = (requester: typeof pam, c: string, op: string) => decideRequest(policy, ask(requester, c, op, [paymentsDev]), answers(requester.aadObjectId!, admin, paymentsDev)).targets[0];
    expect(r(pam, CONV.platform, 'rotate')).toMatchObject({ allowed: false, refusal: { code: 'CONVERSATION_NOT_ALLOWED', rules: ['payments-team'] } });
    expect(r(lee, CONV.payments, 'rotate')).toMatchObject({ allowed: false, refusal: { code: 'NOT_A_REQUESTER', rules: ['payments-team'] } });
    expect(r(pam, CONV.payments, 'delete')).toMatchObject({ allowed: false, refusal: { code: 'NO_RULE' } });
    expect(r(person('cccccccc-0000-4000-8000-000000000000'), CONV.payments, 'read')).toMatchObject({ allowed: true, grantedBy: ['payments-team'] });
  });

  it('`convert all` in the team channel takes only that team\'s connections; the rest are skipped with the rule, hidden ones not mentioned', () => {
    const targets = [paymentsProd, paymentsDev, retailProd];
    const decision = decideRequest(policy, ask(pam, CONV.payments, 'convert', targets), answers(pam.aadObjectId!, admin, paymentsProd));
    const { kept, skipped } = partition(decision);
    expect(kept).toEqual([paymentsProd]);
    expect(skipped).toEqual([{ target: paymentsDev, refusal: { code: 'DEVOPS_ROLE_UNREADABLE', rules: ['payments-team'], error: 'INTERNAL' } }]);
  });

  it('a freeze refuses at proposal and lets `revert` through; reads never freeze', () => {
    const during = (op: string) => decideRequest(policy, ask(ron, CONV.retail, op, [retailProd], YEAR_END), NO_ROLE_ANSWERS).targets[0];
    expect(during('rotate')).toMatchObject({ allowed: false, refusal: { code: 'FROZEN', freezes: ['year-end'] } });
    expect(during('revert')).toMatchObject({ allowed: true, grantedBy: ['retail-team'] });
    expect(during('read')).toMatchObject({ allowed: true });
  });
});

describe('approving', () => {
  const plan: PlanFacts = { operation: 'rotate', targets: [paymentsProd], deep: false };
  const tap = (approver: typeof pam, prior: Array<{ approver: string; rules: string[] }> = [], now = NOV) => ({ plan, requester: pam, approver, conversationId: CONV.payments, now, prior });
  const withRole = (who: typeof pam) => answers(who.aadObjectId!, admin, paymentsProd);

  it('a rule stack needs both approvals: the team lead\'s and the platform lead\'s', () => {
    const first = decideApproval(policy, tap(lee), withRole(lee));
    expect(first).toMatchObject({ accepted: true, countsFor: ['payments-team'], complete: false });
    const second = decideApproval(policy, tap(pia, [{ approver: lee.aadObjectId!, rules: ['payments-team'] }]), NO_ROLE_ANSWERS);
    expect(second).toMatchObject({ accepted: true, countsFor: ['prod-needs-a-lead'], complete: true });
    const again = decideApproval(policy, tap(person('dddddddd-0000-4000-8000-000000000000', G.paymentsLeads), [{ approver: lee.aadObjectId!, rules: ['payments-team'] }]), NO_ROLE_ANSWERS);
    expect(again).toMatchObject({ accepted: false, refusal: { code: 'NOT_NEEDED', waiting: ['prod-needs-a-lead'] } });
  });

  it('one person listed for both rules counts for both; the requester never counts, even when listed', () => {
    const both = person('eeeeeeee-0000-4000-8000-000000000000', G.paymentsLeads, G.platformLeads);
    expect(decideApproval(policy, tap(both), withRole(both))).toMatchObject({ accepted: true, countsFor: ['payments-team', 'prod-needs-a-lead'], complete: true });
    const selfLead = { ...pam, groups: [...pam.groups, G.paymentsLeads, G.platformLeads] };
    expect(decideApproval(policy, { ...tap(selfLead), requester: selfLead }, withRole(selfLead))).toMatchObject({ accepted: false, refusal: { code: 'OWN_REQUEST' } });
  });

  it('an approver without the Azure DevOps role is refused at approval for the rule that asks for it', () => {
    expect(roleQuestionsForApproval(policy, tap(lee)).map((q) => q.person)).toEqual([lee.aadObjectId]);
    const refused = decideApproval(policy, tap(lee), answers(lee.aadObjectId!, { kind: 'none' }, paymentsProd));
    expect(refused).toMatchObject({ accepted: false, refusal: { code: 'DEVOPS_ROLE_MISSING', role: 'Administrator', rules: ['payments-team'] } });
  });

  it('a freeze refuses at approval too', () => {
    expect(decideApproval(policy, tap(lee, [], YEAR_END), withRole(lee))).toMatchObject({ accepted: false, refusal: { code: 'FROZEN', freezes: ['year-end'] } });
  });
});

describe('explaining', () => {
  it('`policy` in the Payments channel shows its rules, the stacked one, and the freeze to come', () => {
    const here = policyHere(policy, CONV.payments, NOV);
    expect(here.rules.map((r) => [r.name, r.askHere])).toEqual([['payments-team', true], ['prod-needs-a-lead', true]]);
    expect(here.freezesNow).toEqual([]);
    expect(here.freezesNext.map((f) => f.name)).toEqual(['year-end']);
    expect(policyHere(policy, CONV.payments, YEAR_END).freezesNow.map((f) => f.name)).toEqual(['year-end']);
    expect(here.version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
