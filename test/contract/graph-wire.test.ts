import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/time';
import { startLocalCloud, type LocalCloud } from '@scbot/stand-ins';
import { createCredential } from '../../src/identity/index';
import { APP_FOREIGN, APP_MANUAL, jsonCall, testSeed } from './graph-fixtures';

let cloud: LocalCloud;
let token: string;
let graphToken: string;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: testSeed(systemClock) });
  const credential = createCredential(cloud.identityConfig, { trust: cloud.trust });
  graphToken = (await credential.getToken('https://graph.microsoft.com/.default'))?.token ?? '';
  token = (await credential.getToken('499b84ac-1321-427f-aa17-267ca6975798/.default'))?.token ?? '';
});
afterAll(async () => cloud?.close());

const call = (path: string, options: { method?: string; body?: unknown; token?: string | null } = {}) =>
  jsonCall(`${cloud.graphUrl}${path}`, cloud.trust.caCertificatePem, { ...options, token: options.token === null ? undefined : options.token ?? graphToken });
const ficPath = `/v1.0/applications/${APP_MANUAL.objectId}/federatedIdentityCredentials`;
const fic = (i: number, extra: Record<string, unknown> = {}) => ({
  name: `fic-${i}`, issuer: 'https://token.actions.githubusercontent.com', subject: `repo:contoso/app:ref:refs/heads/b${i}`, audiences: ['api://AzureADTokenExchange'], ...extra,
});

