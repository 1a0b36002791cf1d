// Tokens for an API the tenant registers itself (an MCP server such as scbot's `/mcp`): an agent's app asks for
// `api://<api app id>/.default` with its own client credentials and gets the app roles an admin granted it on that
// API in `roles` (none granted: no claim); a person signing in through a client gets a delegated token naming them
// (`oid`, `name`, `scp`, `idtyp` user). Entra issues v2.0 tokens to an API that asks for them, with `aud` its app id
// whichever URI the client named (access-token-claims-reference.md: "In v2.0 tokens, this value is always the client
// ID of the API").
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, parseSeed, startLocalCloud, systemClock, type LocalCloud } from '../src/index';
import { botCredential, claimsOf } from './official-clients';

const AGENT = { appId: randomUUID(), objectId: randomUUID(), servicePrincipalId: randomUUID(), secret: `agent-${randomUUID()}` };
const V2_API = { appId: randomUUID(), objectId: randomUUID() };
let cloud: LocalCloud;

beforeAll(async () => {
  const demo = await loadSeed(DEMO_SEED_PATH);
  cloud = await startLocalCloud({
    seed: parseSeed({
      ...demo,
      applications: [
        ...(demo.applications as object[]),
        { appId: AGENT.appId, objectId: AGENT.objectId, servicePrincipalId: AGENT.servicePrincipalId, displayName: 'coding agent', passwordCredentials: [{ secretText: AGENT.secret }] },
        { ...V2_API, displayName: 'v2 api', requestedAccessTokenVersion: 2 },
      ],
    }, systemClock),
  });
});
afterAll(async () => {
  await cloud?.close();
});

const agentToken = async (scope: string) => claimsOf((await botCredential(cloud, { clientId: AGENT.appId, clientSecret: AGENT.secret }).getToken(scope))?.token ?? '');

describe('Entra stand-in: tokens for an API registered in the tenant', () => {
  it('issues an app-only token for `api://<app id>/.default` naming the agent, with the roles granted on that API only', async () => {
    const audience = `api://${cloud.bot.appId}`;
    expect(await agentToken(`${audience}/.default`)).not.toHaveProperty('roles');
    cloud.entra.registry.apiRoles.grant(AGENT.appId, cloud.bot.appId, ['Mcp.Agent']);
    const claims = await agentToken(`${audience}/.default`);
    expect(claims).toMatchObject({ ver: '1.0', aud: audience, appid: AGENT.appId, oid: AGENT.servicePrincipalId, idtyp: 'app', roles: ['Mcp.Agent'], tid: cloud.bot.tenantId });
    expect(claims).not.toHaveProperty('scp');
    // Granted on the bot's API, not on another one.
    expect(await agentToken(`api://${V2_API.appId}/.default`)).not.toHaveProperty('roles');
    cloud.entra.registry.apiRoles.grant(AGENT.appId, cloud.bot.appId, []);
    expect(await agentToken(`${audience}/.default`)).not.toHaveProperty('roles');
  });

  it('names a v2.0 API by its app id in `aud`, whether the client asked for the id or for `api://<id>`', async () => {
    for (const scope of [`${V2_API.appId}/.default`, `api://${V2_API.appId}/.default`]) {
      expect(await agentToken(scope)).toMatchObject({ ver: '2.0', aud: V2_API.appId, azp: AGENT.appId, iss: cloud.entra.issuer });
    }
  });

  it('issues a delegated token for a person signed in through a client: oid, name, upn and scp, no roles, verifiable', async () => {
    const user = { objectId: randomUUID(), displayName: 'Dana Platform', userPrincipalName: 'dana@contoso.example', scopes: ['Mcp.Access'] };
    const token = await cloud.entra.issueToken({ clientAppId: AGENT.appId, audience: `api://${cloud.bot.appId}`, user });
    const claims = cloud.entra.verifyAccessToken(token, { audience: `api://${cloud.bot.appId}` });
    expect(claims).toMatchObject({ oid: user.objectId, sub: user.objectId, name: user.displayName, upn: user.userPrincipalName, scp: 'Mcp.Access', idtyp: 'user', appid: AGENT.appId, ver: '1.0' });
    expect(claims).not.toHaveProperty('roles');
    expect(claims).not.toHaveProperty('idp');
    const v2 = claimsOf(await cloud.entra.issueToken({ clientAppId: AGENT.appId, audience: `api://${V2_API.appId}`, user }));
    expect(v2).toMatchObject({ ver: '2.0', aud: V2_API.appId, azp: AGENT.appId, preferred_username: user.userPrincipalName, scp: 'Mcp.Access' });
  });

  it('issues expired tokens on request (issuedAt, lifetime), which its own verifier refuses as expired', async () => {
    const token = await cloud.entra.issueToken({ clientAppId: AGENT.appId, audience: `api://${cloud.bot.appId}`, issuedAt: new Date(Date.now() - 2 * 3600_000), lifetimeSeconds: 3600 });
    expect(cloud.entra.checkAccessToken(token, { audience: `api://${cloud.bot.appId}` })).toEqual({ ok: false, error: 'expired' });
    await expect(cloud.entra.issueToken({ clientAppId: randomUUID(), audience: cloud.bot.appId })).rejects.toThrow(/not registered/);
  });
});
