/**
 * The issuer move's identity adapters against the local cloud: GraphAppRegistrations (an app's signInAudience, its
 * federated credentials, "exists" on a repeat) and ArmManagedIdentities (find by client id, create-or-update a
 * credential), plus the reading of the inferred migration answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, startLocalCloud, type LocalCloud } from '@scbot/stand-ins';
import { systemClock } from '../../src/domain/time';
import { AppError } from '../../src/domain/errors';
import { readMigrationAnswer } from '../../src/devops/federation-migration-wire';
import { createCredential, RefreshingTokenSource } from '../../src/identity/index';
import { ARM_SCOPE, ArmManagedIdentities, GRAPH_SCOPE, GraphAppRegistrations } from '../../src/azure/index';

const SUB = '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';
const MI_CLIENT = '6c2d9e4f-8a1b-4c3d-9e5f-7a0b1c2d3e4f';
const LEGACY_APP = '1c6e20d1-f447-500a-b3dc-f7d18f81c292';
const PARTNER_APP = '8e3b1f6a-4c2d-5a7e-b901-3f5d7c9e2a14';
const DATA_LAKE_APP = 'd17d5dc4-2bd6-5355-af8e-40e7f17cce1f'; // owned by someone else in the demo seed
const credential = { name: 'scbot-entra-test', issuer: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0', subject: '/eid1/c/pub/t/x/a/y/sc/org/conn', audiences: ['api://AzureADTokenExchange'] };

let cloud: LocalCloud;
let apps: GraphAppRegistrations;
let identities: ArmManagedIdentities;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: await loadSeed(DEMO_SEED_PATH, systemClock) });
  const tokens = createCredential(cloud.identityConfig, { trust: cloud.trust });
  apps = new GraphAppRegistrations({ tokens: new RefreshingTokenSource(tokens, GRAPH_SCOPE), graphUrl: cloud.graphUrl, trust: cloud.trust, maxRetries: 0 });
  identities = new ArmManagedIdentities({ tokens: new RefreshingTokenSource(tokens, ARM_SCOPE), armUrl: cloud.armUrl, trust: cloud.trust, maxRetries: 0 });
});
afterAll(async () => cloud?.close());

describe('GraphAppRegistrations against the Graph stand-in', () => {
  it('reads an app by client id with its sign-in audience; an unknown one (or a managed identity) is null', async () => {
    expect(await apps.find(LEGACY_APP)).toMatchObject({ appId: LEGACY_APP, signInAudience: 'AzureADMyOrg' });
    expect(await apps.find(PARTNER_APP)).toMatchObject({ signInAudience: 'AzureADMultipleOrgs' });
    expect(await apps.find(MI_CLIENT)).toBeNull();
    expect(await apps.find('not-a-guid')).toBeNull();
  });

  it('adds a federated credential; the same one again answers "exists"; on an app it does not own, GRAPH.FORBIDDEN', async () => {
    expect(await apps.addFederatedCredential(LEGACY_APP, credential)).toBe('created');
    expect(await apps.addFederatedCredential(LEGACY_APP, credential)).toBe('exists');
    expect(cloud.graph.registry.federatedCredentials(LEGACY_APP)?.list().filter((f) => f.name === credential.name)).toHaveLength(1);
    const refused = await apps.addFederatedCredential(DATA_LAKE_APP, credential).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('GRAPH.FORBIDDEN');
  });
});

describe('ArmManagedIdentities against the ARM stand-in', () => {
  it('finds the identity by client id in its subscription, not in another', async () => {
    const found = await identities.findByClientId(SUB, MI_CLIENT);
    expect(found).toMatchObject({ name: 'id-payments-deploy', clientId: MI_CLIENT });
    expect(found?.id).toMatch(/\/userAssignedIdentities\/id-payments-deploy$/);
    expect(await identities.findByClientId('00000000-0000-4000-8000-000000000000', MI_CLIENT)).toBeNull();
  });

  it('puts a federated credential (create-or-update: twice is harmless)', async () => {
    const found = await identities.findByClientId(SUB, MI_CLIENT);
    await identities.putFederatedCredential(found!.id, credential);
    await identities.putFederatedCredential(found!.id, credential);
    expect(cloud.arm.store.identityByClientId(MI_CLIENT)?.federated.list().filter((f) => f.name === credential.name)).toHaveLength(1);
  });
});

describe('reading the (inferred) migration answer', () => {
  it('fallback with issuer and subject; anything else counts as moved and is verified by the step', () => {
    expect(readMigrationAnswer({ status: 'federatedCredentialRequired', issuer: 'i', subject: 's', audience: 'a' })).toEqual({ kind: 'credential-required', issuer: 'i', subject: 's', audience: 'a' });
    expect(readMigrationAnswer({ status: 'federatedCredentialRequired', issuer: 'i', subject: 's' })).toMatchObject({ audience: 'api://AzureADTokenExchange' });
    expect(readMigrationAnswer({ status: 'success' })).toEqual({ kind: 'moved' });
    expect(readMigrationAnswer(null)).toEqual({ kind: 'moved' });
    expect(readMigrationAnswer({ status: 'federatedCredentialRequired' })).toEqual({ kind: 'moved' });
  });
});
