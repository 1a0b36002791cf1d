// The Graph stand-in answered to Microsoft's own Graph JavaScript client (@microsoft/microsoft-graph-client, with the
// official TokenCredentialAuthenticationProvider over @azure/identity), for callers holding different application
// permissions. Documented behaviour asserted (microsoft-graph-docs, api-reference/v1.0):
// - Application.ReadWrite.OwnedBy reads every app: "allows an app to call GET /applications and GET /servicePrincipals
//   to list all applications and service principals in the tenant. This scope of access has been allowed for the
//   permission." (the permission tables of application-get.md / application-list.md list it among the readers);
// - it changes only apps the caller owns ("the same operations as Application.ReadWrite.All but only on applications
//   and service principals that the calling app is an owner of"): else 403 Authorization_RequestDenied;
// - with no application permission a service principal still reads its own application (serviceprincipal-get.md
//   note), and nothing else;
// - `$select` answers only the named properties, `id` included only when named (application-list.md example).
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, startLocalCloud, type LocalCloud } from '../src/index';
import { botCredential, graphClient } from './official-clients';

const NOT_OWNED = { appId: 'd17d5dc4-2bd6-5355-af8e-40e7f17cce1f', name: 'Data Lake (read only)' };
const OWNED = { appId: 'c4b0538f-d8e5-59a1-948e-393146f1805c', name: 'sc-prod' };
let cloud: LocalCloud;

/** A Graph client for the bot once granted exactly these permissions (a new credential: a new token). */
function botWith(permissions: string[]): Client {
  cloud.entra.registry.grantGraphPermissions(cloud.bot.appId, permissions);
  return graphClient(cloud, botCredential(cloud));
}

const outcome = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: unknown) => (e instanceof GraphError ? `${e.statusCode} ${e.code}` : String(e)));
const app = (appId: string) => `/applications(appId='${appId}')`;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: await loadSeed(DEMO_SEED_PATH) });
});
afterAll(async () => cloud?.close());

describe('Graph permissions, as the demo seed grants them (Application.ReadWrite.OwnedBy)', () => {
  it('reads an app the bot does not own (200), by appId, in a filtered list and its service principal', async () => {
    const graph = botWith(['Application.ReadWrite.OwnedBy']);
    expect(cloud.entra.registry.isOwner(NOT_OWNED.appId, cloud.bot.servicePrincipalId)).toBe(false);
    expect(await graph.api(app(NOT_OWNED.appId)).get()).toMatchObject({ appId: NOT_OWNED.appId, displayName: NOT_OWNED.name });
    const listed = await graph.api('/applications').filter(`appId eq '${NOT_OWNED.appId}'`).get() as { value: Array<{ appId: string }> };
    expect(listed.value.map((a) => a.appId)).toEqual([NOT_OWNED.appId]);
    expect(await graph.api(`/servicePrincipals(appId='${NOT_OWNED.appId}')`).get()).toMatchObject({ appId: NOT_OWNED.appId });
  });

  it('changes only apps the bot owns: a secret or federated credential on another app is 403 Authorization_RequestDenied', async () => {
    const graph = botWith(['Application.ReadWrite.OwnedBy']);
    expect(await outcome(graph.api(`${app(NOT_OWNED.appId)}/addPassword`).post({ passwordCredential: { displayName: 'x' } }))).toBe('403 Authorization_RequestDenied');
    expect(await outcome(graph.api(`${app(NOT_OWNED.appId)}/federatedIdentityCredentials`).post({ name: 'x1', issuer: 'https://i', subject: 's', audiences: ['api://AzureADTokenExchange'] }))).toBe('403 Authorization_RequestDenied');
    expect(await outcome(graph.api(`${app(NOT_OWNED.appId)}/federatedIdentityCredentials`).get())).toBe('403 Authorization_RequestDenied');
    const added = await graph.api(`${app(OWNED.appId)}/addPassword`).post({ passwordCredential: { displayName: 'owned' } }) as { keyId: string; secretText: string };
    expect(added.secretText).toBeTruthy();
    await graph.api(`${app(OWNED.appId)}/removePassword`).post({ keyId: added.keyId });
  });

  it('refuses the same in a $batch part by part, the batch itself 200', async () => {
    const graph = botWith(['Application.ReadWrite.OwnedBy']);
    const reply = await graph.api('/$batch').post({
      requests: [
        { id: '1', method: 'GET', url: app(NOT_OWNED.appId) },
        { id: '2', method: 'POST', url: `${app(NOT_OWNED.appId)}/addPassword`, body: { passwordCredential: {} }, headers: { 'content-type': 'application/json' } },
      ],
    }) as { responses: Array<{ id: string; status: number }> };
    expect(reply.responses.map((r) => [r.id, r.status])).toEqual([['1', 200], ['2', 403]]);
  });
});

