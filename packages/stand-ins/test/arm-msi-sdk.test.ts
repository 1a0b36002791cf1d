// User-assigned managed identities and their federated credentials answered to Microsoft's own @azure/arm-msi
// (api-version 2023-01-31): List By Subscription, Get, and federated credentials Create Or Update (201 new, 200
// replaced, as the spec's FederatedIdentityCredentials_CreateOrUpdate lists them), Get and List.
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, startLocalCloud, type LocalCloud } from '../src/index';
import { armClientOptions, botCredential } from './official-clients';

const SUB = '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';
const RG = 'rg-payments-deploy';
const IDENTITY = 'id-payments-deploy';
let cloud: LocalCloud;
let client: ManagedServiceIdentityClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: await loadSeed(DEMO_SEED_PATH) });
  client = new ManagedServiceIdentityClient(botCredential(cloud), SUB, armClientOptions(cloud));
});
afterAll(async () => cloud?.close());

describe('managed identities through @azure/arm-msi', () => {
  it('lists the subscription\'s identities and reads one, with its client and principal ids', async () => {
    const listed = [];
    for await (const identity of client.userAssignedIdentities.listBySubscription()) listed.push(identity);
    expect(listed.map((i) => [i.name, i.clientId])).toEqual([[IDENTITY, '6c2d9e4f-8a1b-4c3d-9e5f-7a0b1c2d3e4f']]);
    expect(await client.userAssignedIdentities.get(RG, IDENTITY)).toMatchObject({ principalId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', tenantId: cloud.bot.tenantId });
  });

  it('creates a federated credential (201), replaces it under the same name (200) and lists it', async () => {
    const credential = { issuer: `https://login.microsoftonline.com/${cloud.bot.tenantId}/v2.0`, subject: '/eid1/c/pub/t/x/a/y/sc/org/conn', audiences: ['api://AzureADTokenExchange'] };
    const statuses: number[] = [];
    const onResponse = (r: { status: number }) => { statuses.push(r.status); };
    const made = await client.federatedIdentityCredentials.createOrUpdate(RG, IDENTITY, 'sc-sdk', credential, { onResponse });
    expect(made).toMatchObject({ name: 'sc-sdk', ...credential });
    await client.federatedIdentityCredentials.createOrUpdate(RG, IDENTITY, 'sc-sdk', { ...credential, subject: '/eid1/c/pub/t/x/a/y/sc/org/conn2' }, { onResponse });
    expect(statuses).toEqual([201, 200]);
    const names = [];
    for await (const f of client.federatedIdentityCredentials.list(RG, IDENTITY)) names.push([f.name, f.subject]);
    expect(names).toContainEqual(['sc-sdk', '/eid1/c/pub/t/x/a/y/sc/org/conn2']);
  });
});
