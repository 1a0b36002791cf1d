/**
 * ARM role assignments (Microsoft.Authorization 2022-04-01) as the service keeps them:
 *   GET    {scope}/providers/Microsoft.Authorization/roleAssignments[?$filter=principalId eq '{id}']
 *   PUT / GET / DELETE {scope}/providers/Microsoft.Authorization/roleAssignments/{name}
 * The name is the assignment's identity across the whole directory ("You can't create two role assignments with the
 * same name, even in different Azure subscriptions", azure-docs role-based-access-control/troubleshooting.md): a
 * PUT of an existing name is an update, which succeeds (200) only when nothing changes (the 2022-04-01 spec's
 * RoleAssignments_CreateForSubscription example lists 201 and 200) and is otherwise refused 400
 * RoleAssignmentUpdateNotPermitted ("You also can't change the properties of an existing role assignment", same page).
 * A new name for a principal that already holds the role on the scope is 409 RoleAssignmentExists.
 */
import type { ArmStore, RoleAssignment } from './arm-store';

export interface ArmReply {
  status: number;
  body?: unknown;
}

export const armError = (status: number, code: string, message: string): ArmReply => ({ status, body: { error: { code, message } } });

/** A role definition names the same role whatever scope prefixes it (ARM answers `/providers/…/roleDefinitions/{guid}`). */
const roleGuid = (roleDefinitionId: string): string => (roleDefinitionId.split('/').pop() ?? '').toLowerCase();
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function roleView(r: RoleAssignment): Record<string, unknown> {
  return {
    id: `${r.scope}/providers/Microsoft.Authorization/roleAssignments/${r.name}`, name: r.name, type: 'Microsoft.Authorization/roleAssignments',
    properties: { roleDefinitionId: r.roleDefinitionId, principalId: r.principalId, principalType: r.principalType, scope: r.scope },
  };
}

function put(store: ArmStore, scope: string, name: string, body: unknown): ArmReply {
  const props = (body as { properties?: { roleDefinitionId?: string; principalId?: string; principalType?: string } } | undefined)?.properties;
  if (!props?.roleDefinitionId || !props.principalId) return armError(400, 'InvalidRoleAssignmentRequest', 'properties.roleDefinitionId and properties.principalId are required.');
  const wanted = { scope, principalId: props.principalId, role: roleGuid(props.roleDefinitionId) };
  const matches = (r: RoleAssignment) => same(r.scope, wanted.scope) && same(r.principalId, wanted.principalId) && roleGuid(r.roleDefinitionId) === wanted.role;
  const existing = store.roleAssignments.find((r) => same(r.name, name));
  if (existing) {
    return matches(existing)
      ? { status: 200, body: roleView(existing) }
      : armError(400, 'RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
  }
  if (store.roleAssignments.some(matches)) return armError(409, 'RoleAssignmentExists', 'The role assignment already exists.');
  const created: RoleAssignment = { name, scope, principalId: props.principalId, roleDefinitionId: props.roleDefinitionId, principalType: props.principalType ?? 'ServicePrincipal' };
  store.roleAssignments.push(created);
  return { status: 201, body: roleView(created) };
}

export function routeRoleAssignments(store: ArmStore, method: string, scope: string, name: string | undefined, query: URLSearchParams, body: unknown): ArmReply {
  const list = store.roleAssignments;
  const at = (r: RoleAssignment) => same(r.scope, scope);
  if (!name) {
    if (method !== 'GET') return armError(405, 'MethodNotAllowed', `${method} is not allowed here.`);
    const principal = /principalId\s+eq\s+'([^']+)'/i.exec(query.get('$filter') ?? '')?.[1];
    return { status: 200, body: { value: list.filter((r) => at(r) && (!principal || same(r.principalId, principal))).map(roleView) } };
  }
  if (method === 'PUT') return put(store, scope, name, body);
  const index = list.findIndex((r) => at(r) && same(r.name, name));
  if (method === 'GET') return index >= 0 ? { status: 200, body: roleView(list[index] as RoleAssignment) } : armError(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);
  if (method === 'DELETE') return index >= 0 ? { status: 200, body: roleView(list.splice(index, 1)[0] as RoleAssignment) } : { status: 204 };
  return armError(405, 'MethodNotAllowed', `${method} is not allowed here.`);
}
