// Drives the emulator through the real azure-devops-node-api client, so discovery (OPTIONS Location, ResourceAreas,
// area OPTIONS), version negotiation, Accept-header versions and response post-processing are all exercised.
import { getBearerHandler, WebApi } from 'azure-devops-node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator, type Seed,
} from '../src/index';

let emu: DevOpsEmulator;
let seed: Seed;
let api: WebApi;

beforeEach(async () => {
  const clock = new ManualClock();
  seed = await loadSeed(DEMO_SEED_PATH, clock);
  emu = await startDevOpsEmulator({ seed, clock });
  api = new WebApi(emu.orgUrl, getBearerHandler('x'));
});
afterEach(async () => emu.close());

describe('azure-devops-node-api against the emulator', () => {
  it('lists service endpoints with filters and reads details; an unknown id gives null', async () => {
    const se = await api.getServiceEndpointApi();
    const all = await se.getServiceEndpoints('Payments');
    expect(all.map((e) => e.name)).toContain('sc-prod');
    expect(all.map((e) => e.name)).not.toContain('sc-failed-secret');
    const withFailed = await se.getServiceEndpoints('Payments', 'azurerm', ['ServicePrincipal'], undefined, undefined, true, undefined, 2);
    expect(withFailed.map((e) => e.name)).toContain('sc-failed-secret');
    const prod = all.find((e) => e.name === 'sc-prod');
    const details = await se.getServiceEndpointDetails('Payments', prod?.id ?? '');
    expect(details.authorization?.parameters?.serviceprincipalkey).toBeNull();
    expect(details.creationDate).toBeInstanceOf(Date);
    expect(await se.getServiceEndpointDetails('Payments', '00000000-0000-0000-0000-000000000009')).toBeNull();
    const byNames = await se.getServiceEndpointsByNames('Payments', ['sc-prod', 'sc prod — Zürich 🚀']);
    expect(byNames).toHaveLength(2);
  });

  it('sends what the facts say: discovery first, then Accept-header versions', async () => {
    const se = await api.getServiceEndpointApi();
    await se.getServiceEndpoints('Payments');
    const log = emu.requests.entries().map((r) => `${r.method} ${r.path}`);
    expect(log.slice(0, 4)).toEqual([
      'OPTIONS /contoso/_apis/Location',
      'GET /contoso/_apis/ResourceAreas',
      'OPTIONS /contoso/_apis/serviceendpoint',
      'GET /contoso/Payments/_apis/serviceendpoint/endpoints',
    ]);
    expect(emu.requests.entries()[3]?.headers.accept).toBe('application/json;api-version=7.2-preview.4');
  });

  it('creates, updates, shares, pages history and deletes through the client', async () => {
    const se = await api.getServiceEndpointApi();
    const payments = seed.projects.find((p) => p.name === 'Payments');
    const platform = seed.projects.find((p) => p.name === 'Platform');
    const created = await se.createServiceEndpoint({
      name: 'client-made', type: 'generic', url: 'https://x.test',
      authorization: { scheme: 'UsernamePassword', parameters: { username: 'u', password: 'p' } },
      serviceEndpointProjectReferences: [{ projectReference: { id: payments?.id, name: 'Payments' }, name: 'client-made' }],
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    const updated = await se.updateServiceEndpoint({ ...created, description: 'via client' }, created.id ?? '');
    expect(updated.description).toBe('via client');
    await se.shareServiceEndpoint([{ projectReference: { id: platform?.id, name: 'Platform' }, name: 'client-made (shared)' }], created.id ?? '');
    expect((await se.getServiceEndpointDetails('Platform', created.id ?? '')).name).toBe('client-made (shared)');
    await se.deleteServiceEndpoint(created.id ?? '', [payments?.id ?? '', platform?.id ?? '']);
    expect(emu.state.endpoint(created.id ?? '')).toBeUndefined();

    const prodId = seed.endpoints.find((e) => e.name === 'sc-prod')?.id ?? '';
    const page = await se.getServiceEndpointExecutionRecords('Payments', prodId, 5);
    expect(page).toHaveLength(5);
    expect(page.continuationToken).toBe('26');
  });

  it('surfaces a conflict as a rejected promise with statusCode 409', async () => {
    const se = await api.getServiceEndpointApi();
    const payments = seed.projects.find((p) => p.name === 'Payments');
    const error = await se.createServiceEndpoint({
      name: 'sc-prod', type: 'generic',
      serviceEndpointProjectReferences: [{ projectReference: { id: payments?.id }, name: 'sc-prod' }],
    }).catch((e: unknown) => e as { statusCode: number; message: string });
    expect(error).toMatchObject({ statusCode: 409 });
  });

  it('answers WebApi.connect() with connectionData', async () => {
    const data = await api.connect();
    expect(data.authenticatedUser?.providerDisplayName).toBe('Emulator User');
    expect(data.instanceId).toBe(seed.organizationId);
  });

  it('lists projects through getCoreApi().getProjects()', async () => {
    const core = await api.getCoreApi();
    const projects = await core.getProjects();
    expect(projects.map((p) => p.name)).toEqual(['Payments', 'Platform', 'Data Science']);
    expect((await core.getProjects(undefined, 1, 1)).map((p) => p.name)).toEqual(['Platform']);
  });
});
