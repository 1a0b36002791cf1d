/**
 * The location table: every route the stand-in serves, as the service describes it to clients that discover
 * before they call. azure-devops-node-api asks per area (`OPTIONS {org}/_apis/{area}`); the Python client and the
 * Azure CLI ask once for everything (`OPTIONS {org}/_apis`, optionally `?allHostTypes=true`); both read
 * `GET {org}/_apis/ResourceAreas` to find each area's host. Both views come from this one table, so they cannot
 * disagree. Ids are the ones Microsoft's generated clients hard-code; a route is listed only if it is served.
 */
export interface ApiLocation {
  id: string;
  area: string;
  resourceName: string;
  routeTemplate: string;
  resourceVersion: number;
  minVersion: string;
  maxVersion: string;
  releasedVersion: string;
}

export interface ResourceArea {
  id: string;
  name: string;
  locationUrl: string;
}

export const SERVICE_ENDPOINT_AREA_ID = '1814ab31-2f4f-4a9f-8761-f4d77dc5a5d7';
export const CORE_AREA_ID = '79134c72-4a58-4b42-976c-04e7115f32bf';
export const LOCATION_AREA_ID = '00d9565f-ed9c-4a06-9a50-00e7896ccab4';
export const BUILD_AREA_ID = '965220d5-5bb9-42cf-8d67-9b146df2a5a4';
/** The id azure-devops-node-api's getPipelinesApi looks the pipelines area up by. */
export const PIPELINES_AREA_ID = '5264459e-e5e0-4bd8-b118-0985e68a4ec5';
export const PIPELINE_PERMISSIONS_AREA_ID = 'a81a0441-de52-4000-aa15-ff0e07bfbbaa';
/** Identities (spec ims/7.1: x-ms-vss-resource-area-id); on the service its host is vssps.dev.azure.com. */
export const IDENTITIES_AREA_ID = '8a3d49b8-91f0-46ef-b33d-dda338c25db3';
/** The Audit area (audit.json x-ms-vss-resource-area-id); on the service its host is auditservice.dev.azure.com. */
export const AUDIT_AREA_ID = '94ff054d-5ee1-413d-9341-3f4a7827de2e';

/**
 * Areas the stand-in serves, by name as the service spells it (lookups are case-insensitive). securityroles has no
 * resource area: the official clients call it on the organization URL without looking one up.
 */
const AREAS: ReadonlyArray<{ id: string; name: string }> = [
  { id: SERVICE_ENDPOINT_AREA_ID, name: 'serviceendpoint' },
  { id: CORE_AREA_ID, name: 'core' },
  { id: LOCATION_AREA_ID, name: 'Location' },
  { id: BUILD_AREA_ID, name: 'build' },
  { id: PIPELINES_AREA_ID, name: 'pipelines' },
  { id: PIPELINE_PERMISSIONS_AREA_ID, name: 'pipelinePermissions' },
  { id: IDENTITIES_AREA_ID, name: 'IMS' },
  { id: AUDIT_AREA_ID, name: 'Audit' },
];

/**
 * Versions: the clients in use send 3.2-preview.1 (node securityroles), 4.1-preview.1 (the spec's examples),
 * 5.0-preview.x (azure-devops-python-api v5_0, the CLI) up to 7.2-preview.N, so every route accepts 1.0 … 7.2.
 */
function location(id: string, area: string, resourceName: string, routeTemplate: string, resourceVersion: number): ApiLocation {
  return { id, area, resourceName, routeTemplate, resourceVersion, minVersion: '1.0', maxVersion: '7.2', releasedVersion: '7.1' };
}

const LOCATIONS: readonly ApiLocation[] = [
  location('e81700f7-3be2-46de-8624-2eb35882fcaa', 'Location', 'ResourceAreas', '_apis/{resource}/{areaId}', 1),
  location('14e48fdc-2c8b-41ce-a0c3-e26f6cc55bd0', 'serviceendpoint', 'endpoints', '_apis/{area}/{resource}/{endpointId}', 4),
  location('e85f1c62-adfc-4b74-b618-11a150fb195e', 'serviceendpoint', 'endpoints', '{project}/_apis/{area}/{resource}/{endpointId}', 4),
  location('10a16738-9299-4cd1-9a81-fd23ad6200d0', 'serviceendpoint', 'executionhistory', '{project}/_apis/{area}/{endpointId}/{resource}', 1),
  location('55b9ed4b-5404-41b1-b9d2-7ed757d02bb0', 'serviceendpoint', 'executionhistory', '{project}/_apis/{area}/{resource}', 1),
  location('5a7938a4-655e-486c-b562-b78c54a7e87b', 'serviceendpoint', 'types', '_apis/{area}/{resource}', 1),
  location('a01a273f-aa29-4066-b042-3ea628ef6848', 'serviceendpoint', 'types', '_apis/{area}/{resource}', 1),
  location('603fe2ac-9723-48b9-88ad-09305aa6c6e1', 'core', 'projects', '_apis/{resource}/{*projectId}', 4),
  location('398c85bc-81aa-4822-947c-a194a05f0fef', 'build', 'authorizedresources', '{project}/_apis/{area}/{resource}', 1),
  location('dbeaf647-6167-421a-bda9-c9327b25e2e6', 'build', 'definitions', '{project}/_apis/{area}/{resource}/{definitionId}', 7),
  location('28e1305e-2afe-47bf-abaf-cbb0e6a91988', 'pipelines', 'pipelines', '{project}/_apis/{resource}/{pipelineId}', 1),
  location('b5b9a4a4-e6cd-4096-853c-ab7d8b0c4eb2', 'pipelinePermissions', 'pipelinePermissions', '{project}/_apis/pipelines/{resource}/{resourceType}/{resourceId}', 1),
  location('28010c54-d0c0-4c89-a5b0-1c9e188b9fb7', 'IMS', 'Identities', '_apis/{resource}/{identityId}', 1),
  location('9461c234-c84c-4ed2-b918-2f0f92ad0a35', 'securityroles', 'roleassignments', '_apis/{area}/scopes/{scopeId}/{resource}/resources/{resourceId}/{identityId}', 1),
];

/** Location table of one area (case-insensitive), or undefined when the stand-in does not serve it. */
export function areaLocations(area: string): ApiLocation[] | undefined {
  const found = LOCATIONS.filter((l) => l.area.toLowerCase() === area.toLowerCase());
  return found.length > 0 ? found.map((l) => ({ ...l })) : undefined;
}

/** The whole table, as `OPTIONS {org}/_apis` answers it. */
export function allLocations(): ApiLocation[] {
  return LOCATIONS.map((l) => ({ ...l }));
}

/** The cloud shape: every served area points back at this organization (trailing slash, as dev.azure.com answers). */
export function resourceAreas(orgUrl: string): ResourceArea[] {
  return AREAS.map((a) => ({ id: a.id, name: a.name, locationUrl: `${orgUrl}/` }));
}
