/**
 * Per-connection security roles (facts lifecycle §2.4): scope `distributedtask.serviceendpointrole`, resource
 * `{projectId}_{endpointId}` (the project GUID; a name matches nothing). GET lists, PUT sets
 * `[{ userId, roleName }]` (an identity the organization does not know is left out of the answer, so `count: 0`
 * means "not recognised"), PATCH `["<identityId>"]` removes.
 */
import { z } from 'zod';
import { wrapped, type ApiAnswer, type ApiRequest, type HandlerEnv } from './http-types';
import { argumentError, argumentNullError } from './vss-error';

export const ENDPOINT_ROLE_SCOPE = 'distributedtask.serviceendpointrole';
const ROLES = ['Administrator', 'User', 'Reader'] as const;
type RoleName = (typeof ROLES)[number];

export const identitiesSeedSchema = z.array(z.object({ id: z.string().min(1), displayName: z.string().min(1), uniqueName: z.string().optional() }));
export const roleAssignmentsSeedSchema = z.array(z.object({
  project: z.string().min(1), endpointId: z.string().min(1), identityId: z.string().min(1), role: z.enum(ROLES),
}));
export type SeedIdentity = z.infer<typeof identitiesSeedSchema>[number];

const ROLE_TEXT: Record<RoleName, string> = {
  Administrator: 'Administrator can use, manage, view and share the service connection.',
  User: 'User can use the service connection when authoring build or release pipelines.',
  Reader: 'Reader can only view the service connection.',
};

/** identity id → role, per resource id (lower-cased). */
export class RoleAssignments {
  private readonly byResource = new Map<string, Map<string, RoleName>>();
  private readonly identities = new Map<string, SeedIdentity>();

  constructor(identities: SeedIdentity[]) {
    for (const identity of identities) this.identities.set(identity.id.toLowerCase(), identity);
  }

  identity(id: string): SeedIdentity | undefined {
    return this.identities.get(id.toLowerCase());
  }

  assignments(resourceId: string): Array<{ identity: SeedIdentity; role: RoleName }> {
    const roles = this.byResource.get(resourceId.toLowerCase()) ?? new Map<string, RoleName>();
    return [...roles.entries()].flatMap(([id, role]) => {
      const identity = this.identity(id);
      return identity ? [{ identity, role }] : [];
    });
  }

  set(resourceId: string, identityId: string, role: RoleName): void {
    const key = resourceId.toLowerCase();
    const roles = this.byResource.get(key) ?? new Map<string, RoleName>();
    roles.set(identityId.toLowerCase(), role);
    this.byResource.set(key, roles);
  }

  remove(resourceId: string, identityId: string): void {
    this.byResource.get(resourceId.toLowerCase())?.delete(identityId.toLowerCase());
  }
}

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
