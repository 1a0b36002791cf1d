/**
 * Per-connection security roles (facts lifecycle §2.4): scope `distributedtask.serviceendpointrole`, resource
 * `{projectId}_{endpointId}` (the project GUID; a name matches nothing). GET lists, PUT sets
 * `[{ userId, roleName }]` (an identity the organization does not know is left out of the answer, so `count: 0`
 * means "not recognised"), PATCH `["<identityId>"]` removes.
 */
import { ENDPOINT_ROLE_SCOPE, ROLES, type RoleName, type SeedIdentity } from './role-store';
import { wrapped, type ApiAnswer, type ApiRequest, type HandlerEnv } from './http-types';
import { argumentError, argumentNullError } from './vss-error';

const ROLE_TEXT: Record<RoleName, string> = {
  Administrator: 'Administrator can use, manage, view and share the service connection.',
  User: 'User can use the service connection when authoring build or release pipelines.',
  Reader: 'Reader can only view the service connection.',
};

function wire(a: { identity: SeedIdentity; role: RoleName }): Record<string, unknown> {
  return {
    identity: { id: a.identity.id, displayName: a.identity.displayName, uniqueName: a.identity.uniqueName ?? a.identity.displayName },
    role: {
      name: a.role, displayName: a.role, identifier: `${ENDPOINT_ROLE_SCOPE}.${a.role}`, scope: ENDPOINT_ROLE_SCOPE,
      description: ROLE_TEXT[a.role], allowPermissions: a.role === 'Administrator' ? 27 : a.role === 'User' ? 17 : 1, denyPermissions: 0,
    },
    access: 'assigned', accessDisplayName: 'Assigned',
  };
}

/** True for `{projectGuid}_{endpointGuid}` naming a connection shared into that project. */
function resourceExists(env: HandlerEnv, resourceId: string): boolean {
  const match = /^([0-9a-f-]{36})_([0-9a-f-]{36})$/i.exec(resourceId);
  if (!match?.[1] || !match[2]) return false;
  const endpoint = env.ctx.state.live(match[2]);
  return (endpoint?.serviceEndpointProjectReferences ?? []).some((r) => r.projectReference.id.toLowerCase() === match[1]?.toLowerCase());
}

function put(env: HandlerEnv, resourceId: string, body: unknown): ApiAnswer {
  if (!Array.isArray(body)) throw argumentNullError('roleAssignments');
  const roles = env.ctx.state.roles;
  const set = (body as Array<{ userId?: string; roleName?: string }>).flatMap((r) => {
    const role = ROLES.find((n) => n.toLowerCase() === String(r?.roleName ?? '').toLowerCase());
    if (!role) throw argumentError(`The role '${r?.roleName}' does not exist in scope ${ENDPOINT_ROLE_SCOPE}.`);
    const identity = r.userId ? roles.identity(r.userId) : undefined;
    if (!identity || !resourceExists(env, resourceId)) return [];
    roles.set(resourceId, identity.id, role);
    return [wire({ identity, role })];
  });
  return { status: 200, body: wrapped(set) };
}

/** `_apis/securityroles/scopes/{scopeId}/roleassignments/resources/{resourceId}`. */
export function roleAssignmentsAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer | undefined {
  const [, scopes, scopeId, resource, resources, resourceId] = req.rest;
  if (scopes?.toLowerCase() !== 'scopes' || resource?.toLowerCase() !== 'roleassignments' || resources?.toLowerCase() !== 'resources' || !resourceId || req.rest.length !== 6) return undefined;
  if (scopeId?.toLowerCase() !== ENDPOINT_ROLE_SCOPE) throw argumentError(`The scope '${scopeId}' is not served by this stand-in; ${ENDPOINT_ROLE_SCOPE} is.`);
  const roles = env.ctx.state.roles;
  if (req.method === 'GET') {
    const listed = resourceExists(env, resourceId) ? roles.assignments(resourceId) : [];
    return { status: 200, body: wrapped(listed.map(wire)) };
  }
  if (req.method === 'PUT') return put(env, resourceId, req.body);
  if (req.method === 'PATCH') {
    if (!Array.isArray(req.body)) throw argumentNullError('identityIds');
    for (const id of req.body) roles.remove(resourceId, String(id));
    return { status: 204 };
  }
  return undefined;
}
