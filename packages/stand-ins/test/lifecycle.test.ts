// The service finishes Automatic creates and deletes asynchronously (facts §7.2): InProgress first, then Ready /
// gone, or Failed when scripted. Driven by the emulator's clock; set by option, seed field or CLI flag.
import { afterEach, describe, expect, it } from 'vitest';
import {
  callEmulator, DEFAULT_LIFECYCLE, DEMO_SEED_PATH, INSTANT_LIFECYCLE, loadSeed, ManualClock, parseSeed, startDevOpsEmulator, type DevOpsEmulator, type ServiceEndpoint,
} from '../src/index';
import type { DevOpsEmulatorOptions } from '../src/index';

let emu: DevOpsEmulator;
const clock = new ManualClock();
afterEach(async () => emu.close());

async function start(options: Partial<DevOpsEmulatorOptions> = {}, lifecycle?: unknown): Promise<void> {
  const demo = await loadSeed(DEMO_SEED_PATH, clock);
  const seed = lifecycle === undefined ? demo : parseSeed({ ...demo, lifecycle }, clock);
  emu = await startDevOpsEmulator({ seed, clock, ...options });
}

const get = (id: string) => callEmulator<ServiceEndpoint | null>(emu.orgUrl, `/Payments/_apis/serviceendpoint/endpoints/${id}`);
const payments = '7d580254-36c2-5bda-9608-ea9bb037b823';

async function createAutomatic(name: string): Promise<ServiceEndpoint> {
  const body = {
    name, type: 'azurerm', url: 'https://management.azure.com/',
    data: { creationMode: 'Automatic', scopeLevel: 'Subscription', subscriptionId: 'sub', subscriptionName: 'Sub' },
    authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: '72f988bf-86f1-41af-91ab-2d7cd011db47', serviceprincipalid: '' } },
    serviceEndpointProjectReferences: [{ projectReference: { id: payments, name: 'Payments' }, name }],
  };
  const res = await callEmulator<ServiceEndpoint>(emu.orgUrl, '/_apis/serviceendpoint/endpoints', { method: 'POST', body });
  expect(res.status).toBe(200);
  return res.body;
}

const convert = (endpoint: ServiceEndpoint) => callEmulator<ServiceEndpoint>(emu.orgUrl, `/_apis/serviceendpoint/endpoints/${endpoint.id}?operation=ConvertAuthenticationScheme`, {
  method: 'PUT', body: { id: endpoint.id, type: endpoint.type, authorization: { scheme: 'WorkloadIdentityFederation' }, serviceEndpointProjectReferences: endpoint.serviceEndpointProjectReferences },
});
const named = (name: string) => emu.state.endpoints().find((e) => e.name === name) as ServiceEndpoint;

const remove = (id: string, query = '') =>
  callEmulator(emu.orgUrl, `/_apis/serviceendpoint/endpoints/${id}?projectIds=${payments}${query}`, { method: 'DELETE' });

describe('the default pace', () => {
  it('is asynchronous unless asked otherwise: create, delete and conversion each answer InProgress first', async () => {
    await start();
    expect(emu.lifecycle.settings).toEqual(DEFAULT_LIFECYCLE);
    expect(Object.values(DEFAULT_LIFECYCLE).every((ms) => ms > 0)).toBe(true);
    const created = await createAutomatic('auto-default');
    expect(created).toMatchObject({ isReady: false, operationStatus: { state: 'InProgress' } });
    expect((await get(created.id)).body?.operationStatus?.state).toBe('InProgress');
    clock.advance(DEFAULT_LIFECYCLE.provisioningMs);
    expect((await get(created.id)).body).toMatchObject({ isReady: true, operationStatus: { state: 'Ready' } });
    const dev = named('sc-dev');
    expect((await convert(dev)).body.operationStatus?.state).toBe('InProgress');
    const prod = named('sc-prod');
    await remove(prod.id);
    expect((await get(prod.id)).body?.operationStatus?.state).toBe('InProgress');
    clock.advance(Math.max(DEFAULT_LIFECYCLE.deletionMs, DEFAULT_LIFECYCLE.conversionMs));
    expect((await get(dev.id)).body?.operationStatus?.state).toBe('Ready');
    expect((await get(prod.id)).body).toBeNull();
  });
});

