/**
 * "Without the file, today's settings behave exactly as today (they are one rule)": for generated settings, people,
 * places and plans, the rules derived from the settings answer as src/domain/policy.ts does: the same allow or
 * refuse, with the same code, for asking, approving, configuring alerts and reading, and the same number of approvals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANYONE, approvalsNeeded, isDeepPlan, mayApprove, mayConfigure, mayRead, mayRequest, tenantAllowed, type PolicyConfig, type Principal } from '../../src/domain/policy';
import { decideRequest, mayConfigureAlerts } from '../../src/domain/policy-decide';
import { approvalRequirements, decideApproval } from '../../src/domain/policy-approvals';
import { NO_ROLE_ANSWERS } from '../../src/domain/policy-role-questions';
import { canSee, type Target } from '../../src/domain/policy-rules';
import { SETTINGS_RULE } from '../../src/domain/policy-from-settings';
import { policyFromSettings } from '../../src/policy/policy-file';
import { OPERATIONS } from './policy-fixture';

const USERS = ['a1000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000002', 'A1000000-0000-4000-8000-000000000003'];
const GROUPS = ['b2000000-0000-4000-8000-000000000001', 'b2000000-0000-4000-8000-000000000002'];
const CONVS = ['19:one@thread.tacv2', '19:two@thread.tacv2', 'a:personal-chat'];
const TENANTS = ['c3000000-0000-4000-8000-000000000001', 'c3000000-0000-4000-8000-000000000002'];

const someOf = (pool: string[], star = true) => fc.subarray(star ? [...pool, ANYONE] : pool);
const role = fc.record({ users: someOf(USERS), groups: someOf(GROUPS, false) });
const settings: fc.Arbitrary<PolicyConfig> = fc.record({
  requesters: role, approvers: role, conversations: someOf(CONVS), approvalConversations: someOf(CONVS),
  tenants: someOf(TENANTS), planTtlMinutes: fc.constant(30), twoApproversOver: fc.integer({ min: 0, max: 6 }),
});
const principal: fc.Arbitrary<Principal> = fc.record({
  aadObjectId: fc.option(fc.constantFrom(...USERS, USERS[0]!.toUpperCase()), { nil: undefined }),
  groups: fc.subarray(GROUPS),
}).map(({ aadObjectId, groups }) => (aadObjectId ? { aadObjectId, groups } : { groups }));
const place = fc.record({ conversationId: fc.constantFrom(...CONVS), tenantId: fc.option(fc.constantFrom(...TENANTS), { nil: undefined }) })
  .map(({ conversationId, tenantId }) => (tenantId ? { conversationId, tenantId } : { conversationId }));
const target: fc.Arbitrary<Target> = fc.record({ project: fc.constantFrom({ id: 'p1', name: 'Payments' }, { name: 'Retail' }), connection: fc.record({ name: fc.string({ minLength: 1, maxLength: 12 }), id: fc.uuid() }) });
const warnings = fc.array(fc.record({ code: fc.constantFrom('DEEP_DELETE', 'DELETE_EVERYWHERE', 'STALE', 'SHARED') }), { maxLength: 2 });
const planShape = fc.record({ items: fc.array(fc.record({ deep: fc.option(fc.boolean(), { nil: undefined }), warnings }), { minLength: 1, maxLength: 9 }), warnings });
const op = fc.constantFrom(...OPERATIONS);

describe('today\'s settings as rules', () => {
  it('asking: the same allow, or the same refusal code', () => {
    fc.assert(fc.property(settings, principal, place, op, target, (config, who, where, operation, t) => {
      const today = mayRequest(config, who, where);
      const decision = decideRequest(policyFromSettings(config), { operation, conversationId: where.conversationId, requester: who, targets: [t], now: new Date() }, NO_ROLE_ANSWERS).targets[0]!;
      const rules = tenantAllowed(config, where.tenantId) ? (decision.allowed ? { allowed: true } : { allowed: false, code: decision.refusal.code }) : { allowed: false, code: 'TENANT_NOT_ALLOWED' };
      expect(rules).toEqual(today);
    }));
  });

  it('approving a plan still waiting: the same allow, or the same refusal code', () => {
    fc.assert(fc.property(settings, principal, principal, place, planShape, fc.subarray(USERS), (config, requester, approver, where, shape, priorIds) => {
      const policy = policyFromSettings(config);
      const plan = { operation: 'rotate', targets: shape.items.map((_, i) => ({ project: { name: 'Payments' }, connection: { name: `sc-${i}`, id: `id-${i}` } })), deep: isDeepPlan(shape) };
      const prior = priorIds.filter((id) => id.toLowerCase() !== requester.aadObjectId?.toLowerCase()).slice(0, approvalsNeeded(config, shape) - 1);
      const today = mayApprove(config, requester, approver, where, prior);
      const decision = decideApproval(policy, { plan, requester, approver, conversationId: where.conversationId, now: new Date(), prior: prior.map((a) => ({ approver: a, rules: [SETTINGS_RULE] })) }, NO_ROLE_ANSWERS);
      const rules = tenantAllowed(config, where.tenantId) ? (decision.accepted ? { allowed: true } : { allowed: false, code: decision.refusal.code }) : { allowed: false, code: 'TENANT_NOT_ALLOWED' };
      expect(rules).toEqual(today);
    }));
  });

  it('the same number of approvals: more connections than SCBOT_TWO_APPROVERS_OVER, a deep plan or a delete everywhere need two', () => {
    fc.assert(fc.property(settings, planShape, (config, shape) => {
      const plan = { operation: 'delete', targets: shape.items.map((_, i) => ({ project: { name: 'P' }, connection: { name: `c${i}`, id: `${i}` } })), deep: isDeepPlan(shape) };
      expect(approvalRequirements(policyFromSettings(config), plan).map((r) => r.needed)).toEqual([approvalsNeeded(config, shape)]);
    }));
  });

  it('alerts settings: any requester, in any conversation of an allowed tenant', () => {
    fc.assert(fc.property(settings, principal, place, (config, who, where) => {
      expect(tenantAllowed(config, where.tenantId) && mayConfigureAlerts(policyFromSettings(config), who)).toBe(mayConfigure(config, who, where).allowed);
    }));
  });

  it('reading: every conversation sees every connection, as today (the tenant gate aside)', () => {
    fc.assert(fc.property(settings, place, target, (config, where, t) => {
      expect(canSee(policyFromSettings(config), where.conversationId, t)).toBe(true);
      expect(mayRead({ ...config, tenants: [] }, where).allowed).toBe(true);
    }));
  });
});
