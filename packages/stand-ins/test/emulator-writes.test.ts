import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../src/wire/service-endpoint';
import {
  callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator, type Seed,
} from '../src/index';

type VssBody = { $id: string; message: string; typeKey: string; typeName: string; errorCode: number; eventId: number; innerException: null };
let emu: DevOpsEmulator;
let seed: Seed;
let clock: ManualClock;

const endpointNamed = (name: string): ServiceEndpoint => {
  const found = emu.state.endpoints().find((e) => e.name === name);
  if (!found) throw new Error(`no endpoint ${name}`);
  return found;
};
const projectId = (name: string): string => seed.projects.find((p) => p.name === name)?.id ?? '';
const call = <T = unknown>(path: string, options?: Parameters<typeof callEmulator>[2]) => callEmulator<T>(emu.orgUrl, path, options);
const get = (id: string, project = 'Payments') => call<ServiceEndpoint>(`/${project}/_apis/serviceendpoint/endpoints/${id}`);
const put = (body: ServiceEndpoint, query = '') => call<ServiceEndpoint & VssBody>(`/_apis/serviceendpoint/endpoints/${body.id}${query}`, { method: 'PUT', body });

function newEndpoint(name: string, project = 'Payments', extra: Partial<ServiceEndpoint> = {}): Partial<ServiceEndpoint> {
  return {
    name, type: 'generic', url: 'https://example.test',
    authorization: { scheme: 'UsernamePassword', parameters: { username: 'u', password: 'NEWSECRET-1' } },
    serviceEndpointProjectReferences: [{ projectReference: { id: projectId(project), name: project }, name }],
    ...extra,
  };
}

beforeEach(async () => {
  clock = new ManualClock('2026-11-01T12:00:00.000Z');
  seed = await loadSeed(DEMO_SEED_PATH, clock);
  emu = await startDevOpsEmulator({ seed, clock });
});
afterEach(async () => emu.close());

describe('create', () => {
  it('creates with a fresh id, nulls the secret in the answer and keeps it inside', async () => {
    const res = await call<ServiceEndpoint>('/_apis/serviceendpoint/endpoints', { method: 'POST', body: newEndpoint('new-one') });
    expect(res.status).toBe(200);
    expect(res.body.authorization?.parameters?.password).toBeNull();
    expect(res.body.isReady).toBe(true);
    expect(res.body.creationDate).toBe('2026-11-01T12:00:00.000Z');
    expect(emu.state.endpoint(res.body.id)?.authorization?.parameters?.password).toBe('NEWSECRET-1');
  });

  it('needs at least one project reference', async () => {
    const res = await call<VssBody>('/_apis/serviceendpoint/endpoints', { method: 'POST', body: newEndpoint('x', 'Payments', { serviceEndpointProjectReferences: [] }) });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('At least one project reference required to create an endpoint.');
    expect(res.body.typeKey).toBe('ArgumentException');
  });

  it('refuses a duplicate name in the same project, case-insensitively, with 409', async () => {
    const res = await call<VssBody>('/_apis/serviceendpoint/endpoints', { method: 'POST', body: newEndpoint('SC-PROD') });
    expect(res.status).toBe(409);
    expect(res.body.typeKey).toBe('DuplicateServiceConnectionException');
    const elsewhere = await call('/_apis/serviceendpoint/endpoints', { method: 'POST', body: newEndpoint('sc-prod', 'Platform') });
    expect(elsewhere.status).toBe(200);
  });

  it('accepts the write at project level too, taking the URL project when no reference is given', async () => {
    const body = { ...newEndpoint('legacy-create'), serviceEndpointProjectReferences: undefined };
    const res = await call<ServiceEndpoint>('/Platform/_apis/serviceendpoint/endpoints', { method: 'POST', body, version: '4.1-preview.1' });
    expect(res.status).toBe(200);
    expect(res.body.serviceEndpointProjectReferences?.[0]?.projectReference.id).toBe(projectId('Platform'));
  });

  it('keeps an Automatic azurerm create InProgress until provisioning time has passed on the clock', async () => {
    await emu.close();
    emu = await startDevOpsEmulator({ seed, clock, provisioningMs: 30_000 });
    const body = newEndpoint('auto-new', 'Payments', {
      type: 'azurerm', data: { creationMode: 'Automatic', scopeLevel: 'Subscription', subscriptionId: 'sub' },
      authorization: { scheme: 'ServicePrincipal', parameters: { tenantid: 't', serviceprincipalid: '', serviceprincipalkey: '', authenticationType: 'spnKey' } },
    });
    const created = await call<ServiceEndpoint>('/_apis/serviceendpoint/endpoints', { method: 'POST', body });
    expect(created.body.operationStatus?.state).toBe('InProgress');
    expect(created.body.authorization?.parameters?.serviceprincipalid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.data?.spnObjectId).toBeTruthy();
    expect((await get(created.body.id)).body.isReady).toBe(false);
    clock.advance(30_000);
    const later = await get(created.body.id);
    expect(later.body.isReady).toBe(true);
    expect(later.body.operationStatus?.state).toBe('Ready');
  });
});

