/**
 * Service-connection security roles (facts lifecycle §2.4): scope `distributedtask.serviceendpointrole`, resource
 * `{projectId}_{endpointId}` (the project GUID; a name matches nothing), and the project's own scope
 * `distributedtask.project.serviceendpointrole`, resource `{projectId}`, whose roles every connection of the project
 * lists as `access: inherited`. GET lists, PUT sets `[{ userId, roleName }]` (an identity the organization does not
 * know is left out of the answer, so `count: 0` means "not recognised"), PATCH `["<identityId>"]` removes.
 */
import { ENDPOINT_ROLE_SCOPE, PROJECT_ROLE_SCOPE, PROJECT_ROLES, ROLES, type Assignment, type RoleName } from './role-store';
import { wrapped, type ApiAnswer, type ApiRequest, type HandlerEnv } from './http-types';
import { argumentError, argumentNullError } from './vss-error';

const ROLE_TEXT: Record<RoleName, string> = {
  Administrator: 'Administrator can use, manage, view and share the service connection.',
  Creator: 'Creator can create service connections in the project.',
  User: 'User can use the service connection when authoring build or release pipelines.',
  Reader: 'Reader can only view the service connection.',
};
const ALLOW: Record<RoleName, number> = { Administrator: 27, Creator: 19, User: 17, Reader: 1 };

function wire(env: HandlerEnv, scope: string, a: Assignment): Record<string, unknown> | undefined {
  const identity = env.ctx.state.roles.identity(a.identityId);
  if (!identity) return undefined;
  return {
    identity: { id: identity.id, displayName: identity.displayName, uniqueName: identity.uniqueName ?? identity.displayName },
    role: {
      name: a.role, displayName: a.role, identifier: `${scope}.${a.role}`, scope,
      description: ROLE_TEXT[a.role], allowPermissions: ALLOW[a.role], denyPermissions: 0,
    },
    access: a.inherited ? 'inherited' : 'assigned', accessDisplayName: a.inherited ? 'Inherited' : 'Assigned',
  };
}

/** True for `{projectGuid}_{endpointGuid}` naming a connection shared into that project, or a project's GUID. */
function resourceExists(env: HandlerEnv, scope: string, resourceId: string): boolean {
  if (scope === PROJECT_ROLE_SCOPE) return /^[0-9a-f-]{36}$/i.test(resourceId) && env.ctx.state.project(resourceId)?.id.toLowerCase() === resourceId.toLowerCase();
  const match = /^([0-9a-f-]{36})_([0-9a-f-]{36})$/i.exec(resourceId);
  if (!match?.[1] || !match[2]) return false;
  const endpoint = env.ctx.state.live(match[2]);
  return (endpoint?.serviceEndpointProjectReferences ?? []).some((r) => r.projectReference.id.toLowerCase() === match[1]?.toLowerCase());
}

function put(env: HandlerEnv, scope: string, resourceId: string, body: unknown): ApiAnswer {
  if (!Array.isArray(body)) throw argumentNullError('roleAssignments');
  const roles = env.ctx.state.roles;
  const names: readonly RoleName[] = scope === PROJECT_ROLE_SCOPE ? PROJECT_ROLES : ROLES;
  const set = (body as Array<{ userId?: string; roleName?: string }>).flatMap((r) => {
    const role = names.find((n) => n.toLowerCase() === String(r?.roleName ?? '').toLowerCase());
    if (!role) throw argumentError(`The role '${r?.roleName}' does not exist in scope ${scope}.`);
    const identity = r.userId ? roles.identity(r.userId) : undefined;
    if (!identity || !resourceExists(env, scope, resourceId)) return [];
    roles.set(resourceId, identity.id, role);
    return [wire(env, scope, { identityId: identity.id, role, inherited: false })];
  });
  return { status: 200, body: wrapped(set) };
}

/** `_apis/securityroles/scopes/{scopeId}/roleassignments/resources/{resourceId}`. */
export function roleAssignmentsAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer | undefined {
  const [, scopes, scopeId, resource, resources, resourceId] = req.rest;
  if (scopes?.toLowerCase() !== 'scopes' || resource?.toLowerCase() !== 'roleassignments' || resources?.toLowerCase() !== 'resources' || !resourceId || req.rest.length !== 6) return undefined;
  const scope = scopeId?.toLowerCase() ?? '';
  if (scope !== ENDPOINT_ROLE_SCOPE && scope !== PROJECT_ROLE_SCOPE) {
    throw argumentError(`The scope '${scopeId}' is not served by this stand-in; ${ENDPOINT_ROLE_SCOPE} and ${PROJECT_ROLE_SCOPE} are.`);
  }
  const roles = env.ctx.state.roles;
  if (req.method === 'GET') {
    const listed = resourceExists(env, scope, resourceId) ? roles.assignments(resourceId) : [];
    return { status: 200, body: wrapped(listed.flatMap((a) => wire(env, scope, a) ?? [])) };
  }
  if (req.method === 'PUT') return put(env, scope, resourceId, req.body);
  if (req.method === 'PATCH') {
    if (!Array.isArray(req.body)) throw argumentNullError('identityIds');
    for (const id of req.body) roles.remove(resourceId, String(id));
    return { status: 204 };
  }
  return undefined;
}
