// The Graph and ARM stand-ins inside the local cloud: an app upserted under a client-set alternate key (Graph's
// `uniqueName`, "Upsert application"), read back by it, its owners listed; and the fault that lets a write commit
// and then loses its answer, on Graph and on ARM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, startLocalCloud, type LocalCloud } from '../src/index';
import { callHttps, type HttpsJsonReply } from '../src/test-kit';

const SUB = '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';
let cloud: LocalCloud;
const tokens: Record<string, string> = {};

function call(base: string, method: string, path: string, options: { body?: unknown; token: string; prefer?: string }): Promise<HttpsJsonReply> {
  return callHttps(`${base}${path}`, { method, ca: cloud.trust.caCertificatePem, token: options.token, body: options.body, ...(options.prefer ? { headers: { prefer: options.prefer } } : {}) });
}

const graph = (method: string, path: string, options: { body?: unknown; prefer?: string } = {}) => call(cloud.graphUrl, method, path, { ...options, token: tokens.graph ?? '' });
const arm = (method: string, path: string, body?: unknown) => call(cloud.armUrl, method, path, { body, token: tokens.arm ?? '' });

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: await loadSeed(DEMO_SEED_PATH) });
  tokens.graph = await tokenOver('https://graph.microsoft.com/.default');
  tokens.arm = await tokenOver('https://management.azure.com/.default');
});
afterAll(async () => cloud.close());

/** A client-credentials token for the bot from the Entra stand-in. */
async function tokenOver(scope: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: cloud.bot.appId, client_secret: cloud.bot.clientSecret, scope });
  return String((await callHttps(`${cloud.entra.authorityHost}/${cloud.bot.tenantId}/oauth2/v2.0/token`, { method: 'POST', ca: cloud.trust.caCertificatePem, form })).body.access_token);
}

describe('Graph: applications by alternate key (uniqueName)', () => {
  const key = 'stand-in-key-0001';
  const byKey = `/v1.0/applications(uniqueName='${key}')`;

  it('upserts: 201 and the app when the key names none (the caller its one owner), 204 after that; 404 without Prefer', async () => {
    expect(await graph('PATCH', "/v1.0/applications(uniqueName='no-such-key-0001')", { body: { displayName: 'x' } })).toMatchObject({ status: 404 });
    const made = await graph('PATCH', byKey, { body: { displayName: 'keyed', signInAudience: 'AzureADMyOrg' }, prefer: 'create-if-missing' });
    expect(made).toMatchObject({ status: 201, body: { uniqueName: key, displayName: 'keyed', signInAudience: 'AzureADMyOrg' } });
    cloud.graph.registry.updateApplication(String(made.body.appId), { signInAudience: 'AzureADMultipleOrgs' });
    expect((await graph('PATCH', byKey, { body: { displayName: 'keyed', signInAudience: 'AzureADMyOrg' }, prefer: 'create-if-missing' })).status).toBe(204);
    expect(cloud.graph.registry.listApplications().filter((a) => a.uniqueName === key)).toHaveLength(1);
    const read = await graph('GET', byKey);
    expect(read.body).toMatchObject({ id: made.body.id, appId: made.body.appId, uniqueName: key, signInAudience: 'AzureADMyOrg' });
    const owners = await graph('GET', `/v1.0/applications/${String(made.body.id)}/owners`);
    expect(owners.body.value).toEqual([{ '@odata.type': '#microsoft.graph.servicePrincipal', id: cloud.bot.servicePrincipalId.toLowerCase() }]);
  });

  it('refuses a key taken by another (POST 409), and an upsert of an app the caller does not own (403)', async () => {
    cloud.graph.registry.createApplication({ displayName: 'theirs', uniqueName: 'their-key-000001', ownerId: 'e0000000-0000-4000-8000-0000000000ee' });
    expect(await graph('POST', '/v1.0/applications', { body: { displayName: 'mine', uniqueName: 'their-key-000001' } })).toMatchObject({ status: 409 });
    expect(await graph('PATCH', "/v1.0/applications(uniqueName='their-key-000001')", { body: { displayName: 'mine' }, prefer: 'create-if-missing' })).toMatchObject({ status: 403 });
    expect(cloud.graph.registry.getByUniqueName('their-key-000001')?.displayName).toBe('theirs');
  });
});

describe('an answer lost after the write committed', () => {
  it('Graph: the app is made, the caller sees a reset connection; then a gateway error instead of a 204', async () => {
    cloud.graph.loseAnswer({ method: 'PATCH', path: /uniqueName/ });
    await expect(graph('PATCH', "/v1.0/applications(uniqueName='lost-key-000001')", { body: { displayName: 'lost' }, prefer: 'create-if-missing' })).rejects.toThrow();
    expect(cloud.graph.registry.getByUniqueName('lost-key-000001')).not.toBeNull();
    cloud.graph.loseAnswer({ method: 'PATCH', path: /uniqueName/ }, { status: 504 });
    expect((await graph('PATCH', "/v1.0/applications(uniqueName='lost-key-000001')", { body: { displayName: 'renamed' }, prefer: 'create-if-missing' })).status).toBe(504);
    expect(cloud.graph.registry.getByUniqueName('lost-key-000001')?.displayName).toBe('renamed');
  });

  it('ARM: the role assignment is made, the caller sees a 504; only the matching request is hit, once', async () => {
    const path = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d?api-version=2022-04-01`;
    cloud.arm.loseAnswer({ method: 'PUT', path: /roleAssignments\// }, { status: 504 });
    const body = { properties: { roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`, principalId: 'c0ffee00-0000-4000-8000-000000000009' } };
    expect((await arm('GET', path)).status).toBe(404);
    expect((await arm('PUT', path, body)).status).toBe(504);
    expect(cloud.arm.store.roleAssignments.filter((r) => r.name === '4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d')).toHaveLength(1);
    expect((await arm('GET', path)).status).toBe(200);
  });
});