describe('Graph stand-in on the wire', () => {
  it('wants a Graph token: none or another audience gets 401 InvalidAuthenticationToken', async () => {
    expect(await call(`/v1.0/applications/${APP_MANUAL.objectId}`, { token: null })).toMatchObject({ status: 401, body: { error: { code: 'InvalidAuthenticationToken' } } });
    const other = await call(`/v1.0/applications/${APP_MANUAL.objectId}`, { token });
    expect(other.status).toBe(401);
    expect(other.body).toMatchObject({ error: { code: 'InvalidAuthenticationToken', message: expect.any(String), innerError: { 'request-id': expect.any(String) } } });
  });

  it('finds an app by object id, by (appId=…) and by $filter, never showing secretText', async () => {
    const byId = await call(`/v1.0/applications/${APP_MANUAL.objectId}`);
    const byKey = await call(`/v1.0/applications(appId='${APP_MANUAL.appId}')`);
    const byFilter = await call(`/v1.0/applications?$filter=${encodeURIComponent(`appId eq '${APP_MANUAL.appId}'`)}`);
    expect(byId.status).toBe(200);
    expect(byKey.body.id).toBe(APP_MANUAL.objectId);
    expect((byFilter.body.value as unknown[])).toHaveLength(1);
    const passwords = byId.body.passwordCredentials as Array<Record<string, unknown>>;
    expect(passwords[0]).toMatchObject({ hint: 'SEE', secretText: null });
    expect(JSON.stringify([byId.body, byKey.body, byFilter.body])).not.toContain(APP_MANUAL.secret);
    // displayName eq '…' is served; other filters are refused.
    expect((await call(`/v1.0/applications?$filter=${encodeURIComponent("displayName eq 'x'")}`)).body).toMatchObject({ value: [] });
    expect((await call(`/v1.0/applications?$filter=${encodeURIComponent("startswith(displayName,'x')")}`)).body).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } });
  });

  it('filters by appId in (…) up to 15 values, and refuses a 16th as Graph does', async () => {
    const two = await call(`/v1.0/applications?$filter=${encodeURIComponent(`appId in ('${APP_MANUAL.appId}', '${APP_FOREIGN.appId}', 'd0000000-0000-4000-8000-0000000000ff')`)}`);
    expect((two.body.value as Array<{ appId: string }>).map((a) => a.appId).sort()).toEqual([APP_MANUAL.appId, APP_FOREIGN.appId].sort());
    const sixteen = Array.from({ length: 16 }, (_, i) => `'d0000000-0000-4000-8000-${String(i).padStart(12, '0')}'`).join(',');
    expect(await call(`/v1.0/applications?$filter=${encodeURIComponent(`appId in (${sixteen})`)}`)).toMatchObject({ status: 400, body: { error: { code: 'Request_UnsupportedQuery' } } });
  });

  it('answers a JSON batch with one response per request, each with its own status; throttled parts alone get 429 + Retry-After', async () => {
    const requests = [
      { id: 'a', method: 'GET', url: `/applications(appId='${APP_MANUAL.appId}')` },
      { id: 'b', method: 'GET', url: "applications(appId='d0000000-0000-4000-8000-0000000000ff')" },
      { id: 'c', method: 'GET', url: `/applications?$filter=${encodeURIComponent(`appId in ('${APP_FOREIGN.appId}')`)}` },
    ];
    const batch = await call('/v1.0/$batch', { method: 'POST', body: { requests } });
    expect(batch.status).toBe(200);
    const byId = new Map((batch.body.responses as Array<{ id: string; status: number; body: Record<string, unknown> }>).map((r) => [r.id, r]));
    expect(byId.get('a')).toMatchObject({ status: 200, body: { appId: APP_MANUAL.appId } });
    expect(byId.get('b')).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
    expect(byId.get('c')).toMatchObject({ status: 200, body: { value: [{ appId: APP_FOREIGN.appId }] } });
    cloud.graph.throttleBatchParts(1, 7);
    const throttled = (await call('/v1.0/$batch', { method: 'POST', body: { requests: requests.slice(0, 2) } })).body.responses as Array<{ id: string; status: number; headers: Record<string, string> }>;
    expect(throttled.map((r) => [r.id, r.status, r.headers['Retry-After']])).toEqual([['a', 429, '7'], ['b', 404, undefined]]);
  });

  it('refuses a batch of more than 20 requests, or one without requests, with 400', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: `/applications(appId='${APP_MANUAL.appId}')` }));
    expect(await call('/v1.0/$batch', { method: 'POST', body: { requests: many } })).toMatchObject({ status: 400, body: { error: { code: 'Request_BadRequest' } } });
    expect(await call('/v1.0/$batch', { method: 'POST', body: {} })).toMatchObject({ status: 400 });
  });

  it('addPassword defaults the end to two years after the start and returns secretText once', async () => {
    const added = await call(`/v1.0/applications/${APP_MANUAL.objectId}/addPassword`, { method: 'POST', body: { passwordCredential: { displayName: 'wire' } } });
    expect(added.status).toBe(200);
    const { secretText, hint, startDateTime, endDateTime, keyId } = added.body as Record<string, string>;
    expect(hint).toBe(secretText?.slice(0, 3));
    expect(Date.parse(endDateTime ?? '') - Date.parse(startDateTime ?? '')).toBe(2 * 365 * 86_400_000);
    expect(await call(`/v1.0/applications/${APP_MANUAL.objectId}/removePassword`, { method: 'POST', body: { keyId } })).toMatchObject({ status: 204 });
  });

  it('refuses writes by a non-owner with 403 Authorization_RequestDenied', async () => {
    const denied = await call(`/v1.0/applications/${APP_FOREIGN.objectId}/federatedIdentityCredentials`, { method: 'POST', body: fic(1) });
    expect(denied).toMatchObject({ status: 403, body: { error: { code: 'Authorization_RequestDenied' } } });
    expect(await call(`/v1.0/applications/${APP_FOREIGN.objectId}/addPassword`, { method: 'POST', body: {} })).toMatchObject({ status: 403 });
  });

  it('keeps issuer+subject unique and names unique, shaped as Graph errors', async () => {
    expect(await call(ficPath, { method: 'POST', body: fic(0) })).toMatchObject({ status: 201, body: { name: 'fic-0', audiences: ['api://AzureADTokenExchange'] } });
    const sameSubject = await call(ficPath, { method: 'POST', body: fic(0, { name: 'other-name' }) });
    expect(sameSubject).toMatchObject({ status: 400, body: { error: { code: 'Request_BadRequest', innerError: { date: expect.any(String) } } } });
    const sameName = await call(ficPath, { method: 'POST', body: fic(0, { subject: 'repo:contoso/app:environment:prod' }) });
    expect(sameName).toMatchObject({ status: 409, body: { error: { code: 'Request_MultipleObjectsWithSameKeyValue' } } });
    expect((await call(ficPath, { method: 'POST', body: fic(99, { name: 'x' }) })).status).toBe(400);
  });

  it('allows at most 20 federated credentials per app; get, list and delete by id or name', async () => {
    for (let i = 1; i < 20; i++) expect((await call(ficPath, { method: 'POST', body: fic(i) })).status).toBe(201);
    const over = await call(ficPath, { method: 'POST', body: fic(20) });
    expect(over).toMatchObject({ status: 400, body: { error: { code: 'Request_BadRequest', message: expect.stringContaining('20') } } });
    expect(((await call(ficPath)).body.value as unknown[])).toHaveLength(20);
    const one = await call(`${ficPath}/fic-3`);
    expect(one.body).toMatchObject({ name: 'fic-3', subject: 'repo:contoso/app:ref:refs/heads/b3' });
    expect((await call(`${ficPath}/${String(one.body.id)}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${ficPath}/fic-3`)).status).toBe(404);
    expect((await call(ficPath, { method: 'POST', body: fic(20) })).status).toBe(201);
  });
});
