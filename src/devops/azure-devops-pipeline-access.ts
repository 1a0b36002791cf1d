/**
 * The PipelineAccess port over the REST areas azure-devops-node-api has no typed client for: pipelines,
 * pipelinePermissions and securityroles (facts lifecycle §2). Every call goes through the service-endpoints
 * adapter's `rest`, so tokens, retries, rate limits and DEVOPS.* error codes are the same as everywhere else.
 */
import type { EndpointPermissions, Grant, PermissionsChange, PipelineRef, RoleAssignment } from '../domain/pipeline-access';
import { AppError } from '../domain/errors';
import type { PipelineAccess } from './pipeline-access.port';

export interface DevOpsRest {
  rest<T>(operation: string, method: 'GET' | 'PATCH' | 'PUT', path: string, body?: unknown): Promise<T | null>;
}

const PERMISSIONS_VERSION = '7.1-preview.1';
const ROLES_VERSION = '7.1-preview.1';
const PIPELINES_VERSION = '7.1';
/** The pipelines list pages with a continuation header the REST client drops; one large page covers real projects. */
const PIPELINES_TOP = 5000;

interface IdentityJson { displayName?: string; uniqueName?: string; id?: string }
interface GrantJson { authorized?: boolean; authorizedBy?: IdentityJson | null; authorizedOn?: string | null }
interface PermissionsJson { allPipelines?: GrantJson | null; pipelines?: Array<GrantJson & { id?: number }> | null }
interface Wrapped<T> { count?: number; value?: T[] | null }
interface RoleJson { identity?: IdentityJson; role?: { name?: string; displayName?: string }; access?: string | number; accessDisplayName?: string }

const seg = (value: string): string => encodeURIComponent(value);

function grantOf(json: GrantJson | null | undefined): Grant {
  const by = json?.authorizedBy?.displayName ?? json?.authorizedBy?.uniqueName;
  const on = json?.authorizedOn ?? undefined;
  return { ...(by ? { by } : {}), ...(on ? { on: String(on) } : {}) };
}

export function toPermissions(json: PermissionsJson | null): EndpointPermissions {
  const open = json?.allPipelines?.authorized === true;
  const pipelines = (json?.pipelines ?? [])
    .filter((p) => typeof p.id === 'number' && p.authorized !== false)
    .map((p) => ({ id: p.id as number, ...grantOf(p) }));
  return { allPipelines: open, ...(open ? { allPipelinesGrant: grantOf(json?.allPipelines) } : {}), pipelines };
}

function toRole(json: RoleJson): RoleAssignment {
  const access = String(json.accessDisplayName ?? json.access ?? 'assigned').toLowerCase();
  const uniqueName = json.identity?.uniqueName;
  return {
    identity: json.identity?.displayName ?? uniqueName ?? json.identity?.id ?? 'unknown identity',
    ...(uniqueName ? { uniqueName } : {}),
    role: json.role?.name ?? json.role?.displayName ?? 'unknown role',
    access: access === '2' || access.startsWith('inherit') ? 'inherited' : 'assigned',
  };
}

export class AzureDevOpsPipelineAccess implements PipelineAccess {
  constructor(private readonly devops: DevOpsRest) {}

  async pipelines(project: string): Promise<PipelineRef[]> {
    const answer = await this.devops.rest<Wrapped<{ id?: number; name?: string; folder?: string }>>(
      'listing pipelines', 'GET', `${seg(project)}/_apis/pipelines?$top=${PIPELINES_TOP}&api-version=${PIPELINES_VERSION}`);
    return (answer?.value ?? [])
      .filter((p): p is { id: number; name: string; folder?: string } => typeof p.id === 'number' && typeof p.name === 'string')
      .map((p) => ({ id: p.id, name: p.name, ...(p.folder && p.folder !== '\\' ? { folder: p.folder } : {}) }));
  }

  async permissions(project: string, endpointId: string): Promise<EndpointPermissions> {
    const answer = await this.devops.rest<PermissionsJson>('reading pipeline permissions', 'GET', this.permissionsPath(project, endpointId));
    if (answer === null) throw new AppError('DEVOPS.NOT_FOUND', `No pipeline permissions for connection ${endpointId} in this project`, { status: 404 });
    return toPermissions(answer);
  }

  async setPermissions(project: string, endpointId: string, change: PermissionsChange): Promise<EndpointPermissions> {
    const body = {
      resource: { type: 'endpoint', id: endpointId },
      ...(change.allPipelines === undefined ? {} : { allPipelines: { authorized: change.allPipelines } }),
      pipelines: change.pipelines ?? [],
    };
    return toPermissions(await this.devops.rest<PermissionsJson>('changing pipeline permissions', 'PATCH', this.permissionsPath(project, endpointId), body));
  }

  async openEndpoints(project: string): Promise<string[]> {
    // The build API's authorizedresources lists, per project, what every pipeline may use (lifecycle §2.2).
    const answer = await this.devops.rest<Wrapped<{ id?: string; type?: string; authorized?: boolean }>>(
      'listing resources open to all pipelines', 'GET', `${seg(project)}/_apis/build/authorizedresources?type=endpoint&api-version=${PERMISSIONS_VERSION}`);
    return (answer?.value ?? []).filter((r) => r.authorized !== false && typeof r.id === 'string' && (r.type ?? 'endpoint') === 'endpoint').map((r) => r.id as string);
  }

  async roles(projectId: string, endpointId: string): Promise<RoleAssignment[]> {
    const path = `_apis/securityroles/scopes/distributedtask.serviceendpointrole/roleassignments/resources/${seg(`${projectId}_${endpointId}`)}?api-version=${ROLES_VERSION}`;
    const answer = await this.devops.rest<Wrapped<RoleJson> | RoleJson[]>('reading connection roles', 'GET', path);
    const list = Array.isArray(answer) ? answer : answer?.value ?? [];
    return list.map(toRole);
  }

  private permissionsPath(project: string, endpointId: string): string {
    return `${seg(project)}/_apis/pipelines/pipelinePermissions/endpoint/${seg(endpointId)}?api-version=${PERMISSIONS_VERSION}`;
  }
}
