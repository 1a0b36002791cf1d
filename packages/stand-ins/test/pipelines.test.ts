// Pipelines as connections need them: definitions to name users of a connection, pipelinePermissions (current API)
// and build authorizedresources (what the Azure CLI's --enable-for-all calls), one store behind both.
import { getBearerHandler, WebApi } from 'azure-devops-node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator, type ServiceEndpoint } from '../src/index';

interface Grant { authorized: boolean; authorizedBy: { displayName?: string }; authorizedOn: string }
interface Permissions { resource: { type: string; id: string }; allPipelines?: Grant; pipelines: Array<Grant & { id: number }> }
interface Wrapped<T> { count: number; value: T[] }

let emu: DevOpsEmulator;
const byName = (name: string) => emu.state.endpoints().find((e) => e.name === name) as ServiceEndpoint;
const permissionsPath = (project: string, id: string) => `/${project}/_apis/pipelines/pipelinePermissions/endpoint/${id}`;
const call = <T>(path: string, options?: Parameters<typeof callEmulator>[2]) => callEmulator<T>(emu.orgUrl, path, { version: '7.1-preview.1', ...options });

beforeEach(async () => {
  const clock = new ManualClock();
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock });
});
afterEach(async () => emu.close());

describe('pipeline definitions', () => {
  it('lists and gets build definitions and pipelines, and execution records point at them', async () => {
    const defs = await call<Wrapped<{ id: number; name: string; project: { name: string } }>>('/Payments/_apis/build/definitions', { version: '7.2-preview.7' });
    expect(defs.body.value.map((d) => d.name)).toEqual(['payments-ci', 'payments-deploy', 'infra-plan', 'nightly']);
    expect(defs.body.value[0]?.project.name).toBe('Payments');
    const history = await call<Wrapped<{ data: { definition: { id: number } } }>>(`/Payments/_apis/serviceendpoint/${byName('sc-prod').id}/executionhistory`);
    const used = new Set(history.body.value.map((r) => r.data.definition.id));
    for (const id of used) expect(defs.body.value.some((d) => d.id === id)).toBe(true);
    const pipelines = await call<Wrapped<{ id: number; name: string; folder: string }>>('/Payments/_apis/pipelines');
    expect(pipelines.body.value.find((p) => p.id === 12)).toMatchObject({ name: 'infra-plan', folder: '\\infra' });
    expect((await call<{ name: string }>('/Payments/_apis/pipelines/11')).body.name).toBe('payments-deploy');
    expect((await call<{ typeKey: string }>('/Payments/_apis/build/definitions/999', { version: '7.2-preview.7' })).status).toBe(404);
  });

  it('is what the real node client reads, found through ResourceAreas', async () => {
    const api = new WebApi(emu.orgUrl, getBearerHandler('token'));
    const build = await api.getBuildApi();
    const defs = await build.getDefinitions('Payments', 'nightly');
    expect(defs.map((d) => d.id)).toEqual([13]);
    const open = await build.getProjectResources('Payments', 'endpoint');
    expect(open.map((r) => r.name).sort()).toEqual(['sc-staging', 'sc-wif-legacy']);
  });
});

describe('pipelinePermissions', () => {
  it('answers the seeded grants; allPipelines is absent when open access is off', async () => {
    const prod = await call<Permissions>(permissionsPath('Payments', byName('sc-prod').id));
    expect(prod.status).toBe(200);
    expect(prod.body.resource).toEqual({ type: 'endpoint', id: byName('sc-prod').id });
    expect(prod.body.pipelines.map((p) => p.id)).toEqual([10, 11, 12, 13]);
    expect('allPipelines' in prod.body).toBe(false);
    const staging = await call<Permissions>(permissionsPath('Payments', byName('sc-staging').id));
    expect(staging.body.allPipelines?.authorized).toBe(true);
  });

  it('PATCH changes only what it names, and closes open access', async () => {
    const id = byName('sc-staging').id;
    const body = { resource: { type: 'endpoint', id }, allPipelines: { authorized: false }, pipelines: [{ id: 10, authorized: true }] };
    const patched = await call<Permissions>(permissionsPath('Payments', id), { method: 'PATCH', body });
    expect(patched.body.pipelines.map((p) => p.id)).toEqual([10]);
    expect(patched.body.pipelines[0]?.authorizedBy.displayName).toBe('Emulator User');
    expect(patched.body.allPipelines).toBeUndefined();
    await call(permissionsPath('Payments', id), { method: 'PATCH', body: { pipelines: [{ id: 11, authorized: true }] } });
    const after = await call<Permissions>(permissionsPath('Payments', id));
    expect(after.body.pipelines.map((p) => p.id)).toEqual([10, 11]);
    await call(permissionsPath('Payments', id), { method: 'PATCH', body: { pipelines: [{ id: 10, authorized: false }] } });
    expect((await call<Permissions>(permissionsPath('Payments', id))).body.pipelines.map((p) => p.id)).toEqual([11]);
  });

  it('batch PATCH answers a wrapped list, one per resource', async () => {
    const ids = [byName('sc-prod').id, byName('sc-dev').id];
    const body = ids.map((id) => ({ resource: { type: 'endpoint', id }, allPipelines: { authorized: true } }));
    const res = await call<Wrapped<Permissions>>('/Payments/_apis/pipelines/pipelinePermissions', { method: 'PATCH', body });
    expect(res.body.count).toBe(2);
    expect(res.body.value.map((p) => p.allPipelines?.authorized)).toEqual([true, true]);
  });

  it('refuses a connection that is not in the project', async () => {
    const res = await call<{ typeKey: string }>(permissionsPath('Platform', byName('sc-prod').id));
    expect(res.status).toBe(404);
  });
});

describe('build authorizedresources (older API, same store)', () => {
  it('PATCH [{authorized, id, name, type}] opens a connection to all pipelines, as pipelinePermissions then shows', async () => {
    const dev = byName('sc-dev');
    const res = await call<Wrapped<{ authorized: boolean; id: string }>>('/Payments/_apis/build/authorizedresources', {
      method: 'PATCH', version: '5.0-preview.1', body: [{ authorized: true, id: dev.id, name: dev.name, type: 'endpoint' }],
    });
    expect(res.body.value).toEqual([{ authorized: true, id: dev.id, name: 'sc-dev', type: 'endpoint' }]);
    const read = await call<Wrapped<{ id: string }>>(`/Payments/_apis/build/authorizedresources?type=endpoint&id=${dev.id}`, { version: '5.0-preview.1' });
    expect(read.body.value.map((r) => r.id)).toEqual([dev.id.toLowerCase()]);
    expect((await call<Permissions>(permissionsPath('Payments', dev.id))).body.allPipelines?.authorized).toBe(true);
  });
});
