/**
 * The policy's checks with their I/O: Entra groups read only when the policy names groups, Azure DevOps roles read
 * once per person and connection and only where a rule asks for one, a failed group lookup rejects (fail closed),
 * a failed role read refuses, and sign-in names reach the role check.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors';
import { InMemoryMembershipSource } from '../support/in-memory-membership-source';
import type { MembershipSource } from '../../src/policy/membership-source.port';
import { checkApproval, checkRequest } from '../../src/policy/policy-checks';
import { policyFromSettings } from '../../src/policy/policy-file';
import { LOCAL_DEMO_POLICY } from '../../src/policy/policy-settings';
import type { DevOpsPerson, DevOpsRoles, RoleTarget } from '../../src/devops/devops-roles.port';
import { InMemoryDevOpsRoles } from '../support/in-memory-devops-roles';
import { CONV, conn, examplePolicy, G, NOV, PAYMENTS } from './policy-fixture';

const policy = examplePolicy();
const PAM = 'aaaaaaaa-1111-4000-8000-000000000001';
const LEE = 'aaaaaaaa-1111-4000-8000-000000000002';
const prod = conn(PAYMENTS, 'sc-prod', 'e-prod');
const dev = conn(PAYMENTS, 'sc-dev', 'e-dev');
const membership = new InMemoryMembershipSource({ [PAM]: [G.payments], [LEE]: [G.paymentsLeads] });
const admin = [{ role: 'Administrator' as const, group: '[Payments]\\Endpoint Administrators', inherited: true }];
const ask = (targets = [prod, dev]) => ({ operation: 'convert', conversationId: CONV.payments, requester: { aadObjectId: PAM, groups: [] }, targets, now: NOV });

describe('policy checks', () => {
  it('reads the requester\'s groups, then one role per connection, and keeps what the role allows', async () => {
    const roles = new InMemoryDevOpsRoles({ [PAM]: { [`${PAYMENTS.id}_e-prod`]: admin } });
    const decision = await checkRequest(policy, ask([prod, dev, prod]), { roles, membership });
    expect(decision.targets.map((t) => t.allowed)).toEqual([true, false, true]);
    expect(roles.asked.map((a) => a.resource)).toEqual([`${PAYMENTS.id}_e-prod`, `${PAYMENTS.id}_e-dev`].map((r) => r.toLowerCase()));
  });

  it('a failed group lookup rejects (the caller answers with a reference id); a failed role read refuses', async () => {
    const failing: MembershipSource = { groupsOf: async () => { throw new AppError('GRAPH.UNAVAILABLE', 'down'); } };
    await expect(checkRequest(policy, ask(), { roles: new InMemoryDevOpsRoles({}), membership: failing })).rejects.toMatchObject({ code: 'GRAPH.UNAVAILABLE' });
    const decision = await checkRequest(policy, ask([prod]), { roles: new InMemoryDevOpsRoles({ [PAM]: {} }, new Set([PAM])), membership });
    expect(decision.targets[0]).toMatchObject({ allowed: false, refusal: { code: 'DEVOPS_ROLE_UNREADABLE', error: 'DEVOPS.THROTTLED' } });
  });

  it('today\'s settings read no group and no role', async () => {
    const roles = new InMemoryDevOpsRoles({});
    const settings = policyFromSettings(LOCAL_DEMO_POLICY);
    const counted = new InMemoryMembershipSource({});
    const decision = await checkRequest(settings, { ...ask(), conversationId: 'a:any' }, { roles, membership: counted });
    expect(decision.targets.every((t) => t.allowed)).toBe(true);
    expect([roles.asked, counted.asked]).toEqual([[], []]);
  });

  it('an approval reads the approver\'s role only for rules still waiting, with the sign-in names given', async () => {
    const seen: DevOpsPerson[] = [];
    const roles: DevOpsRoles = { holding: async (person: DevOpsPerson, _t: RoleTarget) => { seen.push(person); return { kind: 'held', role: 'Administrator', grants: admin }; } };
    const tap = { plan: { operation: 'rotate', targets: [prod], deep: false }, requester: { aadObjectId: PAM, groups: [] }, approver: { aadObjectId: LEE, groups: [] }, conversationId: CONV.payments, now: NOV, prior: [] };
    const decision = await checkApproval(policy, tap, { roles, membership }, new Map([[LEE, ['lee@contoso.example']]]));
    expect(decision).toMatchObject({ accepted: true, countsFor: ['payments-team'], complete: false });
    expect(seen).toEqual([{ aadObjectId: LEE, signInNames: ['lee@contoso.example'] }]);
    const again = await checkApproval(policy, { ...tap, approver: { aadObjectId: 'aaaaaaaa-1111-4000-8000-000000000009', groups: [G.paymentsLeads] }, prior: [{ approver: LEE, rules: ['payments-team'] }] }, { roles });
    expect(again).toMatchObject({ accepted: false, refusal: { code: 'NOT_NEEDED', waiting: ['prod-needs-a-lead'] } });
    expect(seen).toHaveLength(1);
  });
});
