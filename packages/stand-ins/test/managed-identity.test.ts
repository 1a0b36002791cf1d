import { ManagedIdentityCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEntraEmulator, type EntraEmulator } from '../src/entra/entra-emulator';

/**
 * App Service's managed identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER), as @azure/identity's
 * ManagedIdentityCredential calls it, for the user-assigned identities "this host" carries.
 */
const IDENTITY = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
let entra: EntraEmulator;
let endpoint = '';
let header = '';

beforeAll(async () => {
  entra = await startEntraEmulator({ applications: [{ appId: IDENTITY }], managedIdentities: [IDENTITY] });
  ({ endpoint, header } = entra.managedIdentity ?? { endpoint: '', header: '' });
});

afterAll(async () => {
  await entra?.close();
});

const ask = (query: string, secret = header) => fetch(`${endpoint}?${query}`, { headers: { 'X-IDENTITY-HEADER': secret } });

describe('the managed identity endpoint of the Entra stand-in', () => {
  it('gives @azure/identity a token for the identity and resource asked, signed by the stand-in', async () => {
    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = endpoint;
    process.env.IDENTITY_HEADER = header;
    try {
      const token = await new ManagedIdentityCredential({ clientId: IDENTITY }).getToken('499b84ac-1321-427f-aa17-267ca6975798/.default');
      expect(entra.verifyAccessToken(token.token, { audience: '499b84ac-1321-427f-aa17-267ca6975798' })).toMatchObject({ appid: IDENTITY });
      expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
    } finally {
      process.env.IDENTITY_ENDPOINT = saved.endpoint ?? '';
      process.env.IDENTITY_HEADER = saved.header ?? '';
      if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
      if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
    }
  });

  it.each([
    ['without the identity header', 'api-version=2019-08-01&resource=https://vault.azure.net', 'wrong', 401],
    ['for an identity this host does not carry', `api-version=2019-08-01&resource=https://vault.azure.net&client_id=${'f'.repeat(8)}-0000-4000-8000-000000000000`, undefined, 400],
    ['for another api-version', 'api-version=2017-09-01&resource=https://vault.azure.net', undefined, 400],
    ['for a resource that is not one', 'api-version=2019-08-01&resource=not a resource', undefined, 400],
  ])('refuses a request %s', async (_why, query, secret, status) => {
    const response = await ask(query, secret);
    expect(response.status).toBe(status);
    expect(JSON.stringify(await response.json())).not.toContain('access_token');
  });
});
