// POST {project}/_apis/serviceendpoint/endpointproxy?endpointId=… (the request form, spec op 13): the portal's Verify
// runs the TestConnection data source; the answer is 200 either way, the verdict in statusCode. A workload identity
// federation connection passes when its identity holds the credential for its issuer and subject.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator } from '../src/index';

let emu: DevOpsEmulator;
let ficPresent: boolean;

beforeEach(async () => {
  const clock = new ManualClock();
  ficPresent = false;
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock, hasFederatedCredential: () => ficPresent });
});
afterEach(async () => emu.close());

const wif = () => emu.state.endpoints().find((e) => e.authorization?.scheme === 'WorkloadIdentityFederation' && e.serviceEndpointProjectReferences?.some((r) => r.projectReference.name === 'Payments'));
const verify = (id: string, dataSourceName = 'TestConnection') => callEmulator<{ statusCode: string; errorMessage: string; result: unknown[] }>(
  emu.orgUrl, `/Payments/_apis/serviceendpoint/endpointproxy?endpointId=${id}`, { method: 'POST', version: '7.2-preview.1', body: { dataSourceDetails: { dataSourceName } } });

describe('endpoint proxy: Verify', () => {
  it('answers 200 with statusCode badRequest and the Entra error until the federated credential exists, then ok', async () => {
    const endpoint = wif();
    expect(endpoint).toBeDefined();
    const before = await verify(endpoint!.id);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ statusCode: 'badRequest', result: [] });
    expect(before.body.errorMessage).toContain('AADSTS700213');
    ficPresent = true;
    expect((await verify(endpoint!.id)).body).toMatchObject({ statusCode: 'ok', errorMessage: '' });
  });

  it('refuses other data sources, the legacy form without endpointId, and an unknown connection', async () => {
    const endpoint = wif()!;
    const other = await verify(endpoint.id, 'AzureSubscriptions');
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ typeKey: 'ServiceEndpointException' });
    const legacy = await callEmulator(emu.orgUrl, '/Payments/_apis/serviceendpoint/endpointproxy', { method: 'POST', version: '7.2-preview.1', body: { dataSourceName: 'TestConnection', endpointId: endpoint.id } });
    expect(legacy.status).toBe(400);
    expect((await verify('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
