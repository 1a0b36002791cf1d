// The ARM stand-in inside the local cloud: a user-assigned managed identity gets a federated credential and a role
// assignment over https with a management-audience token from the Entra stand-in — the order the docs give for a
// connection backed by a managed identity.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, startLocalCloud, type LocalCloud } from '../src/index';
import { callHttps, type HttpsJsonReply } from '../src/test-kit';

const SUB = '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';
const IDENTITY = `/subscriptions/${SUB}/resourceGroups/rg-payments-deploy/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-payments-deploy`;
const MSI = '?api-version=2023-01-31';
const RBAC = '?api-version=2022-04-01';
let cloud: LocalCloud;
let token = '';

function call(method: string, path: string, body?: unknown, bearer = token): Promise<HttpsJsonReply> {
  return callHttps(`${cloud.armUrl}${path}`, { method, ca: cloud.trust.caCertificatePem, token: bearer, body });
}

async function armToken(): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: cloud.bot.appId, client_secret: cloud.bot.clientSecret, scope: 'https://management.azure.com/.default' });
  const url = new URL(`${cloud.entra.authorityHost}/${cloud.bot.tenantId}/oauth2/v2.0/token`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca: cloud.trust.caCertificatePem, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve(String((JSON.parse(text) as { access_token?: string }).access_token)));
    });
    req.on('error', reject);
    req.end(form.toString());
  });
}

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: await loadSeed(DEMO_SEED_PATH) });
  token = await armToken();
});
afterAll(async () => cloud.close());

describe('ARM stand-in', () => {
  it('answers the seeded managed identity, and refuses a token for another audience', async () => {
    const res = await call('GET', `${IDENTITY}${MSI}`);
    expect(res.status).toBe(200);
    expect(res.body.properties).toMatchObject({ clientId: '6c2d9e4f-8a1b-4c3d-9e5f-7a0b1c2d3e4f', principalId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', tenantId: cloud.bot.tenantId });
    expect((await call('GET', `${IDENTITY}${MSI}`, undefined, 'forged')).status).toBe(401);
    expect((await call('GET', `${IDENTITY.replace('id-payments-deploy', 'nope')}${MSI}`)).body.error?.code).toBe('ResourceNotFound');
    expect((await call('GET', IDENTITY)).body.error?.code).toBe('MissingApiVersionParameter');
  });

  it('creates, lists and deletes federated identity credentials on the identity', async () => {
    const fic = { properties: { issuer: 'https://login.microsoftonline.com/t/v2.0', subject: '/eid1/c/pub/t/x/a/y/sc/org/conn', audiences: ['api://AzureADTokenExchange'] } };
    const created = await call('PUT', `${IDENTITY}/federatedIdentityCredentials/sc-conn${MSI}`, fic);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'sc-conn', properties: fic.properties });
    expect((await call('PUT', `${IDENTITY}/federatedIdentityCredentials/other${MSI}`, fic)).status).toBe(400);
    const list = await call('GET', `${IDENTITY}/federatedIdentityCredentials${MSI}`);
    // The demo seed's identity already trusts the old issuer for sc-wif-legacy-mi (the issuer move's ARM path).
    expect(list.body.value?.map((f) => f.name)).toEqual(['azdo-sc-wif-legacy-mi', 'sc-conn']);
    expect((await call('DELETE', `${IDENTITY}/federatedIdentityCredentials/sc-conn${MSI}`)).status).toBe(200);
    expect((await call('GET', `${IDENTITY}/federatedIdentityCredentials${MSI}`)).body.value?.map((f) => f.name)).toEqual(['azdo-sc-wif-legacy-mi']);
  });

  it('lists a subscription\'s user-assigned identities (List By Subscription), so a client id can be resolved', async () => {
    const listed = await call('GET', `/subscriptions/${SUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities${MSI}`);
    expect(listed.status).toBe(200);
    expect(listed.body.value?.map((i) => [i.name, (i as { properties?: { clientId?: string } }).properties?.clientId])).toEqual([['id-payments-deploy', '6c2d9e4f-8a1b-4c3d-9e5f-7a0b1c2d3e4f']]);
    const other = await call('GET', `/subscriptions/00000000-0000-4000-8000-000000000000/providers/Microsoft.ManagedIdentity/userAssignedIdentities${MSI}`);
    expect(other.body.value).toEqual([]);
  });

  it('creates role assignments, refuses a duplicate, filters by principal and deletes', async () => {
    const scope = `/subscriptions/${SUB}/resourceGroups/rg-payments`;
    const seeded = await call('GET', `${scope}/providers/Microsoft.Authorization/roleAssignments${RBAC}&$filter=principalId eq '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'`);
    expect(seeded.body.value).toHaveLength(1);
    const reader = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
    const body = { properties: { roleDefinitionId: reader, principalId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', principalType: 'ServicePrincipal' } };
    const path = `${scope}/providers/Microsoft.Authorization/roleAssignments/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e${RBAC}`;
    expect((await call('PUT', path, body)).status).toBe(201);
    expect((await call('PUT', path.replace('0b1c2d3e', '1b1c2d3e'), body)).body.error?.code).toBe('RoleAssignmentExists');
    expect((await call('GET', `${scope}/providers/Microsoft.Authorization/roleAssignments${RBAC}`)).body.value).toHaveLength(2);
    expect((await call('DELETE', path)).status).toBe(200);
    expect((await call('GET', path)).status).toBe(404);
  });
});
