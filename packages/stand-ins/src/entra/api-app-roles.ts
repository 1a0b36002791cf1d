/**
 * App roles of custom APIs granted to client apps: what an admin does in "API permissions > Application permissions"
 * for an app that exposes roles (an MCP server's `Mcp.Agent`, say). Entra puts the roles granted to the calling
 * client's service principal on the resource into `roles` of an app-only token for that resource; none granted, no
 * claim (access-token-claims-reference.md). Graph's permissions are kept apart (ApplicationRegistry.graphPermissionsOf).
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The app (client) id an audience names: the id itself, or the default Application ID URI `api://<app id>`.
 * Undefined for resource URIs (https://graph.microsoft.com) and custom App ID URIs the stand-in does not model.
 */
export function apiAppIdOf(audience: string): string | undefined {
  const id = audience.replace(/^api:\/\//i, '').replace(/\/+$/, '');
  return GUID.test(id) ? id : undefined;
}

export class ApiAppRoles {
  private readonly grants = new Map<string, Set<string>>();

  /** Replaces what `clientAppId` is granted on `resourceAppId` (an admin consenting; [] revokes). */
  grant(clientAppId: string, resourceAppId: string, roles: readonly string[]): void {
    const key = grantKey(clientAppId, resourceAppId);
    if (roles.length === 0) this.grants.delete(key);
    else this.grants.set(key, new Set(roles));
  }

  /** The roles an app-only token of `clientAppId` for `audience` carries. */
  rolesOf(clientAppId: string, audience: string): string[] {
    const resource = apiAppIdOf(audience);
    return resource ? [...(this.grants.get(grantKey(clientAppId, resource)) ?? [])] : [];
  }
}

const grantKey = (client: string, resource: string): string => `${client.toLowerCase()}|${resource.toLowerCase()}`;
