/**
 * The approval path's policy helpers (src/approvals/policy-approval.ts) over a PolicyGate with fakes: who may reject,
 * a retry re-checked for the person who taps it, where taps may come from, and what the card shows as needed.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@scbot/stand-ins';
import type { Plan, PlanItem } from '../../src/domain/plan';
import { ANYONE, type PolicyConfig } from '../../src/domain/policy';
import { InMemoryMembershipSource } from '../support/in-memory-membership-source';
import { PolicyGate } from '../../src/policy/policy-gate';
import { PolicySource } from '../../src/policy/policy-source';
import { approvalsToShow, mayRejectByPolicy, mayRetryByPolicy, tapPlaces } from '../../src/approvals/policy-approval';
import type { Tap } from '../../src/approvals/types';
import { InMemoryDevOpsRoles } from '../support/in-memory-devops-roles';
import { CONV, examplePolicy, G, NOV, PAYMENTS } from './policy-fixture';

const PAM = 'aaaaaaaa-2222-4000-8000-000000000001';
const LEE = 'aaaaaaaa-2222-4000-8000-000000000002';
const PIA = 'aaaaaaaa-2222-4000-8000-000000000003';
const admin = [{ role: 'Administrator' as const, inherited: true }];
const item = (name: string, id: string): PlanItem => ({
  endpointId: id, name, projectId: PAYMENTS.id, projectName: PAYMENTS.name, before: {} as PlanItem['before'], after: null, calls: [], fingerprint: 'f', warnings: [],
});
const plan = (items: PlanItem[]): Plan => ({ id: 'P-AAAAAAAA', operation: 'rotate', command: 'rotate', createdAt: NOV.toISOString(), items, skipped: [], warnings: [] });
const tapBy = (aadObjectId: string, conversationId = CONV.payments): Tap => ({ verb: 'approve', data: {}, user: { id: `29:${aadObjectId}`, name: 'x', aadObjectId }, conversation: { id: conversationId, type: 'channel' } });

function gate(roles = new InMemoryDevOpsRoles({ [PAM]: { [`${PAYMENTS.id}_e-dev`]: admin } })): PolicyGate {
  const clock = new ManualClock(NOV);
  return new PolicyGate({ source: PolicySource.fixed(examplePolicy(), clock), roles, clock, membership: new InMemoryMembershipSource({ [PAM]: [G.payments], [LEE]: [G.paymentsLeads], [PIA]: [G.platformLeads] }) });
}

describe('approvals under a policy file', () => {
  it('rejecting is for an approver of a rule the plan needs, in a place that rule lists', async () => {
    const p = plan([item('sc-prod', 'e-prod')]);
    expect(await mayRejectByPolicy(gate(), p, tapBy(LEE))).toBe(true);
    expect(await mayRejectByPolicy(gate(), p, tapBy(PIA))).toBe(true);
    expect(await mayRejectByPolicy(gate(), p, tapBy(PAM))).toBe(false);
    expect(await mayRejectByPolicy(gate(), p, tapBy(LEE, CONV.retail))).toBe(false);
    expect(await mayRejectByPolicy(gate(), p, { ...tapBy(LEE), user: { id: '29:x', name: 'no entra id' } })).toBe(false);
  });

  it('a retry is checked again for whoever taps it, on the failed connections only', async () => {
    const p = plan([item('sc-dev', 'e-dev'), item('sc-prod', 'e-prod')]);
    expect(await mayRetryByPolicy(gate(), p, ['e-dev'], tapBy(PAM))).toBe(true);
    // PAM holds no Azure DevOps role on sc-prod: a retry that would touch it is refused.
    expect(await mayRetryByPolicy(gate(), p, ['e-dev', 'e-prod'], tapBy(PAM))).toBe(false);
    expect(await mayRetryByPolicy(gate(), p, ['e-dev'], tapBy(LEE))).toBe(false);
  });

  it('taps come only from where a rule names the conversation, and the card shows every rule\'s approvals', () => {
    const settings: PolicyConfig = { requesters: { users: [ANYONE], groups: [] }, approvers: { users: [ANYONE], groups: [] }, conversations: [ANYONE], tenants: [ANYONE], planTtlMinutes: 30, twoApproversOver: 10 };
    const places = tapPlaces(settings, examplePolicy());
    // prod-needs-a-lead names no conversation (any): its approvals may come from anywhere; the settings' lists are gone.
    expect(places.conversations).toEqual(expect.arrayContaining([CONV.payments, CONV.retail, ANYONE]));
    const teamsOnly = { ...examplePolicy(), rules: examplePolicy().rules.filter((r) => r.name !== 'prod-needs-a-lead') };
    expect(tapPlaces(settings, teamsOnly).conversations).not.toContain(ANYONE);
    expect(approvalsToShow(examplePolicy(), plan([item('sc-prod', 'e-prod')]))).toBe(2);
    expect(approvalsToShow(examplePolicy(), plan([item('sc-dev', 'e-dev')]))).toBe(1);
  });
});
