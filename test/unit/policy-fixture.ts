/** A platform team's policy with two project teams, as docs/policy.md's example writes it, and the people in it. */
import type { Principal } from '../../src/domain/policy';
import type { Target } from '../../src/domain/policy-rules';
import { parsePolicyFile } from '../../src/policy/policy-file';
import { OPERATION_NAMES } from '../../src/operations/operations';

/** The operations this build knows: what the bot passes its policy file reader. */
export const OPERATIONS = OPERATION_NAMES;

export const G = {
  payments: '11111111-0000-4000-8000-000000000001',
  paymentsLeads: '11111111-0000-4000-8000-000000000002',
  retail: '22222222-0000-4000-8000-000000000001',
  retailLeads: '22222222-0000-4000-8000-000000000002',
  platformLeads: '33333333-0000-4000-8000-000000000001',
};
export const CONV = { payments: '19:payments-ops@thread.tacv2', retail: '19:retail-ops@thread.tacv2', platform: '19:platform@thread.tacv2' };

export const POLICY_YAML = `version: 1
rules:
  - name: platform-reads-everything
    operations: [read]
    conversations: ["${CONV.platform}"]
  - name: payments-team
    projects: [Payments]
    operations: [read, rotate, convert, revert, enable, restrict, authorize]
    conversations: ["${CONV.payments}"]
    requesters: { groups: ["${G.payments}"] }
    approvers: { groups: ["${G.paymentsLeads}"] }
    approvals: 1
    devOpsRole: Administrator
  - name: retail-team
    projects: [Retail]
    operations: ["*"]
    conversations: ["${CONV.retail}"]
    requesters: { groups: ["${G.retail}"] }
    approvers: { groups: ["${G.retailLeads}"] }
  - name: prod-needs-a-lead
    connections: ["sc-prod*", "*-prod"]
    approvers: { groups: ["${G.platformLeads}"] }
    approvals: 1
freezes:
  - name: year-end
    from: "2026-12-20T00:00:00Z"
    to: "2027-01-04T00:00:00Z"
    except: [revert]
`;

export function examplePolicy() {
  const parsed = parsePolicyFile(POLICY_YAML, OPERATIONS);
  if (!parsed.ok) throw new Error(parsed.error.map((p) => p.message).join('\n'));
  return parsed.value;
}

export const person = (id: string, ...groups: string[]): Principal => ({ aadObjectId: id, groups });
export const PAYMENTS = { id: 'aaaaaaaa-0000-4000-8000-00000000000p', name: 'Payments' };
export const RETAIL = { id: 'bbbbbbbb-0000-4000-8000-00000000000r', name: 'Retail' };
export const conn = (project: { id: string; name: string }, name: string, id = `${name}-id`): Target => ({ project, connection: { name, id } });
export const NOV = new Date('2026-11-20T10:00:00Z');
export const YEAR_END = new Date('2026-12-24T10:00:00Z');