describe('Graph permissions for other grants', () => {
  it('without any application permission: its own app only; any other read, a list or a new app is 403', async () => {
    const graph = botWith([]);
    expect(await graph.api(app(cloud.bot.appId)).get()).toMatchObject({ appId: cloud.bot.appId });
    expect(await outcome(graph.api(app(NOT_OWNED.appId)).get())).toBe('403 Authorization_RequestDenied');
    expect(await outcome(graph.api(app(OWNED.appId)).get())).toBe('403 Authorization_RequestDenied');
    expect(await outcome(graph.api('/applications').filter(`appId eq '${OWNED.appId}'`).get())).toBe('403 Authorization_RequestDenied');
    expect(await outcome(graph.api('/applications').post({ displayName: 'nope' }))).toBe('403 Authorization_RequestDenied');
  });

  it('Application.Read.All reads credentials lists but changes nothing; Application.ReadWrite.All changes any app', async () => {
    const reader = botWith(['Application.Read.All']);
    expect(await reader.api(`${app(NOT_OWNED.appId)}/federatedIdentityCredentials`).get()).toMatchObject({ value: [] });
    expect(await outcome(reader.api(`${app(OWNED.appId)}/addPassword`).post({ passwordCredential: {} }))).toBe('403 Authorization_RequestDenied');
    const writer = botWith(['Application.ReadWrite.All']);
    const added = await writer.api(`${app(NOT_OWNED.appId)}/addPassword`).post({ passwordCredential: { displayName: 'all' } }) as { keyId: string };
    await writer.api(`${app(NOT_OWNED.appId)}/removePassword`).post({ keyId: added.keyId });
  });

  it('still answers 404 Request_ResourceNotFound for an app that does not exist', async () => {
    const graph = botWith(['Application.ReadWrite.OwnedBy']);
    expect(await outcome(graph.api(app('00000000-0000-4000-8000-000000000000')).get())).toBe('404 Request_ResourceNotFound');
  });
});

describe('$select', () => {
  it('answers only the named properties of an app, and names them in @odata.context', async () => {
    const graph = botWith(['Application.ReadWrite.OwnedBy']);
    const one = await graph.api(app(OWNED.appId)).select(['appId', 'signInAudience']).get() as Record<string, unknown>;
    expect(Object.keys(one).sort()).toEqual(['@odata.context', 'appId', 'signInAudience']);
    expect(one['@odata.context']).toMatch(/#applications\(appId,signInAudience\)\/\$entity$/);
    const withId = await graph.api(app(OWNED.appId)).select(['id', 'displayName']).get() as Record<string, unknown>;
    expect(Object.keys(withId).sort()).toEqual(['@odata.context', 'displayName', 'id']);
  });

  it('applies to every item of a list, and to service principals', async () => {
    const graph = botWith(['Application.ReadWrite.OwnedBy']);
    const list = await graph.api('/applications').filter(`appId in ('${OWNED.appId}', '${NOT_OWNED.appId}')`).select('displayName').get() as { value: Array<Record<string, unknown>> };
    expect(list.value.map((a) => Object.keys(a))).toEqual([['displayName'], ['displayName']]);
    const sp = await graph.api(`/servicePrincipals(appId='${OWNED.appId}')`).select('id').get() as Record<string, unknown>;
    expect(Object.keys(sp).sort()).toEqual(['@odata.context', 'id']);
  });
});
