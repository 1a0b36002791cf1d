/**
 * The service endpoint (service connection) as the Azure DevOps REST API shows it (7.2 definitions), and
 * pure helpers that answer the questions the bot asks of one. Field facts: shared/reference/azure-devops-api-facts.md §4.
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

export interface EndpointAuthorization {
  scheme: string;
  parameters?: Record<string, string | null> | null;
}

export interface IdentityRef {
  id?: string;
  displayName?: string;
  uniqueName?: string;
  [key: string]: unknown;
}

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
  operationStatus?: { state?: string; statusMessage?: string; [key: string]: unknown } | null;
  owner?: string;
  serviceEndpointProjectReferences?: ServiceEndpointProjectReference[];
  serviceManagementReference?: string | null;
  createdBy?: IdentityRef | null;
  modifiedBy?: IdentityRef | null;
  creationDate?: string | Date | null;
  modificationDate?: string | Date | null;
  [key: string]: unknown;
}

export type ExecutionResult = 'succeeded' | 'succeededWithIssues' | 'failed' | 'canceled' | 'skipped' | 'abandoned';

export interface ExecutionRecord {
  endpointId: string;
  id: number;
  planType?: string;
  result?: ExecutionResult | string;
  startTime?: string;
  finishTime?: string;
  definitionName?: string;
  /** The pipeline (definition) id: what pipelinePermissions authorizes. */
  definitionId?: number;
  ownerName?: string;
}

export type ConnectionState = 'Ready' | 'Failed' | 'InProgress' | 'NotReady';

/** Data keys Azure DevOps keeps only for connections it manages itself (creationMode Automatic). */
export const AUTOMATIC_ONLY_DATA_KEYS = ['azureSpnRoleAssignmentId', 'azureSpnPermissions', 'spnObjectId', 'appObjectId'] as const;

/** Read a key from a string dictionary case-insensitively: the service and scripts disagree on case (tenantid/tenantId). */
export function readKey<T>(dict: Record<string, T> | null | undefined, key: string): T | undefined {
  if (!dict) return undefined;
  if (key in dict) return dict[key];
  const lower = key.toLowerCase();
  const found = Object.keys(dict).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : dict[found];
}

export function connectionState(endpoint: ServiceEndpoint): ConnectionState {
  const state = String(endpoint.operationStatus?.state ?? '').toLowerCase();
  if (state === 'failed') return 'Failed';
  if (state === 'inprogress' || state === 'in progress' || state.startsWith('converting')) return 'InProgress';
  if (endpoint.isReady === false) return 'NotReady';
  return 'Ready';
}

/** Failed, as the delete-failed procedure defines it: not ready and the last operation failed. */
export function isFailed(endpoint: ServiceEndpoint): boolean {
  return endpoint.isReady === false && connectionState(endpoint) === 'Failed';
}

export function creationMode(endpoint: ServiceEndpoint): 'Automatic' | 'Manual' | undefined {
  const mode = readKey(endpoint.data ?? undefined, 'creationMode');
  if (!mode) return undefined;
  return mode.toLowerCase() === 'automatic' ? 'Automatic' : 'Manual';
}

export function authScheme(endpoint: ServiceEndpoint): string {
  return endpoint.authorization?.scheme ?? 'None';
}

export function projectsOf(endpoint: ServiceEndpoint): ProjectReference[] {
  return (endpoint.serviceEndpointProjectReferences ?? []).map((r) => r.projectReference);
}

/**
 * The project a connection lives in: the one it was created in (the others only have it through a share).
 * [infer] Azure DevOps names no owner. A connection is created with one project reference and a share (PATCH) appends
 * to the list, so the creating project comes first as the service answers (and as the emulator keeps the list); the
 * service does not document that order (terraform-provider-azuredevops#1248 reports it unordered), so a live check
 * is still owed. Used only to refuse (`unshare` from it), never to widen what the bot does.
 */
export function owningProject(endpoint: ServiceEndpoint): ProjectReference | undefined {
  return endpoint.serviceEndpointProjectReferences?.[0]?.projectReference;
}

export function isSharedEndpoint(endpoint: ServiceEndpoint): boolean {
  return Boolean(endpoint.isShared) || (endpoint.serviceEndpointProjectReferences?.length ?? 0) > 1;
}

/** The name a connection has in one project (a shared connection may be named differently in each). */
export function nameInProject(endpoint: ServiceEndpoint, projectIdOrName: string): string {
  const key = projectIdOrName.toLowerCase();
  const ref = endpoint.serviceEndpointProjectReferences?.find(
    (r) => r.projectReference.id.toLowerCase() === key || r.projectReference.name?.toLowerCase() === key,
  );
  return ref?.name ?? endpoint.name;
}

/** Workload identity federation issuer, if any (old Azure DevOps issuer or the Entra one). */
export function federationIssuer(endpoint: ServiceEndpoint): string | undefined {
  return readKey(endpoint.authorization?.parameters ?? undefined, 'workloadIdentityFederationIssuer') ?? undefined;
}

/** The Azure DevOps issuer that retires on 2027-07-01 (azure-devops-api-facts.md §7.3). */
export function usesRetiringIssuer(endpoint: ServiceEndpoint): boolean {
  const issuer = federationIssuer(endpoint)?.toLowerCase() ?? '';
  return issuer.startsWith('https://vstoken.dev.azure.com/') || issuer.startsWith('https://app.vstoken.visualstudio.com/');
}
