/**
 * The organization of test/e2e/policy-file.test.ts: Payments and Retail, their channels, their people in Entra
 * groups, and what Azure DevOps says each person holds (identities, a nested group, role assignments).
 */
import { endpointId, OTHER, PROJECT, type ConnectionSpec } from './operations-harness';

export const RETAIL = { id: OTHER.id, name: 'Retail' };
export const CONV = { payments: '19:payments-ops@thread.tacv2', retail: '19:retail-ops@thread.tacv2', platform: '19:platform@thread.tacv2' };
export const G = {
  payments: '11111111-0000-4000-8000-000000000001', paymentsLeads: '11111111-0000-4000-8000-000000000002',
  retail: '22222222-0000-4000-8000-000000000001', retailLeads: '22222222-0000-4000-8000-000000000002',
  platformLeads: '33333333-0000-4000-8000-000000000001',
};

/** 1-3, 6, 7: Payments; 4, 5, 8: Retail (their project references are moved there below). */
export const SPECS: ConnectionSpec[] = [
  { n: 1, name: 'sc-prod-pay' }, { n: 2, name: 'sc-pay-dev' }, { n: 3, name: 'sc-pay-old' },
  { n: 4, name: 'sc-retail-prod' }, { n: 5, name: 'sc-retail-dev' },
  { n: 6, name: 'sc-pay-wif', scheme: 'WorkloadIdentityFederation', issuer: 'entra', revertDeadline: '2027-02-01T00:00:00Z' },
  { n: 7, name: 'sc-pay-broken', failed: true, scheme: 'WorkloadIdentityFederation', issuer: 'entra' },
  { n: 8, name: 'sc-retail-broken', failed: true, scheme: 'WorkloadIdentityFederation', issuer: 'entra' },
];
const RETAIL_CONNECTIONS = new Set([endpointId(4), endpointId(5), endpointId(8)]);

const person = (key: string, name: string, n: number) => ({ id: `29:${key}`, name, aadObjectId: `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, '0')}`, devopsId: `dddddddd-0000-4000-8000-${String(n).padStart(12, '0')}`, upn: `${key}@contoso.example` });
const payDev = person('pay-dev', 'Pat Payments', 1);
const payNoRole = person('pay-norole', 'Noel Payments', 2);
const payLead = person('pay-lead', 'Lee Payments Lead', 3);
const payLeadNoRole = person('pay-lead-norole', 'Lou Payments Lead', 4);
const platformLead = person('platform-lead', 'Pia Platform Lead', 5);
const retailDev = person('retail-dev', 'Rae Retail', 6);
const everyone = [payDev, payNoRole, payLead, payLeadNoRole, platformLead, retailDev];

const ENDPOINT_ADMINS = 'eeeeeeee-0000-4000-8000-000000000001';
const PAYMENTS_ENGINEERS = 'eeeeeeee-0000-4000-8000-000000000002';

export const POLICY_PEOPLE = {
  payDev, payNoRole, payLead, payLeadNoRole, platformLead, retailDev,
  /** Entra groups (Graph's getMemberGroups). */
  groups: {
    [payDev.aadObjectId]: [G.payments], [payNoRole.aadObjectId]: [G.payments], [payLead.aadObjectId]: [G.paymentsLeads],
    [payLeadNoRole.aadObjectId]: [G.paymentsLeads], [platformLead.aadObjectId]: [G.platformLeads], [retailDev.aadObjectId]: [G.retail],
  },
  signInNames: Object.fromEntries(everyone.map((p) => [p.aadObjectId, [p.upn]])),
};

/**
 * Azure DevOps: Pat is in payments-engineers, nested in [Payments]\Endpoint Administrators, which is Administrator
 * on every Payments connection but sc-pay-old; Lee is in that group directly; Pia is Administrator of the whole
 * Payments project; Rae of Retail; Noel and Lou hold nothing. The connections' own seed is passed in.
 */
export function policySeed(endpoints: Array<{ id: string; serviceEndpointProjectReferences: Array<{ projectReference: { id: string; name: string }; name: string }> }>) {
  const moved = endpoints.map((e) => (RETAIL_CONNECTIONS.has(e.id) ? { ...e, serviceEndpointProjectReferences: [{ projectReference: { ...RETAIL }, name: e.serviceEndpointProjectReferences[0]?.name ?? '' }] } : e));
  const adminOn = [1, 2, 6].map((n) => ({ project: PROJECT.name, endpointId: endpointId(n), identityId: ENDPOINT_ADMINS, role: 'Administrator' }));
  return {
    projects: [PROJECT, RETAIL],
    endpoints: moved,
    identities: [
      ...everyone.map((p) => ({ id: p.devopsId, displayName: p.name, uniqueName: p.upn, originId: p.aadObjectId })),
      { id: ENDPOINT_ADMINS, displayName: '[Payments]\\Endpoint Administrators', kind: 'group', members: [PAYMENTS_ENGINEERS, payLead.devopsId] },
      { id: PAYMENTS_ENGINEERS, displayName: 'payments-engineers', kind: 'group', members: [payDev.devopsId] },
    ],
    roleAssignments: [
      ...adminOn,
      { project: PROJECT.name, identityId: platformLead.devopsId, role: 'Administrator' },
      { project: RETAIL.name, identityId: retailDev.devopsId, role: 'Administrator' },
    ],
  };
}

/** docs/policy.md's platform-team example, cut to what the tests need; the freeze starts 10 minutes after `t0`. */
export function policyYaml(t0: Date): string {
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000).toISOString();
  return `version: 1
rules:
  - name: payments-team
    projects: [Payments]
    operations: [read, rotate, convert, revert, enable]
    conversations: ["${CONV.payments}"]
    requesters: { groups: ["${G.payments}"] }
    approvers: { groups: ["${G.paymentsLeads}"] }
    approvals: 1
    devOpsRole: Administrator
  - name: retail-team
    projects: [Retail]
    operations: [read, rotate, convert, revert]
    conversations: ["${CONV.retail}"]
    requesters: { groups: ["${G.retail}"] }
    approvers: { groups: ["${G.retailLeads}"] }
    devOpsRole: Administrator
  - name: prod-needs-a-lead
    connections: ["sc-prod*"]
    approvers: { groups: ["${G.platformLeads}"] }
    approvals: 1
freezes:
  - name: year-end
    from: "${at(10)}"
    to: "${at(60 * 24 * 20)}"
    except: [revert]
`;
}
