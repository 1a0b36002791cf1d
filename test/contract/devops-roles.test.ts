/**
 * The DevOpsRoles port, one suite for the in-memory fake and for the real adapter (identities + security roles
 * over azure-devops-node-api's REST client) against the Azure DevOps stand-in on the demo seed: the Playground's
 * user holds Administrator on Payments' connections through a nested Entra group, inherited from the project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator } from '@scbot/stand-ins';
import { AzureDevOpsRoles } from '../../src/devops/azure-devops-roles';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import type { DevOpsPerson, DevOpsRoles, RoleTarget } from '../../src/devops/devops-roles.port';
import { InMemoryDevOpsRoles } from '../support/in-memory-devops-roles';

const PAYMENTS = '7d580254-36c2-5bda-9608-ea9bb037b823';
const SC_PROD = '3bdbd186-d8aa-5806-bc08-7205c5729861';
const SC_CERT_PLATFORM = '21c214db-46ae-533d-b539-eb234d541057';
const PLATFORM = '2ae12be5-9b3b-56e1-83de-10c785e1c36e';
const GROUP = '[Payments]\\Endpoint Administrators';

const alex: DevOpsPerson = { aadObjectId: '00000000-0000-0000-0000-0000000000020', signInNames: ['alexw@example.com'] };
const dana: DevOpsPerson = { aadObjectId: '00000000-0000-0000-0000-0000000000d1', signInNames: ['dana@contoso.example'] };
const eve: DevOpsPerson = { aadObjectId: '00000000-0000-0000-0000-0000000000e4', signInNames: ['eve@contoso.example'] };
const ben: DevOpsPerson = { aadObjectId: '00000000-0000-0000-0000-0000000000b2', signInNames: ['ben@contoso.example'] };
const stranger: DevOpsPerson = { aadObjectId: '0badc0de-0000-4000-8000-000000000000', signInNames: ['nobody@contoso.example'] };
const prod: RoleTarget = { scope: 'connection', projectId: PAYMENTS, endpointId: SC_PROD };

function describeDevOpsRolesContract(name: string, make: () => Promise<{ subject: DevOpsRoles; close?: () => Promise<void> }>): void {
  describe(`DevOpsRoles contract: ${name}`, () => {
    let subject: DevOpsRoles;
    let close: (() => Promise<void>) | undefined;
    beforeAll(async () => ({ subject, close } = await make()));
    afterAll(async () => close?.());

    it('a role through a nested group, inherited from the project', async () => {
      expect(await subject.holding(alex, prod)).toEqual({ kind: 'held', role: 'Administrator', grants: [{ role: 'Administrator', group: GROUP, inherited: true }] });
    });

    it('a role assigned directly on the connection wins over a weaker one', async () => {
      expect(await subject.holding(dana, prod)).toEqual({ kind: 'held', role: 'Administrator', grants: [{ role: 'Administrator', inherited: false }] });
      expect(await subject.holding(eve, prod)).toEqual({ kind: 'held', role: 'Reader', grants: [{ role: 'Reader', inherited: false }] });
    });

    it('known in Azure DevOps but no role here; not known at all', async () => {
      expect(await subject.holding(ben, prod)).toEqual({ kind: 'none' });
      expect(await subject.holding(alex, { scope: 'connection', projectId: PLATFORM, endpointId: SC_CERT_PLATFORM })).toEqual({ kind: 'none' });
      expect(await subject.holding(stranger, prod)).toEqual({ kind: 'no-identity' });
    });

    it('at project level (what create needs): the project role itself, not inherited', async () => {
      expect(await subject.holding(alex, { scope: 'project', projectId: PAYMENTS })).toEqual({ kind: 'held', role: 'Administrator', grants: [{ role: 'Administrator', group: GROUP, inherited: false }] });
      expect(await subject.holding(dana, { scope: 'project', projectId: PAYMENTS })).toEqual({ kind: 'none' });
    });
  });
}

describeDevOpsRolesContract('InMemoryDevOpsRoles', async () => ({
  subject: new InMemoryDevOpsRoles({
    [alex.aadObjectId]: {
      [`${PAYMENTS}_${SC_PROD}`]: [{ role: 'Administrator', group: GROUP, inherited: true }],
      [PAYMENTS]: [{ role: 'Administrator', group: GROUP, inherited: false }],
    },
    [dana.aadObjectId]: { [`${PAYMENTS}_${SC_PROD}`]: [{ role: 'Administrator', inherited: false }] },
    [eve.aadObjectId]: { [`${PAYMENTS}_${SC_PROD}`]: [{ role: 'Reader', inherited: false }] },
    [ben.aadObjectId]: {},
  }),
}));

describeDevOpsRolesContract('AzureDevOpsRoles → emulator (demo seed)', async () => {
  const clock = new ManualClock();
  const emulator = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock, port: 0 });
  const devops = new AzureDevOpsServiceEndpoints({ orgUrl: emulator.orgUrl, tokens: { getToken: async () => 'contract-token' }, requestTimeoutMs: 5_000, maxAttempts: 3, sleep: async () => undefined });
  return { subject: new AzureDevOpsRoles(devops, { orgUrl: emulator.orgUrl, clock }), close: () => emulator.close() };
});
