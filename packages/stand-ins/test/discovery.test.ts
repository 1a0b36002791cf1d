// Discovery the way every official client does it, not only azure-devops-node-api: the org-wide location table
// (Python client / Azure CLI), per-area tables (node client), ResourceAreas, unserved routes and old api-versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator } from '../src/index';

interface Location { id: string; area: string; resourceName: string; routeTemplate: string; resourceVersion: number; minVersion: string; maxVersion: string; releasedVersion: string }
interface Wrapped<T> { count: number; value: T[] }
type VssBody = { message: string; typeKey: string; typeName: string; eventId: number; $id: string };

let emu: DevOpsEmulator;
const options = (path: string) => callEmulator<Wrapped<Location>>(emu.orgUrl, path, { method: 'OPTIONS', version: null, headers: { Accept: 'application/json' } });

beforeAll(async () => {
  const clock = new ManualClock();
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock });
});
afterAll(async () => emu.close());

describe('the org-wide location table', () => {
  it('OPTIONS {org}/_apis answers every location, each exactly as its own area answers it', async () => {
    const all = await options('/_apis');
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(all.body.value.length);
    const areas = [...new Set(all.body.value.map((l) => l.area))];
    expect(areas).toEqual(expect.arrayContaining(['serviceendpoint', 'core', 'Location']));
    const perArea = (await Promise.all(areas.map((a) => options(`/_apis/${a}`)))).flatMap((r) => r.body.value);
    expect(perArea).toEqual(all.body.value);
  });

  it('allHostTypes=true answers the same table (every route lives on the organization host here)', async () => {
    const all = await options('/_apis');
    const hostTypes = await options('/_apis?allHostTypes=true');
    expect(hostTypes.status).toBe(200);
    expect(hostTypes.body).toEqual(all.body);
  });

  it('every location has a unique (id, route) and a version range that keeps the clients 7.2-preview requests', async () => {
    const { value } = (await options('/_apis')).body;
    expect(new Set(value.map((l) => `${l.id}|${l.routeTemplate}`)).size).toBe(value.length);
    for (const l of value) {
      expect(l.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(l).toMatchObject({ maxVersion: '7.2', releasedVersion: '7.1' });
      expect(Number(l.minVersion)).toBeLessThanOrEqual(3.2);
      expect(l.routeTemplate).toContain('_apis/');
    }
  });
});

describe('ResourceAreas', () => {
  it('lists every area with a location (securityroles aside: clients call it on the organization URL)', async () => {
    const { value } = (await options('/_apis')).body;
    const res = await callEmulator<Wrapped<{ id: string; name: string; locationUrl: string }>>(emu.orgUrl, '/_apis/ResourceAreas', { version: '7.2-preview.1' });
    const names = res.body.value.map((a) => a.name.toLowerCase());
    for (const area of new Set(value.map((l) => l.area.toLowerCase()))) {
      if (area !== 'securityroles') expect(names).toContain(area);
    }
    expect(res.body.value.every((a) => a.locationUrl === `${emu.orgUrl}/`)).toBe(true);
  });

  it('answers one area by id, and the VSS error for an unknown one', async () => {
    const one = await callEmulator<{ name: string }>(emu.orgUrl, '/_apis/ResourceAreas/1814ab31-2f4f-4a9f-8761-f4d77dc5a5d7', { version: '7.2-preview.1' });
    expect(one.body.name).toBe('serviceendpoint');
    const unknown = await callEmulator<VssBody>(emu.orgUrl, '/_apis/ResourceAreas/00000000-0000-0000-0000-000000000001', { version: '7.2-preview.1' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.typeKey).toBe('ResourceAreaNotFoundException');
  });
});

describe('routes nobody serves', () => {
  it.each([
    ['GET', '/_apis/serviceendpoint/nothing/here'],
    ['GET', '/_apis/wit/workitems/1'],
    ['OPTIONS', '/_apis/wit'],
    ['GET', '/Payments/_apis/git/repositories'],
    ['GET', '/'],
  ])('%s %s answers a wrapped 404, never an HTML page', async (method, path) => {
    const url = path === '/' ? `${new URL(emu.orgUrl).origin}` : emu.orgUrl;
    const res = await callEmulator<VssBody>(url, path === '/' ? '/' : path, { method, version: null });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ $id: '1', typeKey: 'HttpException', eventId: 0 });
    expect(res.body.message).toMatch(/^The controller for path '.*' was not found or does not implement IController\.$/);
  });
});

describe('old api-versions', () => {
  it.each(['4.1-preview.1', '5.0-preview.2', '5.1-preview.2', '6.0-preview.4', '7.0', '7.1', '7.1-preview.4', '7.2-preview.4'])(
    'lists connections at %s', async (version) => {
      const res = await callEmulator<Wrapped<unknown>>(emu.orgUrl, '/Payments/_apis/serviceendpoint/endpoints', { version });
      expect(res.status).toBe(200);
      expect(res.body.count).toBeGreaterThan(0);
    });

  it('still refuses a preview-only version without -preview, and one newer than the server', async () => {
    expect((await callEmulator<VssBody>(emu.orgUrl, '/Payments/_apis/serviceendpoint/endpoints', { version: '7.2' })).body.typeKey).toBe('VssInvalidPreviewVersionException');
    expect((await callEmulator<VssBody>(emu.orgUrl, '/Payments/_apis/serviceendpoint/endpoints', { version: '8.0-preview.1' })).body.typeKey).toBe('VssVersionOutOfRangeException');
  });
});
