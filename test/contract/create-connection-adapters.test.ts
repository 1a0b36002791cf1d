/**
 * The adapters `create` uses, against the local cloud, on the wire: GraphAppRegistrations makes an app and its
 * service principal (owned by the bot), finds it again by display name and deletes it; ArmRoleAssignments puts a
 * role assignment under a chosen name (again: "exists") and removes it; the Azure DevOps adapter creates a WIF
 * connection whose answer names the Entra issuer and a subject, and Verify (endpoint proxy) fails until the identity
 * holds exactly that credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, startLocalCloud, type LocalCloud } from '@scbot/stand-ins';
import { systemClock } from '../../src/domain/clock';
import { createBody } from '../../src/domain/create-connection';
import { planCreate, isRefusal } from '../../src/domain/planners';
import type { Plan } from '../../src/domain/plan';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../../src/identity/index';
import { ARM_SCOPE, ArmRoleAssignments, GRAPH_SCOPE, GraphAppRegistrations } from '../../src/secrets/index';

const SUB = '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';
const PAYMENTS = { id: '7d580254-36c2-5bda-9608-ea9bb037b823', name: 'Payments' };
const READER = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;

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
  it('creates an app and its service principal, owned by the bot; finds it by display name; deletes it', async () => {
    const made = await apps.createApp('scbot-contract-P-TEST0001');
    expect(made.servicePrincipalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(cloud.graph.registry.ownersOf(made.appId)).toContain(cloud.bot.servicePrincipalId.toLowerCase());
    expect(await apps.servicePrincipalId(made.appId)).toBe(made.servicePrincipalId);
    expect(await apps.findByDisplayName('scbot-contract-P-TEST0001')).toEqual(made);
    expect(await apps.findByDisplayName("it's not there")).toBeNull();
    await apps.deleteApp(made.objectId);
    expect(cloud.graph.registry.getApplication(made.appId)).toBeNull();
    // Clean-up may run twice: an app already gone is not an error.
    await expect(apps.deleteApp(made.objectId)).resolves.toBeUndefined();
  });

  it('gives an app found without its service principal one (a crash between the two calls)', async () => {
    const app = cloud.graph.registry.createApplication({ displayName: 'scbot-half-made', ownerId: cloud.bot.servicePrincipalId });
    expect(await apps.servicePrincipalId(app.appId)).toBeNull();
    expect((await apps.findByDisplayName('scbot-half-made'))?.servicePrincipalId).toBeNull();
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
    const app = await apps.createApp('scbot-contract-verify');
    const plan = planCreate({
      id: 'P-CONTRACT1', command: 'create', now: new Date(), project: PAYMENTS, name: 'sc-contract-new', tenantId: cloud.bot.tenantId,
      subscriptionId: SUB, identity: { kind: 'app', appId: app.appId }, pipelines: [],
    });
    if (isRefusal(plan)) throw new Error(plan.reason);
    const create = (plan as Plan).items[0]!.create!;
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