describe('update', () => {
  it('keeps a stored secret when the PUT sends back what GET showed (null)', async () => {
    const staging = endpointNamed('sc-staging');
    const shown = (await get(staging.id)).body;
    const res = await put({ ...shown, description: 'edited' });
    expect(res.status).toBe(200);
    expect(res.body.description).toBe('edited');
    expect(emu.state.endpoint(staging.id)?.authorization?.parameters?.serviceprincipalkey).toBe(staging.authorization?.parameters?.serviceprincipalkey);
  });

  it('stores a new secret on a Manual connection', async () => {
    const staging = endpointNamed('sc-staging');
    const shown = (await get(staging.id)).body;
    const params = { ...shown.authorization?.parameters, serviceprincipalkey: 'ROTATED-1' };
    expect((await put({ ...shown, authorization: { scheme: 'ServicePrincipal', parameters: params } })).status).toBe(200);
    expect(emu.state.endpoint(staging.id)?.authorization?.parameters?.serviceprincipalkey).toBe('ROTATED-1');
  });

  it('refuses new credentials on an Automatic connection until it is flipped to Manual, then drops automatic-only keys', async () => {
    const prod = endpointNamed('sc-prod');
    const shown = (await get(prod.id)).body;
    const authorization = { scheme: 'ServicePrincipal', parameters: { ...shown.authorization?.parameters, serviceprincipalkey: 'ROTATED-2' } };
    const refused = await put({ ...shown, authorization });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/Automatic/);
    expect(emu.state.endpoint(prod.id)?.authorization?.parameters?.serviceprincipalkey).toMatch(/^SEEDSECRET-/);

    const flipped = await put({ ...shown, authorization, data: { ...shown.data, creationMode: 'Manual' } });
    expect(flipped.status).toBe(200);
    expect(flipped.body.data?.creationMode).toBe('Manual');
    for (const key of ['azureSpnRoleAssignmentId', 'azureSpnPermissions', 'spnObjectId', 'appObjectId']) expect(flipped.body.data).not.toHaveProperty(key);
    expect(flipped.body.data?.subscriptionId).toBe(shown.data?.subscriptionId);
    expect(emu.state.endpoint(prod.id)?.authorization?.parameters?.serviceprincipalkey).toBe('ROTATED-2');
  });

  it('allows a non-credential edit of an Automatic connection', async () => {
    const shown = (await get(endpointNamed('sc-prod').id)).body;
    expect((await put({ ...shown, description: 'still automatic' })).status).toBe(200);
  });

  it('answers 409 when renaming onto another connection\'s name and 400 on an id mismatch', async () => {
    const shown = (await get(endpointNamed('sc-dev').id)).body;
    const refs = shown.serviceEndpointProjectReferences?.map((r) => ({ ...r, name: 'sc-prod' }));
    expect((await put({ ...shown, name: 'sc-prod', serviceEndpointProjectReferences: refs })).status).toBe(409);
    const mismatch = await call<VssBody>(`/_apis/serviceendpoint/endpoints/${shown.id}`, { method: 'PUT', body: { ...shown, id: endpointNamed('sc-prod').id } });
    expect(mismatch.status).toBe(400);
  });

  it('bulk-updates all or nothing', async () => {
    const a = (await get(endpointNamed('sc-dev').id)).body;
    const b = (await get(endpointNamed('sc-staging').id)).body;
    const ok = await call<{ count: number }>('/_apis/serviceendpoint/endpoints', { method: 'PUT', body: [{ ...a, description: 'A' }, { ...b, description: 'B' }] });
    expect(ok.status).toBe(200);
    expect(ok.body.count).toBe(2);
    const bad = await call('/_apis/serviceendpoint/endpoints', { method: 'PUT', body: [{ ...a, description: 'A2' }, { ...b, id: '00000000-0000-0000-0000-0000000000ff' }] });
    expect(bad.status).toBe(404);
    expect(emu.state.endpoint(a.id)?.description).toBe('A');
  });
});

describe('delete and share', () => {
  it('requires projectIds on the org route', async () => {
    const res = await call<VssBody>(`/_apis/serviceendpoint/endpoints/${endpointNamed('sc-dev').id}`, { method: 'DELETE' });
    expect(res.status).toBe(400);
    expect(res.body.typeKey).toBe('ArgumentNullException');
  });

  it('deletes with 204, and unshares when other projects remain', async () => {
    const shared = endpointNamed('sc-shared-registry');
    const unshare = await call(`/_apis/serviceendpoint/endpoints/${shared.id}?projectIds=${projectId('Payments')}`, { method: 'DELETE' });
    expect(unshare.status).toBe(204);
    expect((await get(shared.id, 'Payments')).body).toBeNull();
    const stillThere = (await get(shared.id, 'Platform')).body;
    expect(stillThere.name).toBe('registry (from Payments)');
    expect(stillThere.isShared).toBe(false);
    const gone = await call(`/_apis/serviceendpoint/endpoints/${shared.id}?projectIds=${projectId('Platform')}&deep=true`, { method: 'DELETE' });
    expect(gone.status).toBe(204);
    expect(emu.state.endpoint(shared.id)).toBeUndefined();
  });

  it('shares with PATCH (204) under another name, refuses a clash and a rename', async () => {
    const dev = endpointNamed('sc-dev');
    const ref = (project: string, name: string) => ({ projectReference: { id: projectId(project), name: project }, name });
    expect((await call(`/_apis/serviceendpoint/endpoints/${dev.id}`, { method: 'PATCH', body: [ref('Data Science', 'payments dev')] })).status).toBe(204);
    const shown = (await get(dev.id, 'Data Science')).body;
    expect(shown.name).toBe('payments dev');
    expect(shown.isShared).toBe(true);
    expect((await call(`/_apis/serviceendpoint/endpoints/${dev.id}`, { method: 'PATCH', body: [ref('Platform', 'sc-msi')] })).status).toBe(409);
    expect((await call(`/_apis/serviceendpoint/endpoints/${dev.id}`, { method: 'PATCH', body: [ref('Data Science', 'renamed')] })).status).toBe(500);
    expect((await call(`/Payments/_apis/serviceendpoint/endpoints/${dev.id}`, { method: 'PATCH', body: [ref('Platform', 'dev-from-payments')] })).status).toBe(204);
  });
});
