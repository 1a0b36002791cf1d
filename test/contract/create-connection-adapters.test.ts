/**
 * The adapters `create` uses, against the local cloud, on the wire: GraphAppRegistrations registers an app under a
 * key of its own (an upsert), says whether the bot alone owns it, gives it a service principal and deletes it; ArmRoleAssignments puts a
 * role assignment under a chosen name (again: "exists") and removes it; the Azure DevOps adapter creates a WIF
 * connection whose answer names the Entra issuer and a subject, and Verify (endpoint proxy) fails until the identity
 * holds exactly that credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, startLocalCloud, type LocalCloud } from '@scbot/stand-ins';
import { systemClock } from '../../src/domain/time';
import { createBody } from '../../src/operations/create/create-connection';
import { planCreate } from '../../src/operations/create/create.planner';
import { isRefusal } from '../../src/domain/planning';
import type { Plan } from '../../src/domain/plan';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../../src/identity/index';
import { ARM_SCOPE, ArmRoleAssignments, GRAPH_SCOPE, GraphAppRegistrations } from '../../src/azure/index';
import type { CreateItem } from '../../src/operations/create/create.payload';

const SUB = '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';
const PAYMENTS = { id: '7d580254-36c2-5bda-9608-ea9bb037b823', name: 'Payments' };
const READER = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
const KEY = '5eed0000aaaa5eed0000aaaa5eed0001';

let cloud: LocalCloud;
let apps: GraphAppRegistrations;
let roles: ArmRoleAssignments;
let devops: AzureDevOpsServiceEndpoints;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: await loadSeed(DEMO_SEED_PATH, systemClock) });
  const credential = createCredential(cloud.identityConfig, { trust: cloud.trust });
  apps = new GraphAppRegistrations({ tokens: new RefreshingTokenSource(credential, GRAPH_SCOPE), graphUrl: cloud.graphUrl, trust: cloud.trust, maxRetries: 0 });
  roles = new ArmRoleAssignments({ tokens: new RefreshingTokenSource(credential, ARM_SCOPE), armUrl: cloud.armUrl, trust: cloud.trust, maxRetries: 0 });
  devops = new AzureDevOpsServiceEndpoints({ orgUrl: cloud.devops.orgUrl, tokens: new RefreshingTokenSource(credential, AZURE_DEVOPS_SCOPE), requestTimeoutMs: 10_000, maxAttempts: 2 });
});
afterAll(async () => cloud?.close());

describe('GraphAppRegistrations: new apps', () => {
  it('registers an app under its key, owned by the bot alone; again under that key is the same app; finds it by key; deletes it', async () => {
    const made = await apps.registerApp({ displayName: 'scbot-contract-P-TEST0001', key: KEY });
    expect(made).toMatchObject({ key: KEY, signInAudience: 'AzureADMyOrg', ownedByCallerAlone: true, servicePrincipalId: null });
    expect(cloud.graph.registry.ownersOf(made.appId)).toEqual([cloud.bot.servicePrincipalId.toLowerCase()]);
    const sp = await apps.ensureServicePrincipal(made.appId);
    // The upsert is idempotent: a resend after a lost answer makes no second app.
    expect(await apps.registerApp({ displayName: 'scbot-contract-P-TEST0001', key: KEY })).toEqual({ ...made, servicePrincipalId: sp });
    expect(cloud.graph.registry.listApplications().filter((a) => a.displayName === 'scbot-contract-P-TEST0001')).toHaveLength(1);
    expect(await apps.findByKey(KEY)).toEqual({ ...made, servicePrincipalId: sp });
    expect(await apps.findByKey('0000ffff0000ffff0000ffff0000ffff')).toBeNull();
    await apps.deleteApp(made.objectId);
    expect(cloud.graph.registry.getApplication(made.appId)).toBeNull();
    // Clean-up may run twice: an app already gone is not an error.
    await expect(apps.deleteApp(made.objectId)).resolves.toBeUndefined();
  });

  it('says when an app under a key has another owner, or is multitenant', async () => {
    const key = 'c0ffee00c0ffee00c0ffee00c0ffee01';
    const made = await apps.registerApp({ displayName: 'scbot-contract-shared', key });
    cloud.graph.registry.addOwner(made.appId, 'e0000000-0000-4000-8000-0000000000ee');
    expect(await apps.findByKey(key)).toMatchObject({ ownedByCallerAlone: false });
    const other = cloud.graph.registry.createApplication({ displayName: 'x', signInAudience: 'AzureADMultipleOrgs', uniqueName: 'c0ffee00c0ffee00c0ffee00c0ffee02', ownerId: cloud.bot.servicePrincipalId });
    expect(await apps.findByKey('c0ffee00c0ffee00c0ffee00c0ffee02')).toMatchObject({ appId: other.appId, signInAudience: 'AzureADMultipleOrgs', ownedByCallerAlone: true });
  });

  it('gives an app found without its service principal one (a crash between the two calls)', async () => {
    const key = 'c0ffee00c0ffee00c0ffee00c0ffee03';
    const app = cloud.graph.registry.createApplication({ displayName: 'scbot-half-made', uniqueName: key, ownerId: cloud.bot.servicePrincipalId });
    expect(await apps.servicePrincipalId(app.appId)).toBeNull();
    expect((await apps.findByKey(key))?.servicePrincipalId).toBeNull();
    const id = await apps.ensureServicePrincipal(app.appId);
    expect(await apps.ensureServicePrincipal(app.appId)).toBe(id);
  });
});

describe('ArmRoleAssignments against the ARM stand-in', () => {
  it('puts a role assignment under the chosen name; again is "exists"; removes it (twice is harmless)', async () => {
    const assignment = { scope: `/subscriptions/${SUB}`, name: '0b7e3c1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d', roleDefinitionId: READER, principalId: 'c0ffee00-0000-4000-8000-000000000001' };
    expect(await roles.assign(assignment)).toBe('created');
    // ARM answers the same PUT again 200 (an update that changes nothing), the same grant under another name 409.
    expect(await roles.assign(assignment)).toBe('exists');
    expect(await roles.assign({ ...assignment, name: '1b7e3c1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d' })).toBe('exists');
    expect(cloud.arm.store.roleAssignments.filter((r) => r.name === assignment.name)).toHaveLength(1);
    // Another principal under the name is refused (400 RoleAssignmentUpdateNotPermitted), never taken as done.
    await expect(roles.assign({ ...assignment, principalId: 'c0ffee00-0000-4000-8000-000000000002' })).rejects.toMatchObject({ status: 400 });
    await roles.remove(assignment.scope, assignment.name);
    await roles.remove(assignment.scope, assignment.name);
    expect(cloud.arm.store.roleAssignments.some((r) => r.name === assignment.name)).toBe(false);
  });
});

describe('Azure DevOps adapter: create and Verify', () => {
  it('creates a Manual WIF connection whose answer names the issuer and subject; Verify passes only with that credential', async () => {
    const app = await apps.registerApp({ displayName: 'scbot-contract-verify', key: 'c0ffee00c0ffee00c0ffee00c0ffee04' });
    const plan = planCreate({
      id: 'P-CONTRACT1', command: 'create', now: new Date(), project: PAYMENTS, name: 'sc-contract-new', tenantId: cloud.bot.tenantId,
      subscriptionId: SUB, identity: { kind: 'app', appId: app.appId }, pipelines: [],
    });
    if (isRefusal(plan)) throw new Error(plan.reason);
    const create = (plan as Plan<CreateItem>).items[0]!.create!;
    const made = await devops.create(createBody(create, PAYMENTS, app.appId));
    const params = made.authorization?.parameters ?? {};
    expect(made.data).toMatchObject({ creationMode: 'Manual', scopeLevel: 'Subscription', subscriptionId: SUB });
    expect(params.workloadIdentityFederationIssuer).toBe(create.credential.issuer);
    expect(params.workloadIdentityFederationSubject).toMatch(new RegExp(`/sc/.+/${made.id}$`));
    expect(made.description).toContain('[scbot:P-CONTRACT1:create]');
    const before = await devops.verify('Payments', made.id);
    expect(before).toMatchObject({ ok: false, message: expect.stringContaining('AADSTS700213') });
    await apps.addFederatedCredential(app.appId, { name: create.credential.name, issuer: params.workloadIdentityFederationIssuer ?? '', subject: params.workloadIdentityFederationSubject ?? '', audiences: ['api://AzureADTokenExchange'] });
    expect(await devops.verify('Payments', made.id)).toEqual({ ok: true });
    await apps.removeFederatedCredential(app.appId, create.credential.name);
    await apps.removeFederatedCredential(app.appId, create.credential.name);
    expect(await devops.verify('Payments', made.id)).toMatchObject({ ok: false });
  });
});
