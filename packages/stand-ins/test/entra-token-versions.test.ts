// Tokens in the version each resource asks for, fetched with Microsoft's own @azure/identity. Entra issues the version
// the resource's registration names (`accessTokenAcceptedVersion` / `api.requestedAccessTokenVersion`: null and 1 give
// v1.0, 2 gives v2.0), whichever endpoint the client called (entra-docs identity-platform/access-tokens.md, "Token
// formats" and "Token ownership"); `appid` is "only present in v1.0 tokens", `azp` only in v2.0
// (access-token-claims-reference.md). Microsoft's own APIs get v1.0: Azure DevOps, Graph, ARM, Key Vault.
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, parseSeed, startLocalCloud, systemClock, verifyRs256AccessToken, type LocalCloud } from '../src/index';
import { botCredential, claimsOf } from './official-clients';

let cloud: LocalCloud;
let apiCloud: LocalCloud;
const API_APP = { appId: '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b', objectId: '8f9a0b1c-2d3e-4f4a-9b5c-6d7e8f9a0b1c' };

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: await loadSeed(DEMO_SEED_PATH) });
  const demo = await loadSeed(DEMO_SEED_PATH);
  // A bot registered to take v2.0 tokens itself, and an API app that asks for them too.
  apiCloud = await startLocalCloud({
    seed: parseSeed({
      ...demo, bot: { ...(demo.bot as object), requestedAccessTokenVersion: 2, graphPermissions: [] },
      applications: [...(demo.applications as object[]), { ...API_APP, displayName: 'v2 api', requestedAccessTokenVersion: 2 }],
    }, systemClock),
  });
});
afterAll(async () => {
  await cloud?.close();
  await apiCloud?.close();
});

const tokenClaims = async (c: LocalCloud, scope: string) => claimsOf((await botCredential(c).getToken(scope))?.token ?? '');

describe('Entra stand-in: the token version each resource asks for', () => {
  it.each([
    ['Azure DevOps', '499b84ac-1321-427f-aa17-267ca6975798/.default', '499b84ac-1321-427f-aa17-267ca6975798'],
    ['Microsoft Graph', 'https://graph.microsoft.com/.default', 'https://graph.microsoft.com'],
    ['Azure Resource Manager', 'https://management.azure.com/.default', 'https://management.azure.com'],
    ['Key Vault', 'https://vault.azure.net/.default', 'https://vault.azure.net'],
    ['the Bot Framework', 'https://api.botframework.com/.default', 'https://api.botframework.com'],
  ])('%s: v1.0, the client in `appid` and no `azp`, the sts.windows.net issuer', async (_name, scope, audience) => {
    const claims = await tokenClaims(cloud, scope);
    expect(claims).toMatchObject({ ver: '1.0', aud: audience, appid: cloud.bot.appId, appidacr: '1', iss: `https://sts.windows.net/${cloud.bot.tenantId}/`, tid: cloud.bot.tenantId, oid: cloud.bot.servicePrincipalId, idtyp: 'app' });
    expect(claims).not.toHaveProperty('azp');
    expect(claims).not.toHaveProperty('azpacr');
  });

  it('puts the Graph application permissions granted to the bot in `roles`, on Graph tokens only', async () => {
    expect((await tokenClaims(cloud, 'https://graph.microsoft.com/.default')).roles).toEqual(['Application.ReadWrite.OwnedBy']);
    expect(await tokenClaims(cloud, '499b84ac-1321-427f-aa17-267ca6975798/.default')).not.toHaveProperty('roles');
    // None granted: no `roles` claim at all, as Entra leaves it out.
    expect(await tokenClaims(apiCloud, 'https://graph.microsoft.com/.default')).not.toHaveProperty('roles');
  });

  it('issues v2.0 (`azp`, no `appid`, the v2.0 issuer) for an app registered to ask for it, the bot\'s own app id included', async () => {
    for (const audience of [API_APP.appId, apiCloud.bot.appId]) {
      const claims = await tokenClaims(apiCloud, `${audience}/.default`);
      expect(claims).toMatchObject({ ver: '2.0', aud: audience, azp: apiCloud.bot.appId, azpacr: '1', iss: apiCloud.entra.issuer });
      expect(claims).not.toHaveProperty('appid');
    }
    // The bot as configured by default (no requestedAccessTokenVersion): v1.0 for its own app id too.
    expect(await tokenClaims(cloud, `${cloud.bot.appId}/.default`)).toMatchObject({ ver: '1.0', aud: cloud.bot.appId, appid: cloud.bot.appId });
  });

  it('verifies each version against its own issuer, and refuses a token whose issuer does not match its version', async () => {
    const v1 = (await botCredential(cloud).getToken('499b84ac-1321-427f-aa17-267ca6975798/.default'))?.token ?? '';
    expect(cloud.entra.checkAccessToken(v1, { audience: '499b84ac-1321-427f-aa17-267ca6975798' })).toMatchObject({ ok: true });
    const v2 = (await botCredential(apiCloud).getToken(`${API_APP.appId}/.default`))?.token ?? '';
    expect(apiCloud.entra.checkAccessToken(v2, { audience: API_APP.appId })).toMatchObject({ ok: true });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const issuers = { '1.0': 'https://sts.windows.net/t/', '2.0': 'https://login.example/t/v2.0' };
    const now = Math.floor(Date.now() / 1000);
    const sign = (ver: string, iss: string) => new SignJWT({ ver, appid: 'a' }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer(iss).setAudience('x').setIssuedAt(now).setNotBefore(now).setExpirationTime(now + 60).sign(privateKey);
    const check = async (ver: string, iss: string) => verifyRs256AccessToken(await sign(ver, iss), { key: publicKey, kid: 'k', issuers, audience: 'x', now: new Date() });
    expect(await check('1.0', issuers['1.0'])).toMatchObject({ ok: true });
    expect(await check('1.0', issuers['2.0'])).toEqual({ ok: false, error: 'issuer' });
    expect(await check('2.0', issuers['1.0'])).toEqual({ ok: false, error: 'issuer' });
  });
});
