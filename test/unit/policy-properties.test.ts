/**
 * Properties of the policy for generated rules, freezes, people and Azure DevOps answers: default deny, adding a
 * rule never takes away what the others give, adding a freeze never gives, the requester never counts as an
 * approver, and a stack of rules needs the approvals of each.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANYONE, type Principal } from '../../src/domain/policy';
import { decideRequest, type RequestAsk } from '../../src/domain/policy-decide';
import { approvalProgress, approvalRequirements, decideApproval, type ApprovalAsk } from '../../src/domain/policy-approvals';
import { roleKey, type RoleAnswers } from '../../src/domain/policy-role-questions';
import { canSee, NOBODY, type Policy, type PolicyFreeze, type PolicyRule, type Target } from '../../src/domain/policy-rules';
import type { RoleHolding } from '../../src/domain/devops-roles';

const PEOPLE = ['a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000003'];
const GROUPS = ['b0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000002'];
const CONVS = ['19:a@thread.tacv2', '19:b@thread.tacv2'];
const TARGETS: Target[] = [
  { project: { id: 'p-pay', name: 'Payments' }, connection: { name: 'sc-prod', id: 'e1' } },
  { project: { id: 'p-pay', name: 'Payments' }, connection: { name: 'sc-dev', id: 'e2' } },
  { project: { id: 'p-ret', name: 'Retail' }, connection: { name: 'retail-prod', id: 'e3' } },
  { project: { id: 'p-ret', name: 'Retail' }, connection: { name: 'retail-new' } },
];
const NOW = new Date('2026-06-01T12:00:00Z');

const maybeAll = (pool: string[]) => fc.oneof(fc.constant([ANYONE]), fc.subarray(pool, { minLength: 1 }));
const people = fc.record({ users: fc.subarray([...PEOPLE, ANYONE]), groups: fc.subarray(GROUPS) });
const rule = (name: string): fc.Arbitrary<PolicyRule> => fc.record({
  projects: maybeAll(['Payments', 'Retail', 'p-ret']), connections: maybeAll(['sc-*', '*-prod', 'sc-prod', 'retail-?ew']),
  operations: maybeAll(['read', 'rotate', 'create', 'revert']), conversations: maybeAll(CONVS), approvalConversations: fc.subarray(CONVS),
  requesters: fc.oneof(fc.constant(NOBODY), people), approvers: people, approvals: fc.integer({ min: 1, max: 3 }),
  escalate: fc.option(fc.record({ overConnections: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), deep: fc.boolean(), approvals: fc.integer({ min: 1, max: 3 }) }), { nil: undefined }),
  devOpsRole: fc.constantFrom('none', 'Reader', 'User', 'Administrator'),
}).map((r) => ({ name, ...r, ...(r.escalate ? {} : { escalate: undefined }) }) as PolicyRule);
const rules = fc.integer({ min: 0, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rule(`r${i}`))));
const freeze = fc.record({
  from: fc.constantFrom(new Date('2026-05-01T00:00:00Z'), new Date('2026-07-01T00:00:00Z')), to: fc.constant(new Date('2026-08-01T00:00:00Z')),
  projects: maybeAll(['Payments', 'Retail']), connections: maybeAll(['sc-*', '*']), operations: maybeAll(['rotate', 'revert', 'read']), except: fc.subarray(['revert']),
}).map((f): PolicyFreeze => ({ name: 'f', ...f }));
const policyOf = (rs: PolicyRule[], freezes: PolicyFreeze[] = []): Policy => ({ version: 'v', origin: 'file', rules: rs, freezes });
const who: fc.Arbitrary<Principal> = fc.record({ aadObjectId: fc.constantFrom(...PEOPLE), groups: fc.subarray(GROUPS) });
const holding: fc.Arbitrary<RoleHolding> = fc.oneof(
  fc.constantFrom<RoleHolding>({ kind: 'none' }, { kind: 'no-identity' }, { kind: 'unreadable', code: 'DEVOPS.THROTTLED' }),
  fc.constantFrom('Reader', 'User', 'Creator', 'Administrator').map((role): RoleHolding => ({ kind: 'held', role: role as 'Reader', grants: [{ role: role as 'Reader', inherited: false }] })),
);
const answersFor = (id: string) => fc.array(holding, { minLength: TARGETS.length, maxLength: TARGETS.length })
  .map((hs): RoleAnswers => new Map(TARGETS.map((t, i) => [roleKey(id, t), hs[i]!])));
const requestAsk = fc.record({ requester: who, conversationId: fc.constantFrom(...CONVS), operation: fc.constantFrom('read', 'rotate', 'create', 'revert'), targets: fc.subarray(TARGETS, { minLength: 1 }) })
  .map((a): RequestAsk => ({ ...a, now: NOW }));
const allowed = (p: Policy, a: RequestAsk, answers: RoleAnswers) => decideRequest(p, a, answers).targets.filter((t) => t.allowed).map((t) => t.target);
const approvalAsk = fc.record({ requester: who, approver: who, conversationId: fc.constantFrom(...CONVS), targets: fc.subarray(TARGETS.slice(0, 3), { minLength: 1 }), deep: fc.boolean(), prior: fc.subarray(PEOPLE) })
  .map(({ targets, deep, prior, ...a }): ApprovalAsk => ({ ...a, plan: { operation: 'rotate', targets, deep }, now: NOW, prior: prior.map((p) => ({ approver: p, rules: ['r0', 'r1', 'r2', 'r3', 'extra'] })) }));

describe('policy properties', () => {
  it('default deny: no rules, nothing is seen or allowed; nobody without an Entra object id may change anything', () => {
    fc.assert(fc.property(requestAsk, rules, (a, rs) => {
      expect(allowed(policyOf([]), a, new Map())).toEqual([]);
      const anonymous = { ...a, requester: { groups: a.requester.groups }, operation: 'rotate' };
      expect(allowed(policyOf(rs), anonymous, new Map())).toEqual([]);
    }));
  });

  it('adding a rule never takes away a permission, a read or an approval the other rules give', () => {
    fc.assert(fc.property(rules, rule('extra'), requestAsk, answersFor(PEOPLE[0]!), (rs, extra, a, answers) => {
      const ask = { ...a, requester: { ...a.requester, aadObjectId: PEOPLE[0]! } };
      const before = allowed(policyOf(rs), ask, answers);
      expect(allowed(policyOf([...rs, extra]), ask, answers)).toEqual(expect.arrayContaining(before));
      for (const t of TARGETS) if (canSee(policyOf(rs), a.conversationId, t)) expect(canSee(policyOf([...rs, extra]), a.conversationId, t)).toBe(true);
    }));
    fc.assert(fc.property(rules, rule('extra'), approvalAsk, answersFor(PEOPLE[1]!), (rs, extra, ap, answers) => {
      const ask = { ...ap, approver: { ...ap.approver, aadObjectId: PEOPLE[1]! } };
      const before = decideApproval(policyOf(rs), ask, answers);
      if (!before.accepted) return;
      const after = decideApproval(policyOf([...rs, extra]), ask, answers);
      expect(after.accepted && after.countsFor).toEqual(expect.arrayContaining([...before.countsFor]));
    }));
  });

  it('adding a freeze never gives a permission or an approval', () => {
    fc.assert(fc.property(rules, freeze, requestAsk, answersFor(PEOPLE[0]!), approvalAsk, (rs, f, a, answers, ap) => {
      const ask = { ...a, requester: { ...a.requester, aadObjectId: PEOPLE[0]! } };
      expect(allowed(policyOf(rs), ask, answers)).toEqual(expect.arrayContaining(allowed(policyOf(rs, [f]), ask, answers)));
      const tap = { ...ap, approver: { ...ap.approver, aadObjectId: PEOPLE[0]! } };
      if (decideApproval(policyOf(rs, [f]), tap, answers).accepted) expect(decideApproval(policyOf(rs), tap, answers).accepted).toBe(true);
    }));
  });

  it('the requester never counts as an approver, whatever the rules list', () => {
    fc.assert(fc.property(rules, approvalAsk, answersFor(PEOPLE[2]!), (rs, ap, answers) => {
      const self = { aadObjectId: PEOPLE[2]!, groups: GROUPS };
      expect(decideApproval(policyOf(rs), { ...ap, requester: self, approver: { ...self, aadObjectId: self.aadObjectId.toUpperCase() } }, answers).accepted).toBe(false);
      const requirements = approvalRequirements(policyOf(rs), ap.plan);
      const counted = approvalProgress(requirements, self, [{ approver: self.aadObjectId, rules: requirements.map((r) => r.rule) }]);
      expect(counted.every((p) => p.have === 0)).toBe(true);
    }));
  });

  it('a rule stack needs both approvals: one approver of each rule, neither alone', () => {
    fc.assert(fc.property(fc.constantFrom(...TARGETS.slice(0, 3)), fc.constantFrom(...CONVS), (t, conv) => {
      const base = { projects: [ANYONE], connections: [ANYONE], operations: [ANYONE], conversations: [ANYONE], approvalConversations: [], approvals: 1, devOpsRole: 'none' as const };
      const policy = policyOf([
        { ...base, name: 'team', requesters: { users: [PEOPLE[0]!], groups: [] }, approvers: { users: [PEOPLE[1]!], groups: [] } },
        { ...base, name: 'leads', requesters: NOBODY, approvers: { users: [PEOPLE[2]!], groups: [] } },
      ]);
      const tap = (approver: string, prior: ApprovalAsk['prior']) => decideApproval(policy, { plan: { operation: 'rotate', targets: [t], deep: false }, requester: { aadObjectId: PEOPLE[0]!, groups: [] }, approver: { aadObjectId: approver, groups: [] }, conversationId: conv, now: NOW, prior }, new Map());
      const first = tap(PEOPLE[1]!, []);
      expect(first).toMatchObject({ accepted: true, complete: false });
      expect(tap(PEOPLE[2]!, [])).toMatchObject({ accepted: true, complete: false });
      expect(tap(PEOPLE[2]!, [{ approver: PEOPLE[1]!, rules: first.accepted ? first.countsFor : [] }])).toMatchObject({ accepted: true, complete: true });
    }));
  });
});
