import { describe, expect, it } from 'vitest';
import { buildPlanView } from '../../src/cards/plan-preview-view';
import { createBody, createdCredentialName, madeByPlan } from '../../src/operations/create/create-connection';
import type { Plan } from '../../src/domain/plan';
import { createIneligibility, planCreate, type CreateInput } from '../../src/operations/create/create.planner';
import { isRefusal } from '../../src/domain/planning';

const NOW = new Date('2026-12-01T22:00:00.000Z');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SUB = '5f1e0b2c-7a3d-4c8e-9b6f-2d4a8c1e3f50';
const APP = '11111111-2222-4333-8444-555555555555';
const MI = { kind: 'managed-identity' as const, clientId: '6c2d9e4f-8a1b-4c3d-9e5f-7a0b1c2d3e4f', resourceId: `/subscriptions/${SUB}/resourceGroups/rg-ops/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-ops`, principalId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' };
const PROJECT = { id: 'a0000000-0000-4000-8000-0000000000a1', name: 'Payments' };

const input = (over: Partial<CreateInput> = {}): CreateInput => ({
  id: 'P-CREATE01', command: 'create sc-new in Payments …', now: NOW, project: PROJECT, name: 'sc-new', tenantId: TENANT, subscriptionId: SUB,
  identity: { kind: 'app', appId: APP }, pipelines: [{ id: 7, name: 'payments-ci' }], ...over,
});
const planned = (over: Partial<CreateInput> = {}) => {
  const plan = planCreate(input(over));
  if (isRefusal(plan)) throw new Error(plan.reason);
  return plan;
};
const text = (plan: Plan) => JSON.stringify(buildPlanView(plan));

describe('planCreate', () => {
  it('an app: one item keyed on the name, the credential it will add (name, Entra issuer, audience), scope, pipelines and every call', () => {
    const plan = planned();
    const [item] = plan.items;
    expect(plan.operation).toBe('create');
    expect(item?.endpointId).toBe('new:sc-new');
    expect(item?.create).toMatchObject({
      name: 'sc-new', marker: '[scbot:P-CREATE01:create]', tenantId: TENANT, subscriptionId: SUB, scope: `/subscriptions/${SUB}`,
      identity: { kind: 'app', appId: APP }, pipelines: [{ id: 7, name: 'payments-ci' }],
      credential: { name: 'scbot-sc-new-p-create01', issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, audience: 'api://AzureADTokenExchange' },
    });
    expect(item?.create?.role).toBeUndefined();
    expect(item?.calls.map((c) => `${c.method}${c.condition ? '?' : ''}`)).toEqual(['GET', 'POST', 'GET?', 'POST', 'PATCH', 'POST', 'DELETE?']);
    expect(item?.calls.map((c) => c.target).join('\n')).toContain(`graph POST applications(appId='${APP}')/federatedIdentityCredentials`);
    expect(item?.warnings.map((w) => w.code)).toEqual(['NEW_CONNECTION', 'NO_ROLE', 'GAINS_ACCESS']);
    const view = text(plan);
    for (const shown of ['scbot-sc-new-p-create01', `https://login.microsoftonline.com/${TENANT}/v2.0`, 'api://AzureADTokenExchange', `/subscriptions/${SUB}`, 'payments-ci', 'creationMode', 'never all pipelines', 'new connection']) {
      expect(view).toContain(shown);
    }
  });

  it('a managed identity, a resource group and a role: the credential through ARM, the role assignment on the resource group', () => {
    const plan = planned({ identity: MI, resourceGroup: 'rg-ops', role: { name: 'Contributor', assignmentName: '0b7e3c1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d' }, pipelines: [] });
    const create = plan.items[0]?.create;
    expect(create?.scope).toBe(`/subscriptions/${SUB}/resourceGroups/rg-ops`);
    expect(create?.role).toEqual({ name: 'Contributor', definitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`, assignmentName: '0b7e3c1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d' });
    const targets = plan.items[0]?.calls.map((c) => c.target) ?? [];
    expect(targets).toContain(`arm PUT ${MI.resourceId}/federatedIdentityCredentials/scbot-sc-new-p-create01?api-version=2023-01-31`);
    expect(targets).toContain(`arm PUT /subscriptions/${SUB}/resourceGroups/rg-ops/providers/Microsoft.Authorization/roleAssignments/0b7e3c1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d?api-version=2022-04-01`);
    expect(targets.some((t) => t.includes('pipelinePermissions'))).toBe(false);
    expect(plan.items[0]?.warnings.map((w) => w.text).join(' ')).toContain(`Assigns Contributor to managed identity id-ops (client id ${MI.clientId}) on /subscriptions/${SUB}/resourceGroups/rg-ops`);
    expect(plan.items[0]?.warnings.map((w) => w.text).join(' ')).toContain('No pipeline may use it yet');
  });

  it('a new app: Graph creates the app and its service principal first; the preview says the bot owns it', () => {
    const plan = planned({ identity: { kind: 'new-app', displayName: 'scbot-sc-new-p-create01' } });
    const calls = plan.items[0]?.calls.map((c) => c.target) ?? [];
    expect(calls.slice(1, 3)).toEqual(["graph PATCH applications(uniqueName='{key}')", 'graph POST servicePrincipals']);
    expect(calls).toContain("graph POST applications(appId='{new app}')/federatedIdentityCredentials");
    expect(plan.items[0]?.warnings.map((w) => w.code)).toContain('NEW_APP');
    expect(text(plan)).toContain('owned by the bot');
  });

  it.each([
    ['a subscription id that is no GUID', { subscriptionId: 'payments-prod' }, /is not a subscription id/],
    ['a resource group name ending in a dot', { resourceGroup: 'rg.' }, /is not a resource group name/],
    ['no tenant', { tenantId: '' }, /do not know the tenant/],
    ['an app id that is no GUID', { identity: { kind: 'app' as const, appId: 'my-app' } }, /is not an app \(client\) id/],
    ['an unknown role', { role: { name: 'Wizard', assignmentName: '0b7e3c1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d' } }, /"Wizard" is not a built-in Azure role/],
  ])('refuses %s before planning', (_what, over, reason) => {
    expect(createIneligibility(input(over))).toMatch(reason);
    const outcome = planCreate(input(over));
    expect(isRefusal(outcome) && outcome.reason).toMatch(reason);
  });

  it('role names match case-insensitively and are written as Azure spells them', () => {
    expect(planned({ role: { name: 'storage blob data contributor', assignmentName: '0b7e3c1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d' } }).items[0]?.create?.role?.name).toBe('Storage Blob Data Contributor');
  });
});

describe('the create body', () => {
  it('is the documented one: Manual, WorkloadIdentityFederation, the client id, the marker; a resource group in parameters.scope', () => {
    const create = planned({ resourceGroup: 'rg-ops' }).items[0]!.create!;
    const body = createBody(create, PROJECT, APP);
    expect(body).toMatchObject({
      name: 'sc-new', type: 'azurerm', url: 'https://management.azure.com/',
      authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: TENANT, serviceprincipalid: APP, scope: `/subscriptions/${SUB}/resourceGroups/rg-ops` } },
      data: { environment: 'AzureCloud', scopeLevel: 'Subscription', subscriptionId: SUB, creationMode: 'Manual' },
      serviceEndpointProjectReferences: [{ projectReference: PROJECT, name: 'sc-new' }],
    });
    expect(madeByPlan(body, 'P-CREATE01')).toBe(true);
    expect(madeByPlan(body, 'P-OTHER001')).toBe(false);
    expect(createBody(planned().items[0]!.create!, PROJECT, APP).authorization?.parameters).not.toHaveProperty('scope');
  });

  it('names the credential after the connection, within what Entra accepts', () => {
    expect(createdCredentialName('sc prod — Zürich', 'P-ABC23456')).toBe('scbot-sc-prod-z-rich-p-abc23456');
    expect(createdCredentialName('——', 'P-ABC23456')).toBe('scbot-p-abc23456');
    expect(createdCredentialName('x'.repeat(300), 'P-ABC23456').length).toBeLessThanOrEqual(120);
  });
});
