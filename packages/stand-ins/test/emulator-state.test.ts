import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../src/wire/service-endpoint';
import {
  callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator, type Seed,
} from '../src/index';

type List = { count: number; value: ServiceEndpoint[] };
let emu: DevOpsEmulator;
let seed: Seed;
const call = <T = unknown>(path: string, options?: Parameters<typeof callEmulator>[2]) => callEmulator<T>(emu.orgUrl, path, options);
const byName = (name: string): ServiceEndpoint => emu.state.endpoints().find((e) => e.name === name) as ServiceEndpoint;
const paymentsId = (): string => seed.projects.find((p) => p.name === 'Payments')?.id ?? '';

beforeEach(async () => {
  const clock = new ManualClock();
  seed = await loadSeed(DEMO_SEED_PATH, clock);
  emu = await startDevOpsEmulator({ seed, clock });
});
afterEach(async () => emu.close());

describe('EmulatorState hooks for tests', () => {
  it('setStatus marks a connection failed, which hides it from default lists', async () => {
    const id = byName('sc-dev').id;
    emu.state.setStatus(id, { isReady: false, state: 'Failed', statusMessage: 'broken on purpose' });
    const list = await call<List>('/Payments/_apis/serviceendpoint/endpoints');
    expect(list.body.value.map((e) => e.id)).not.toContain(id);
    const details = await call<ServiceEndpoint>(`/Payments/_apis/serviceendpoint/endpoints/${id}`);
    expect(details.body.operationStatus).toEqual({ state: 'Failed', statusMessage: 'broken on purpose' });
  });

  it('put inserts raw endpoints and remove deletes them; reads are copies', async () => {
    const copy = emu.state.endpoint(byName('sc-dev').id) as ServiceEndpoint;
    copy.name = 'changed outside';
    expect(emu.state.endpoint(copy.id)?.name).toBe('sc-dev');
    const refs = copy.serviceEndpointProjectReferences?.map((r) => ({ ...r, name: 'raw' }));
    emu.state.put({ ...copy, id: '99999999-9999-4999-8999-999999999999', name: 'raw', serviceEndpointProjectReferences: refs });
    expect((await call<ServiceEndpoint>('/Payments/_apis/serviceendpoint/endpoints/99999999-9999-4999-8999-999999999999')).body.name).toBe('raw');
    expect(emu.state.remove('99999999-9999-4999-8999-999999999999')).toBe(true);
    expect((await call('/Payments/_apis/serviceendpoint/endpoints/99999999-9999-4999-8999-999999999999')).body).toBeNull();
  });
});

describe('server-side fields', () => {
  it('gives a new workload identity federation connection its issuer and subject', async () => {
    const body = {
      name: 'wif-new', type: 'azurerm', url: 'https://management.azure.com/', data: { creationMode: 'Manual' },
      authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: '72f988bf-86f1-41af-91ab-2d7cd011db47', serviceprincipalid: '0b3fa3a4-0d0e-4b8b-9f49-1b0d7b0a8f11' } },
      serviceEndpointProjectReferences: [{ projectReference: { id: paymentsId() }, name: 'wif-new' }],
    };
    const res = await call<ServiceEndpoint>('/_apis/serviceendpoint/endpoints', { method: 'POST', body });
    const params = res.body.authorization?.parameters ?? {};
    expect(params.workloadIdentityFederationIssuer).toBe('https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0');
    expect(params.workloadIdentityFederationSubject).toContain(`/sc/${seed.organizationId}/${res.body.id}`);
  });

  it('keeps a secret the PUT omits entirely, and ignores attempts to overwrite the federation subject', async () => {
    const staging = byName('sc-staging');
    const { serviceprincipalkey: _dropped, ...rest } = staging.authorization?.parameters ?? {};
    const put = await call(`/_apis/serviceendpoint/endpoints/${staging.id}`, { method: 'PUT', body: { ...staging, authorization: { scheme: 'ServicePrincipal', parameters: rest } } });
    expect(put.status).toBe(200);
    expect(emu.state.endpoint(staging.id)?.authorization?.parameters?.serviceprincipalkey).toMatch(/^SEEDSECRET-/);

    const wif = byName('sc-wif-entra');
    const subject = wif.authorization?.parameters?.workloadIdentityFederationSubject;
    const params = { ...wif.authorization?.parameters, workloadIdentityFederationSubject: 'sc://forged' };
    await call(`/_apis/serviceendpoint/endpoints/${wif.id}`, { method: 'PUT', body: { ...wif, authorization: { scheme: 'WorkloadIdentityFederation', parameters: params } } });
    expect(emu.state.endpoint(wif.id)?.authorization?.parameters?.workloadIdentityFederationSubject).toBe(subject);
  });
});