describe('Automatic create', () => {
  it('answers InProgress, stays so until the delay passes on the clock, then Ready', async () => {
    await start({ provisioningMs: 5_000 });
    const created = await createAutomatic('auto-wif');
    expect(created).toMatchObject({ isReady: false, operationStatus: { state: 'InProgress' } });
    clock.advance(4_999);
    expect((await get(created.id)).body).toMatchObject({ isReady: false, operationStatus: { state: 'InProgress' } });
    clock.advance(1);
    expect((await get(created.id)).body).toMatchObject({ isReady: true, operationStatus: { state: 'Ready' } });
  });

  it('ends Failed when a failure is scripted for that connection, and is then hidden unless includeFailed=true', async () => {
    await start({ provisioningMs: 1_000 });
    emu.lifecycle.failNext({ operation: 'create', name: 'AUTO-doomed', statusMessage: 'Insufficient privileges' });
    const other = await createAutomatic('auto-fine');
    const doomed = await createAutomatic('auto-doomed');
    clock.advance(1_000);
    expect((await get(other.id)).body?.operationStatus?.state).toBe('Ready');
    expect((await get(doomed.id)).body).toMatchObject({ isReady: false, operationStatus: { state: 'Failed', statusMessage: 'Insufficient privileges' } });
    const list = await callEmulator<{ value: ServiceEndpoint[] }>(emu.orgUrl, '/Payments/_apis/serviceendpoint/endpoints');
    expect(list.body.value.map((e) => e.name)).not.toContain('auto-doomed');
  });

  it('reads the delays and failures from the seed, and an explicit option wins over the seed', async () => {
    await start({}, { provisioningMs: 2_000, failures: [{ operation: 'create', name: 'auto-seeded' }] });
    expect(emu.lifecycle.settings).toEqual({ ...DEFAULT_LIFECYCLE, provisioningMs: 2_000 });
    const seeded = await createAutomatic('auto-seeded');
    clock.advance(2_000);
    expect((await get(seeded.id)).body?.operationStatus?.state).toBe('Failed');
    await emu.close();
    await start({ provisioningMs: 10, lifecycleDefaults: { provisioningMs: 99, deletionMs: 7 } }, { provisioningMs: 2_000 });
    expect(emu.lifecycle.settings).toEqual({ provisioningMs: 10, deletionMs: 7, conversionMs: DEFAULT_LIFECYCLE.conversionMs });
  });

  it('refuses a seed lifecycle section with a negative delay', async () => {
    const demo = await loadSeed(DEMO_SEED_PATH, clock);
    expect(() => parseSeed({ ...demo, lifecycle: { deletionMs: -1 } }, clock)).toThrow(/lifecycle/);
    emu = await startDevOpsEmulator({ seed: demo, clock });
  });
});

describe('delete of an Automatic connection', () => {
  it('stays InProgress while the service removes its app, then is gone', async () => {
    await start({ deletionMs: 3_000 });
    const prod = emu.state.endpoints().find((e) => e.name === 'sc-prod') as ServiceEndpoint;
    expect((await remove(prod.id)).status).toBe(204);
    expect((await get(prod.id)).body).toMatchObject({ isReady: false, operationStatus: { state: 'InProgress' } });
    expect((await remove(prod.id)).status).toBe(204);
    clock.advance(3_000);
    expect((await get(prod.id)).body).toBeNull();
    expect(emu.state.endpoint(prod.id)).toBeUndefined();
  });

  it('removes a Manual connection at once whatever the delay', async () => {
    await start({ deletionMs: 3_000 });
    const staging = emu.state.endpoints().find((e) => e.name === 'sc-staging') as ServiceEndpoint;
    await remove(staging.id);
    expect((await get(staging.id)).body).toBeNull();
  });

  it('ends Failed and stays when a delete failure is scripted', async () => {
    await start({ deletionMs: 500 });
    emu.lifecycle.failNext({ operation: 'delete' });
    const dev = emu.state.endpoints().find((e) => e.name === 'sc-dev') as ServiceEndpoint;
    await remove(dev.id);
    clock.advance(500);
    expect((await get(dev.id)).body).toMatchObject({ isReady: false, operationStatus: { state: 'Failed' } });
    expect((await get(dev.id)).body?.operationStatus?.statusMessage).toMatch(/deep=false/);
  });
});

describe('scheme conversion', () => {

  it('answers while converting: InProgress with the new scheme, then Ready once the delay passes', async () => {
    await start({ conversionMs: 2_000 });
    const answer = await convert(emu.state.endpoints().find((e) => e.name === 'sc-prod') as ServiceEndpoint);
    expect(answer.body).toMatchObject({ isReady: false, operationStatus: { state: 'InProgress' }, authorization: { scheme: 'WorkloadIdentityFederation' } });
    clock.advance(2_000);
    expect((await get(answer.body.id)).body).toMatchObject({ isReady: true, operationStatus: { state: 'Ready' } });
  });

  it('is immediate when a test asks for it, and ends Failed when a conversion failure is scripted', async () => {
    await start({ ...INSTANT_LIFECYCLE });
    const prod = emu.state.endpoints().find((e) => e.name === 'sc-prod') as ServiceEndpoint;
    expect((await convert(prod)).body.operationStatus?.state).toBe('Ready');
    emu.lifecycle.failNext({ operation: 'convert', name: 'sc-dev' });
    const dev = await convert(emu.state.endpoints().find((e) => e.name === 'sc-dev') as ServiceEndpoint);
    expect(dev.body.operationStatus?.state).toBe('InProgress');
    expect((await get(dev.body.id)).body).toMatchObject({ isReady: false, operationStatus: { state: 'Failed' } });
  });
});
