import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator,
} from '../src/index';

type VssBody = Record<string, unknown> & { message: string; typeKey: string };
let emu: DevOpsEmulator;
const call = <T = VssBody>(path: string, options?: Parameters<typeof callEmulator>[2]) => callEmulator<T>(emu.orgUrl, path, options);
const newEndpoint = { name: 'v', type: 'generic', serviceEndpointProjectReferences: [{ projectReference: { id: '', name: 'Payments' }, name: 'v' }] };

async function start(authorize?: (header: string | undefined) => boolean): Promise<void> {
  const clock = new ManualClock();
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock, authorize });
}

beforeEach(async () => start());
afterEach(async () => emu.close());

describe('api-version', () => {
  it('reads the version from the Accept header as the node client sends it', async () => {
    const res = await call('/_apis/serviceendpoint/endpoints', {
      method: 'POST', version: null, body: newEndpoint, headers: { Accept: 'application/json;api-version=7.2-preview.4' },
    });
    expect(res.status).toBe(200);
  });

  it('refuses a write without a version with the VSS error shape', async () => {
    const res = await call('/_apis/serviceendpoint/endpoints', { method: 'POST', version: null, body: newEndpoint });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body).sort()).toEqual(['$id', 'errorCode', 'eventId', 'innerException', 'message', 'typeKey', 'typeName']);
    expect(res.body.typeKey).toBe('VssVersionNotSpecifiedException');
    expect(res.body.eventId).toBe(3000);
    expect(res.body.message).toMatch(/^No api-version was supplied for the "POST" request/);
  });

  it('lets a GET without a version through', async () => {
    expect((await call('/Payments/_apis/serviceendpoint/endpoints', { version: null })).status).toBe(200);
  });

  it('refuses a version newer than the server and a 7.2 without -preview', async () => {
    const tooNew = await call('/Payments/_apis/serviceendpoint/endpoints', { version: '8.0' });
    expect(tooNew.status).toBe(400);
    expect(tooNew.body.typeKey).toBe('VssVersionOutOfRangeException');
    expect(tooNew.body.message).toMatch(/latest REST API version this server supports is 7\.2/);
    const preview = await call('/Payments/_apis/serviceendpoint/endpoints', { version: '7.2' });
    expect(preview.status).toBe(400);
    expect(preview.body.message).toMatch(/under preview/);
  });

  it('accepts old and current versions', async () => {
    for (const version of ['4.1-preview.1', '5.1-preview.2', '6.0-preview.4', '7.1', '7.1-preview.4', '7.2-preview.4']) {
      expect((await call('/Payments/_apis/serviceendpoint/endpoints', { version })).status).toBe(200);
    }
  });
});

describe('authentication', () => {
  it('answers 401 TF400813 without a Bearer or Basic header', async () => {
    for (const auth of [null, 'Token abc', 'Bearer']) {
      const res = await call('/Payments/_apis/serviceendpoint/endpoints', { auth });
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/^TF400813/);
    }
    expect((await call('/Payments/_apis/serviceendpoint/endpoints', { auth: `Basic ${Buffer.from(':pat').toString('base64')}` })).status).toBe(200);
  });

  it('consults the authorize hook: 401 with X-TFS-FedAuthRedirect: Suppress (or on PATCH), else the 203 sign-in page', async () => {
    await emu.close();
    await start((header) => header === 'Bearer good');
    const suppress = { 'X-TFS-FedAuthRedirect': 'Suppress' };
    expect((await call('/_apis/projects', { auth: 'Bearer bad', headers: suppress })).status).toBe(401);
    const signIn = await call('/_apis/projects', { auth: 'Bearer bad' });
    expect(signIn.status).toBe(203);
    expect(signIn.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await call('/_apis/serviceendpoint/endpoints/x', { method: 'PATCH', body: [], auth: 'Bearer bad' })).status).toBe(401);
    expect((await call('/_apis/projects', { auth: 'Bearer good' })).status).toBe(200);
  });
});

describe('discovery', () => {
  it('serves the location tables and resource areas the client reads', async () => {
    type Locations = { value: { id: string; routeTemplate: string; maxVersion: string; releasedVersion: string }[] };
    const se = await call<Locations>('/_apis/serviceendpoint', { method: 'OPTIONS', version: null });
    expect(se.body.value.map((l) => l.id)).toContain('e85f1c62-adfc-4b74-b618-11a150fb195e');
    const location = await call<Locations>('/_apis/Location', { method: 'OPTIONS', version: null });
    expect(location.body.value[0]?.id).toBe('e81700f7-3be2-46de-8624-2eb35882fcaa');
    const core = await call<Locations>('/_apis/core', { method: 'OPTIONS', version: null });
    expect(core.body.value[0]?.id).toBe('603fe2ac-9723-48b9-88ad-09305aa6c6e1');
    const areas = await call<{ value: { id: string; locationUrl: string }[] }>('/_apis/ResourceAreas', { version: '7.2-preview.1' });
    expect(areas.body.value.find((a) => a.id === '1814ab31-2f4f-4a9f-8761-f4d77dc5a5d7')?.locationUrl).toBe(`${emu.orgUrl}/`);
  });

  it('answers 404 for an unknown organization or route', async () => {
    expect((await callEmulator(emu.orgUrl.replace(/contoso$/, 'other'), '/_apis/projects')).status).toBe(404);
    expect((await call('/_apis/serviceendpoint/nothing/here')).status).toBe(404);
  });
});

describe('request log', () => {
  it('records method, path, query, body and headers without Authorization, and clears', async () => {
    emu.requests.clear();
    await call('/_apis/serviceendpoint/endpoints/abc?projectIds=p1', { method: 'DELETE', headers: { 'X-Test': 'yes' } });
    const [entry] = emu.requests.entries();
    expect(entry?.method).toBe('DELETE');
    expect(entry?.path).toBe('/contoso/_apis/serviceendpoint/endpoints/abc');
    expect(entry?.query).toEqual({ projectIds: 'p1', 'api-version': '7.2-preview.4' });
    expect(entry?.headers['x-test']).toBe('yes');
    expect(entry?.headers).not.toHaveProperty('authorization');
    await call('/_apis/serviceendpoint/endpoints', { method: 'POST', body: newEndpoint });
    expect(emu.requests.entries()[1]?.body).toEqual(newEndpoint);
    emu.requests.clear();
    expect(emu.requests.entries()).toEqual([]);
  });
});
