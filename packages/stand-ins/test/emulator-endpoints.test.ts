import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../src/wire/service-endpoint';
import {
  callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator, type Seed,
} from '../src/index';

type List = { count: number; value: ServiceEndpoint[] };
let emu: DevOpsEmulator;
let seed: Seed;

const idOf = (name: string): string => {
  const found = seed.endpoints.find((e) => e.name === name);
  if (!found) throw new Error(`no seed endpoint ${name}`);
  return found.id;
};
const projectId = (name: string): string => seed.projects.find((p) => p.name === name)?.id ?? '';
const call = <T = unknown>(path: string, options?: Parameters<typeof callEmulator>[2]) => callEmulator<T>(emu.orgUrl, path, options);
const names = (list: List): string[] => list.value.map((e) => e.name).sort();

beforeEach(async () => {
  seed = await loadSeed(DEMO_SEED_PATH, new ManualClock());
  emu = await startDevOpsEmulator({ seed, clock: new ManualClock() });
});
afterEach(async () => emu.close());

describe('listing endpoints', () => {
  it('wraps the list and hides failed connections unless includeFailed=true', async () => {
    const visible = await call<List>('/Payments/_apis/serviceendpoint/endpoints');
    expect(visible.status).toBe(200);
    expect(visible.body.count).toBe(visible.body.value.length);
    expect(names(visible.body)).not.toContain('sc-failed-secret');
    expect(names(visible.body)).toContain('sc-prod');
    const all = await call<List>('/Payments/_apis/serviceendpoint/endpoints?includeFailed=true');
    const failed = all.body.value.find((e) => e.name === 'sc-failed-secret');
    expect(failed?.isReady).toBe(false);
    expect(failed?.operationStatus?.state).toBe('Failed');
    expect(failed?.operationStatus?.statusMessage).toMatch(/AADSTS7000222/);
  });

  it('shows in-progress connections (they are not failed)', async () => {
    const list = await call<List>('/Data Science/_apis/serviceendpoint/endpoints');
    const provisioning = list.body.value.find((e) => e.name === 'sc-provisioning');
    expect(provisioning?.isReady).toBe(false);
    expect(provisioning?.operationStatus?.state).toBe('InProgress');
  });

  it('filters by type, comma-listed authSchemes and endpointIds, owner and names', async () => {
    const github = await call<List>('/Payments/_apis/serviceendpoint/endpoints?type=GitHub');
    expect(names(github.body)).toEqual(['github-oauth']);
    const schemes = await call<List>(`/Platform/_apis/serviceendpoint/endpoints?authSchemes=${encodeURIComponent('ManagedServiceIdentity,PersonalAccessToken')}`);
    expect(names(schemes.body)).toEqual(['github-contoso', 'sc-msi']);
    const ids = await call<List>(`/Payments/_apis/serviceendpoint/endpoints?endpointIds=${idOf('sc-prod')}%2C${idOf('sc-dev')}`);
    expect(names(ids.body)).toEqual(['sc-dev', 'sc-prod']);
    const owned = await call<List>('/Payments/_apis/serviceendpoint/endpoints?owner=agentcloud');
    expect(owned.body.count).toBe(0);
    const byName = await call<List>(`/Payments/_apis/serviceendpoint/endpoints?endpointNames=${encodeURIComponent('SC-PROD,sc prod — Zürich 🚀,nope')}`);
    expect(names(byName.body)).toEqual(['sc prod — Zürich 🚀', 'sc-prod']);
  });

  it('accepts actionFilter by name or number and refuses nonsense', async () => {
    for (const filter of ['manage', 'Manage', '2', 'use', '16', 'view', 'none']) {
      expect((await call(`/Payments/_apis/serviceendpoint/endpoints?actionFilter=${filter}`)).status).toBe(200);
    }
    expect((await call('/Payments/_apis/serviceendpoint/endpoints?actionFilter=bogus')).status).toBe(400);
  });

  it('routes case-insensitively and takes the project by name or id', async () => {
    const upperOrg = emu.orgUrl.replace(/contoso$/, 'CONTOSO');
    const byName = await callEmulator<List>(upperOrg, '/payments/_APIS/serviceEndpoint/Endpoints');
    const byId = await call<List>(`/${projectId('Payments')}/_apis/serviceendpoint/endpoints`);
    expect(byName.status).toBe(200);
    expect(names(byId.body)).toEqual(names(byName.body));
  });

  it('answers an unknown project with VS800075', async () => {
    const res = await call<{ message: string }>('/Nope/_apis/serviceendpoint/endpoints');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^VS800075/);
  });

  it('never returns a secret value, anywhere', async () => {
    const texts: string[] = [];
    for (const project of seed.projects) {
      const list = await call<List>(`/${encodeURIComponent(project.name)}/_apis/serviceendpoint/endpoints?includeFailed=true`);
      texts.push(list.text);
      for (const e of list.body.value) texts.push((await call(`/${project.id}/_apis/serviceendpoint/endpoints/${e.id}`)).text);
    }
    expect(texts.join('\n')).not.toContain('SEEDSECRET-');
    const prod = await call<ServiceEndpoint>(`/Payments/_apis/serviceendpoint/endpoints/${idOf('sc-prod')}`);
    expect(prod.body.authorization?.parameters?.serviceprincipalkey).toBeNull();
  });
});

