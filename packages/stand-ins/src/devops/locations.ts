/**
 * Discovery data the real client reads before any call (facts §6.1): the Location area's OPTIONS, the resource
 * areas, and each area's location table (ids, route templates, versions). Ids are the ones the node client
 * hard-codes; the versions make its negotiation keep the requested 7.2-preview.N.
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

export const SERVICE_ENDPOINT_AREA_ID = '1814ab31-2f4f-4a9f-8761-f4d77dc5a5d7';
export const CORE_AREA_ID = '79134c72-4a58-4b42-976c-04e7115f32bf';
export const LOCATION_AREA_ID = '00d9565f-ed9c-4a06-9a50-00e7896ccab4';

function location(id: string, area: string, resourceName: string, routeTemplate: string, resourceVersion: number): ApiLocation {
  return { id, area, resourceName, routeTemplate, resourceVersion, minVersion: '1.0', maxVersion: '7.2', releasedVersion: '7.1' };
}

const AREA_LOCATIONS: Record<string, ApiLocation[]> = {
  location: [
    location('e81700f7-3be2-46de-8624-2eb35882fcaa', 'Location', 'ResourceAreas', '_apis/{resource}/{areaId}', 1),
  ],
  serviceendpoint: [
    location('14e48fdc-2c8b-41ce-a0c3-e26f6cc55bd0', 'serviceendpoint', 'endpoints', '_apis/{area}/{resource}/{endpointId}', 4),
    location('e85f1c62-adfc-4b74-b618-11a150fb195e', 'serviceendpoint', 'endpoints', '{project}/_apis/{area}/{resource}/{endpointId}', 4),
    location('10a16738-9299-4cd1-9a81-fd23ad6200d0', 'serviceendpoint', 'executionhistory', '{project}/_apis/{area}/{endpointId}/{resource}', 1),
    location('5a7938a4-655e-486c-b562-b78c54a7e87b', 'serviceendpoint', 'types', '_apis/{area}/{resource}', 1),
    location('a01a273f-aa29-4066-b042-3ea628ef6848', 'serviceendpoint', 'types', '_apis/{area}/{resource}', 1),
  ],
  core: [
    location('603fe2ac-9723-48b9-88ad-09305aa6c6e1', 'core', 'projects', '_apis/{resource}/{*projectId}', 4),
  ],
};

/** Location table of one area (case-insensitive), or undefined when the emulator does not serve it. */
export function areaLocations(area: string): ApiLocation[] | undefined {
  return AREA_LOCATIONS[area.toLowerCase()];
}

export interface ResourceArea {
  id: string;
  name: string;
  locationUrl: string;
}

/** The cloud shape: every served area points back at this organization (trailing slash, as dev.azure.com answers). */
export function resourceAreas(orgUrl: string): ResourceArea[] {
  const locationUrl = `${orgUrl}/`;
  return [
    { id: SERVICE_ENDPOINT_AREA_ID, name: 'serviceendpoint', locationUrl },
    { id: CORE_AREA_ID, name: 'core', locationUrl },
    { id: LOCATION_AREA_ID, name: 'Location', locationUrl },
  ];
}
