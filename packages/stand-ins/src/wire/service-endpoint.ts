/**
 * The wire shapes of the serviceendpoint area, written from the official 7.2 OpenAPI description
 * (shared/reference/azure-devops-serviceendpoint/serviceEndpoint.json, `definitions`). Only the fields the
 * stand-in stores or answers; everything is optional where the spec does not mark it required.
 */
export interface ProjectReference {
  id: string;
  name?: string;
}

export interface ServiceEndpointProjectReference {
  projectReference: ProjectReference;
  name: string;
  description?: string | null;
}

/** `EndpointAuthorization`: `parameters` is a string dictionary the service compares case-insensitively. */
export interface EndpointAuthorization {
  scheme: string;
  parameters?: Record<string, string | null> | null;
}

/** `IdentityRef`, reduced to what the stand-in writes. */
export interface IdentityRef {
  id?: string;
  displayName?: string;
  uniqueName?: string;
  descriptor?: string;
  [key: string]: unknown;
}

/** `ServiceEndpoint` (spec definitions); `operationStatus` is a JObject the service fills with state/statusMessage. */
export interface ServiceEndpoint {
  id: string;
  name: string;
  type: string;
  url?: string;
  description?: string | null;
  authorization?: EndpointAuthorization | null;
  data?: Record<string, string> | null;
  isShared?: boolean;
  isReady?: boolean;
  isOutdated?: boolean;
  isDisabled?: boolean;
  owner?: string;
  // .NET serialises absent values as null; SDK clients that read a connection back hand dates over as Date objects.
  createdBy?: IdentityRef | null;
  creationDate?: string | Date | null;
  modifiedBy?: IdentityRef | null;
  modificationDate?: string | Date | null;
  operationStatus?: { state?: string; statusMessage?: string; [key: string]: unknown } | null;
  serviceEndpointProjectReferences?: ServiceEndpointProjectReference[];
  serviceManagementReference?: string | null;
  [key: string]: unknown;
}

/**
 * Dictionary lookup the way the service does it: authorization parameters and data are case-insensitive
 * dictionaries on the server (tenantid and tenantId are the same key).
 */
export function lookup<T>(dict: Record<string, T> | null | undefined, name: string): T | undefined {
  if (!dict) return undefined;
  if (Object.hasOwn(dict, name)) return dict[name];
  const lower = name.toLowerCase();
  const key = Object.keys(dict).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : dict[key];
}

/** An authorization parameter of the endpoint, case-insensitively. */
export function authParameter(endpoint: Pick<ServiceEndpoint, 'authorization'>, name: string): string | undefined {
  return lookup(endpoint.authorization?.parameters ?? undefined, name) ?? undefined;
}
