/**
 * The local demo's policy (docs/examples/policy.demo.yaml) against the Azure DevOps stand-in on the demo seed, as the
 * Playground will show it once wired: the Playground's user may rotate sc-prod (Administrator through a nested group,
 * inherited from Payments) and may not rotate sc-cert-platform (no role in Platform); Ben's approval is refused (no
 * role on sc-prod), Chris's counts for both rules.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator } from '@scbot/stand-ins';
import { AzureDevOpsRoles } from '../../src/devops/azure-devops-roles';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import type { Policy } from '../../src/domain/policy-rules';
import { InMemoryMembershipSource } from '../support/in-memory-membership-source';
import { checkApproval, checkRequest, type PolicyChecksDeps } from '../../src/policy/policy-checks';
import { parsePolicyFile } from '../../src/policy/policy-file';
import { OPERATIONS } from '../unit/policy-fixture';

const PAYMENTS = { id: '7d580254-36c2-5bda-9608-ea9bb037b823', name: 'Payments' };
const PLATFORM = { id: '2ae12be5-9b3b-56e1-83de-10c785e1c36e', name: 'Platform' };
const scProd = { project: PAYMENTS, connection: { name: 'sc-prod', id: '3bdbd186-d8aa-5806-bc08-7205c5729861' } };
const scCertPlatform = { project: PLATFORM, connection: { name: 'sc-cert-platform', id: '21c214db-46ae-533d-b539-eb234d541057' } };
const ALEX = '00000000-0000-0000-0000-0000000000020';
const BEN = '00000000-0000-0000-0000-0000000000b2';
const CHRIS = '00000000-0000-0000-0000-0000000000c3';
/** What Teams (or Graph) says their sign-in names are: the role check finds them in Azure DevOps by these. */
const NAMES = new Map([[ALEX, ['alexw@example.com']], [BEN, ['ben@contoso.example']], [CHRIS, ['chris@contoso.example']]]);
const CHAT = 'a:playground-personal-chat';

let emulator: DevOpsEmulator;
let deps: PolicyChecksDeps;
let policy: Policy;

beforeAll(async () => {
  const clock = new ManualClock();
  emulator = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock, port: 0 });
  const devops = new AzureDevOpsServiceEndpoints({ orgUrl: emulator.orgUrl, tokens: { getToken: async () => 't' }, requestTimeoutMs: 5_000, maxAttempts: 2, sleep: async () => undefined });
  // The demo seed's Graph groups: scbot-approvers ⊃ Ben, platform-leads ⊃ Chris.
  const membership = new InMemoryMembershipSource({ [BEN]: ['a7000000-0000-4000-8000-0000000000a1'], [CHRIS]: ['a7000000-0000-4000-8000-0000000000a1', 'a7000000-0000-4000-8000-0000000000a2'] });
  deps = { roles: new AzureDevOpsRoles(devops, { orgUrl: emulator.orgUrl, clock }), membership };
  const parsed = parsePolicyFile(readFileSync('docs/examples/policy.demo.yaml', 'utf8'), OPERATIONS);
  if (!parsed.ok) throw new Error('demo policy invalid');
  policy = parsed.value;
});
afterAll(async () => emulator.close());

describe('the demo policy on the demo seed', () => {
  it('permits rotate sc-prod and refuses rotate sc-cert-platform, naming the missing role', async () => {
    const ask = (targets: typeof scProd[]) => checkRequest(policy, { operation: 'rotate', conversationId: CHAT, requester: { aadObjectId: ALEX, groups: [] }, targets, now: new Date() }, deps, NAMES);
    expect((await ask([scProd])).targets[0]).toMatchObject({ allowed: true, grantedBy: ['demo-changes'], roleGrants: [{ role: 'Administrator', group: '[Payments]\\Endpoint Administrators', inherited: true }] });
    expect((await ask([scCertPlatform])).targets[0]).toMatchObject({ allowed: false, refusal: { code: 'DEVOPS_ROLE_MISSING', role: 'Administrator', rules: ['demo-changes'] } });
  });

  it('refuses Ben\'s approval (no role on sc-prod); Chris\'s counts for both rules and completes the plan', async () => {
    const tap = (approver: string) => checkApproval(policy, { plan: { operation: 'rotate', targets: [scProd], deep: false }, requester: { aadObjectId: ALEX, groups: [] }, approver: { aadObjectId: approver, groups: [] }, conversationId: CHAT, now: new Date(), prior: [] }, deps, NAMES);
    expect(await tap(BEN)).toMatchObject({ accepted: false, refusal: { code: 'DEVOPS_ROLE_MISSING', role: 'Administrator', rules: ['demo-changes'] } });
    expect(await tap(CHRIS)).toMatchObject({ accepted: true, countsFor: ['demo-changes', 'prod-needs-a-lead'], complete: true });
  });
});