describe('endpoint details', () => {
  it('returns 200 with a null body for an unknown id', async () => {
    const res = await call('/Payments/_apis/serviceendpoint/endpoints/00000000-0000-0000-0000-000000000001');
    expect(res.status).toBe(200);
    expect(res.body).toBeNull();
  });

  it('shows a shared connection under each project\'s own name', async () => {
    const id = idOf('sc-shared-registry');
    const inPayments = await call<ServiceEndpoint>(`/Payments/_apis/serviceendpoint/endpoints/${id}`);
    const inPlatform = await call<ServiceEndpoint>(`/Platform/_apis/serviceendpoint/endpoints/${id}`);
    expect(inPayments.body.name).toBe('sc-shared-registry');
    expect(inPlatform.body.name).toBe('registry (from Payments)');
    expect(inPlatform.body.isShared).toBe(true);
    expect(inPlatform.body.serviceEndpointProjectReferences).toHaveLength(2);
  });

  it('does not show a connection through a project it is not in', async () => {
    const res = await call(`/Platform/_apis/serviceendpoint/endpoints/${idOf('sc-prod')}`);
    expect(res.body).toBeNull();
  });
});

describe('execution history', () => {
  it('pages newest first with top and x-ms-continuationtoken', async () => {
    const id = idOf('sc-prod');
    type Page = { count: number; value: { endpointId: string; data: { id: number } }[] };
    const first = await call<Page>(`/Payments/_apis/serviceendpoint/${id}/executionhistory?top=10`, { version: '7.2-preview.1' });
    expect(first.body.value.map((r) => r.data.id)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21]);
    expect(first.body.value[0]?.endpointId).toBe(id);
    const token = first.headers.get('x-ms-continuationtoken');
    expect(token).toBe('21');
    const seen = [...first.body.value];
    let next = token;
    while (next) {
      const page = await call<Page>(`/Payments/_apis/serviceendpoint/${id}/executionhistory?top=10&continuationToken=${next}`);
      seen.push(...page.body.value);
      next = page.headers.get('x-ms-continuationtoken');
    }
    expect(seen.map((r) => r.data.id)).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
  });

  it('is empty for a connection with no history or an unknown id', async () => {
    const res = await call<{ count: number }>(`/Payments/_apis/serviceendpoint/${idOf('sc-dev')}/executionhistory`);
    expect(res.body).toEqual({ count: 0, value: [] });
    expect(res.headers.get('x-ms-continuationtoken')).toBeNull();
  });
});

describe('projects and types', () => {
  it('lists projects and gets one by name', async () => {
    const list = await call<{ count: number; value: { name: string; state: string }[] }>('/_apis/projects');
    expect(list.body.value.map((p) => p.name)).toEqual(['Payments', 'Platform', 'Data Science']);
    expect(list.body.value[0]?.state).toBe('wellFormed');
    const one = await call<{ id: string }>('/_apis/projects/platform');
    expect(one.body.id).toBe(projectId('Platform'));
    expect((await call('/_apis/projects/missing')).status).toBe(404);
  });

  it('serves the type catalogue with type and scheme filters, and the filtered POST', async () => {
    const azurerm = await call<{ value: { name: string }[] }>('/_apis/serviceendpoint/types?type=AzureRM&scheme=WorkloadIdentityFederation', { version: '7.2-preview.1' });
    expect(azurerm.body.value.map((t) => t.name)).toEqual(['azurerm']);
    const filtered = await call<{ value: { name: string }[] }>('/_apis/serviceendpoint/types', { method: 'POST', body: ['github', 'generic'], version: '7.2-preview.1' });
    expect(filtered.body.value.map((t) => t.name)).toEqual(['github', 'generic']);
  });
});
