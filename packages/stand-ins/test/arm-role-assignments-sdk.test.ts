// ARM role assignments answered to Microsoft's own client, @azure/arm-authorization, as ARM documents them:
// - a PUT of an existing name is an update: 200 with the assignment when nothing changes (spec 2022-04-01,
//   examples/RoleAssignments_CreateForSubscription.json lists 201 and 200); another principal, role or scope under the
//   name is 400 RoleAssignmentUpdateNotPermitted, "Tenant ID, application ID, principal ID, and scope are not allowed
//   to be updated." (azure-docs role-based-access-control/troubleshooting.md, "ARM template role assignment returns
//   BadRequest status": names are unique across subscriptions and properties can't change);
// - the same principal, role and scope under a new name is 409 RoleAssignmentExists;
// - a scope given as the SDK documents it, '/subscriptions/{id}', goes out as `//subscriptions/{id}/…`, which ARM reads
//   as `/subscriptions/{id}` [obs: Microsoft's Azure Backup REST docs call `management.azure.com//Subscriptions/…`].
import { AuthorizationManagementClient, type RoleAssignmentCreateParameters } from '@azure/arm-authorization';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, startLocalCloud, type LocalCloud } from '../src/index';
import { armClientOptions, botCredential } from './official-clients';

const SUB = '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';
const READER = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
const CONTRIBUTOR = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`;
const PRINCIPAL = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';
const OTHER_PRINCIPAL = '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a';
let cloud: LocalCloud;
let client: AuthorizationManagementClient;

const assignment = (roleDefinitionId = READER, principalId = PRINCIPAL): RoleAssignmentCreateParameters => ({ roleDefinitionId, principalId, principalType: 'ServicePrincipal' });
const statusOf = (promise: Promise<unknown>) => promise.then(() => 200, (e: { statusCode?: number; code?: string }) => `${e.statusCode} ${e.code}`);

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: await loadSeed(DEMO_SEED_PATH) });
  client = new AuthorizationManagementClient(botCredential(cloud), SUB, armClientOptions(cloud));
});
afterAll(async () => cloud?.close());

describe('ARM role assignments through @azure/arm-authorization', () => {
  it('treats a second PUT of the same name and properties as an update that changes nothing (200, the assignment)', async () => {
    const scope = `subscriptions/${SUB}/resourceGroups/rg-payments`;
    const name = '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
    const first = await client.roleAssignments.create(scope, name, assignment());
    expect(first).toMatchObject({ name, principalId: PRINCIPAL, scope: `/${scope}` });
    const again = await client.roleAssignments.create(scope, name, assignment());
    expect(again).toEqual(first);
    expect(cloud.arm.store.roleAssignments.filter((r) => r.name === name)).toHaveLength(1);
  });

  it('refuses another role, principal or scope under an existing name: 400 RoleAssignmentUpdateNotPermitted', async () => {
    const scope = `subscriptions/${SUB}/resourceGroups/rg-payments`;
    const name = '1e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
    await client.roleAssignments.create(scope, name, assignment(READER, OTHER_PRINCIPAL));
    expect(await statusOf(client.roleAssignments.create(scope, name, assignment(CONTRIBUTOR, OTHER_PRINCIPAL)))).toBe('400 RoleAssignmentUpdateNotPermitted');
    expect(await statusOf(client.roleAssignments.create(scope, name, assignment(READER, PRINCIPAL)))).toBe('400 RoleAssignmentUpdateNotPermitted');
    // Names are unique across scopes, even across subscriptions.
    expect(await statusOf(client.roleAssignments.create(`subscriptions/${SUB}`, name, assignment(READER, OTHER_PRINCIPAL)))).toBe('400 RoleAssignmentUpdateNotPermitted');
    expect(await client.roleAssignments.get(scope, name)).toMatchObject({ roleDefinitionId: READER, principalId: OTHER_PRINCIPAL });
  });

  it('refuses the same principal, role and scope under a new name: 409 RoleAssignmentExists', async () => {
    const scope = `subscriptions/${SUB}/resourceGroups/rg-payments`;
    await client.roleAssignments.create(scope, '2e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b', assignment(CONTRIBUTOR));
    expect(await statusOf(client.roleAssignments.create(scope, '3e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b', assignment(CONTRIBUTOR)))).toBe('409 RoleAssignmentExists');
  });

  it('reads a scope with its leading slash (`//subscriptions/…` on the wire) as that scope, never as another', async () => {
    const name = '4e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
    const made = await client.roleAssignments.create(`/subscriptions/${SUB}`, name, assignment(CONTRIBUTOR, OTHER_PRINCIPAL));
    expect(made).toMatchObject({ scope: `/subscriptions/${SUB}`, id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/${name}` });
    expect((await client.roleAssignments.get(`subscriptions/${SUB}`, name)).principalId).toBe(OTHER_PRINCIPAL);
    const listed = [];
    for await (const r of client.roleAssignments.listForScope(`/subscriptions/${SUB}`)) listed.push(r.name);
    expect(listed).toContain(name);
    await client.roleAssignments.delete(`/subscriptions/${SUB}`, name);
    expect(await statusOf(client.roleAssignments.get(`subscriptions/${SUB}`, name))).toBe('404 RoleAssignmentNotFound');
  });
});
