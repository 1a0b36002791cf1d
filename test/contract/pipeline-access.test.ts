/**
 * The PipelineAccess port, one suite for both implementations: the in-memory fake the unit tests use and the real
 * adapter (azure-devops-node-api's REST client) against the Azure DevOps stand-in on the demo seed. Lifecycle
 * facts §2: `allPipelines` absent means false, a PATCH leaves the pipelines it does not name as they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator } from '@scbot/stand-ins';
import { AzureDevOpsPipelineAccess } from '../../src/devops/azure-devops-pipeline-access';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import { InMemoryPipelineAccess } from '../support/in-memory-pipeline-access';
import type { PipelineAccess } from '../../src/devops/pipeline-access.port';

const PAYMENTS = '7d580254-36c2-5bda-9608-ea9bb037b823';
const SC_DEV = 'e4517218-d4ab-584c-9346-93e83658b3ed';
const SC_PROD = '3bdbd186-d8aa-5806-bc08-7205c5729861';
const PIPELINES = [{ id: 10, name: 'payments-ci' }, { id: 11, name: 'payments-deploy' }, { id: 12, name: 'infra-plan', folder: '\\infra' }, { id: 13, name: 'nightly' }];

function describePipelineAccessContract(name: string, make: () => Promise<{ subject: PipelineAccess; close?: () => Promise<void> }>): void {
  describe(`PipelineAccess contract: ${name}`, () => {
    let subject: PipelineAccess;
    let close: (() => Promise<void>) | undefined;
    beforeAll(async () => ({ subject, close } = await make()));
    afterAll(async () => close?.());

    it('lists the project\'s pipelines with their names (and folders)', async () => {
      expect((await subject.pipelines(PAYMENTS)).sort((a, b) => a.id - b.id)).toEqual(PIPELINES);
    });

    it('a connection nobody authorized: not open, no pipelines', async () => {
      expect(await subject.permissions(PAYMENTS, SC_DEV)).toEqual({ allPipelines: false, pipelines: [] });
    });

    it('PATCH opens it, authorizes one pipeline, and a second PATCH leaves that one alone', async () => {
      const opened = await subject.setPermissions(PAYMENTS, SC_DEV, { allPipelines: true, pipelines: [{ id: 10, authorized: true }] });
      expect(opened.allPipelines).toBe(true);
      expect(opened.pipelines.map((p) => p.id)).toEqual([10]);
      expect(await subject.openEndpoints(PAYMENTS)).toContain(SC_DEV);
      await subject.setPermissions(PAYMENTS, SC_DEV, { allPipelines: false, pipelines: [{ id: 13, authorized: true }] });
      const after = await subject.permissions(PAYMENTS, SC_DEV);
      expect([after.allPipelines, after.pipelines.map((p) => p.id)]).toEqual([false, [10, 13]]);
      expect(after.pipelines.every((p) => typeof p.by === 'string' && typeof p.on === 'string')).toBe(true);
      expect(await subject.openEndpoints(PAYMENTS)).not.toContain(SC_DEV);
      await subject.setPermissions(PAYMENTS, SC_DEV, { pipelines: [{ id: 10, authorized: false }] });
      expect((await subject.permissions(PAYMENTS, SC_DEV)).pipelines.map((p) => p.id)).toEqual([13]);
    });

    it('reads the roles on a connection with who holds them', async () => {
      const roles = await subject.roles(PAYMENTS, SC_PROD);
      expect(roles.map((r) => [r.identity, r.role, r.access]).sort()).toEqual([
        ['Dana Ops', 'Administrator', 'assigned'], ['Emulator User', 'Administrator', 'assigned'], ['Eve Reader', 'Reader', 'assigned'],
        ['[Payments]\\Endpoint Administrators', 'Administrator', 'inherited'],
      ]);
    });
  });
}

describePipelineAccessContract('InMemoryPipelineAccess', async () => ({
  subject: new InMemoryPipelineAccess({
    pipelines: { [PAYMENTS]: PIPELINES },
    roles: { [`${PAYMENTS}_${SC_PROD}`]: [
      { identity: 'Dana Ops', uniqueName: 'dana@contoso.example', role: 'Administrator', access: 'assigned' },
      { identity: 'Eve Reader', uniqueName: 'eve@contoso.example', role: 'Reader', access: 'assigned' },
      { identity: 'Emulator User', uniqueName: 'emulator@scbot.local', role: 'Administrator', access: 'assigned' },
      { identity: '[Payments]\\Endpoint Administrators', role: 'Administrator', access: 'inherited' },
    ] },
  }),
}));

describePipelineAccessContract('AzureDevOpsPipelineAccess → emulator (demo seed)', async () => {
  const clock = new ManualClock();
  const emulator: DevOpsEmulator = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock, port: 0 });
  const devops = new AzureDevOpsServiceEndpoints({ orgUrl: emulator.orgUrl, tokens: { getToken: async () => 'contract-token' }, requestTimeoutMs: 5_000, maxAttempts: 3, sleep: async () => undefined });
  return { subject: new AzureDevOpsPipelineAccess(devops), close: () => emulator.close() };
});
