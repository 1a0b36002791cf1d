/**
 * Everything around the endpoints resource the real client or bot asks for: location tables (OPTIONS), resource
 * areas, the core area's projects, and the endpoint type catalogue.
 */
import { allLocations, areaLocations, resourceAreas } from './locations';
import { wrapped, type ApiAnswer, type ApiRequest, type HandlerEnv } from './http-types';
import type { Project } from './state';
import { EMULATOR_IDENTITY } from './context';
import { VssError } from './vss-error';

/**
 * `OPTIONS {org}/_apis` (every location; `allHostTypes=true` adds nothing, as every route lives on the organization
 * host here) or `OPTIONS {org}/_apis/{area}` (that area's). Undefined for an area the stand-in does not serve.
 */
export function optionsAnswer(area: string | undefined): ApiAnswer | undefined {
  const locations = area === undefined ? allLocations() : areaLocations(area);
  return locations ? { status: 200, body: wrapped(locations) } : undefined;
}

/** `GET _apis/ResourceAreas[/{areaId}]`: the list, or one area by id (name accepted too). */
export function resourceAreasAnswer(env: HandlerEnv, areaId: string | undefined): ApiAnswer {
  const areas = resourceAreas(env.orgUrl);
  if (areaId === undefined) return { status: 200, body: wrapped(areas) };
  const area = areas.find((a) => a.id === areaId.toLowerCase() || a.name.toLowerCase() === areaId.toLowerCase());
  if (!area) {
    throw new VssError(404, 'ResourceAreaNotFoundException', `The resource area ${areaId} was not found.`, 3000,
      'Microsoft.VisualStudio.Services.Location.ResourceAreaNotFoundException, Microsoft.VisualStudio.Services.WebApi');
  }
  return { status: 200, body: area };
}

function teamProject(env: HandlerEnv, project: Project): Record<string, unknown> {
  return {
    id: project.id,
    name: project.name,
    description: project.description ?? '',
    url: `${env.orgUrl}/_apis/projects/${project.id}`,
    state: 'wellFormed',
    revision: 1,
    visibility: 'private',
    lastUpdateTime: '2024-01-01T00:00:00Z',
  };
}

export function projectsAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer {
  const idOrName = req.rest[1];
  if (idOrName) {
    const project = env.ctx.state.project(idOrName);
    if (!project) {
      throw new VssError(404, 'ProjectDoesNotExistWithNameException',
        `TF200016: The following project does not exist: ${idOrName}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`);
    }
    return { status: 200, body: teamProject(env, project) };
  }
  const skip = Number(req.query.get('$skip') ?? 0) || 0;
  const top = Number(req.query.get('$top') ?? 0) || Number.MAX_SAFE_INTEGER;
  const projects = env.ctx.state.projects().slice(skip, skip + top).map((p) => teamProject(env, p));
  return { status: 200, body: wrapped(projects) };
}

function hasScheme(type: Record<string, unknown>, scheme: string): boolean {
  const schemes = Array.isArray(type.authenticationSchemes) ? (type.authenticationSchemes as { scheme?: string }[]) : [];
  return schemes.some((s) => s.scheme?.toLowerCase() === scheme);
}

export function typesAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer {
  let types = [...env.ctx.state.endpointTypes];
  if (req.method === 'POST') {
    const names = Array.isArray(req.body) ? req.body.map((n) => String(n).toLowerCase()) : [];
    types = types.filter((t) => names.includes(String(t.name).toLowerCase()));
  }
  const type = req.query.get('type')?.toLowerCase();
  const scheme = req.query.get('scheme')?.toLowerCase();
  if (type) types = types.filter((t) => String(t.name).toLowerCase() === type);
  if (scheme) types = types.filter((t) => hasScheme(t, scheme));
  return { status: 200, body: wrapped(types) };
}

/** GET _apis/connectionData: what WebApi.connect() reads (who am I, which instance). */
export function connectionDataAnswer(env: HandlerEnv): ApiAnswer {
  const user = { id: EMULATOR_IDENTITY.id, descriptor: EMULATOR_IDENTITY.descriptor, providerDisplayName: EMULATOR_IDENTITY.displayName, isActive: true };
  return {
    status: 200,
    body: {
      authenticatedUser: user,
      authorizedUser: user,
      instanceId: env.ctx.organizationId,
      deploymentId: env.ctx.organizationId,
      deploymentType: 'hosted',
      locationServiceData: { serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7', defaultAccessMappingMoniker: 'PublicAccessMapping', accessMappings: [{ moniker: 'PublicAccessMapping', accessPoint: `${env.orgUrl}/` }] },
    },
  };
}
