/**
 * How stored endpoints look on the wire: secrets nulled, the project's own name/description on top (a shared
 * connection may be named differently in each project), and the list filters of GetServiceEndpoints(ByNames).
 */
import { lookup, type ServiceEndpoint } from '../wire/service-endpoint';
import { withoutConfidential } from '../wire/confidential';
import type { Project } from './state';
import { argumentError } from './vss-error';

export function referencesProject(endpoint: ServiceEndpoint, project: Project): boolean {
  const id = project.id.toLowerCase();
  return (endpoint.serviceEndpointProjectReferences ?? []).some((r) => r.projectReference.id.toLowerCase() === id);
}

/** The wire form of one endpoint, as seen from `project` (or org-wide when undefined). */
export function wireView(endpoint: ServiceEndpoint, project?: Project): ServiceEndpoint {
  // Fresh copies of exactly what a response may be changed in later (top level, authorization, data, references);
  // a full structuredClone of every endpoint on every list dominated the emulator's answer time.
  const out = withoutConfidential({ ...endpoint, data: endpoint.data ? { ...endpoint.data } : endpoint.data });
  const refs = (out.serviceEndpointProjectReferences ?? []).map((r) => ({ ...r, projectReference: { ...r.projectReference } }));
  const ref = project && refs.find((r) => r.projectReference.id.toLowerCase() === project.id.toLowerCase());
  if (ref) {
    out.name = ref.name;
    out.description = ref.description ?? '';
  }
  return {
    ...out,
    data: out.data ?? {},
    description: out.description ?? '',
    isShared: refs.length > 1,
    isReady: out.isReady ?? true,
    isOutdated: out.isOutdated ?? false,
    isDisabled: out.isDisabled ?? false,
    owner: out.owner ?? 'library',
    operationStatus: out.operationStatus ? { ...out.operationStatus } : { state: 'Ready', statusMessage: '' },
    serviceEndpointProjectReferences: refs,
  };
}

export interface ListFilter {
  type?: string;
  authSchemes?: string[];
  endpointIds?: string[];
  endpointNames?: string[];
  owner?: string;
  includeFailed: boolean;
}

const csv = (value: string | null): string[] | undefined =>
  value ? value.split(',').map((v) => v.trim().toLowerCase()).filter((v) => v.length > 0) : undefined;

/** ServiceEndpointActionFilter is a numeric enum the client sends as a number; names work on the server too. */
const ACTION_FILTERS = new Map([['none', 0], ['manage', 2], ['use', 16], ['view', 32]]);

export function checkActionFilter(value: string | null): void {
  if (value === null || value === '') return;
  const known = ACTION_FILTERS.has(value.toLowerCase()) || [...ACTION_FILTERS.values()].includes(Number(value));
  if (!known) throw argumentError(`The value '${value}' is not valid for actionFilter.`);
}

export function listFilter(query: URLSearchParams): ListFilter {
  checkActionFilter(query.get('actionFilter'));
  const get = (name: string): string | undefined => query.get(name)?.trim().toLowerCase() || undefined;
  return {
    type: get('type'),
    authSchemes: csv(query.get('authSchemes')),
    endpointIds: csv(query.get('endpointIds')),
    endpointNames: csv(query.get('endpointNames')),
    owner: get('owner'),
    includeFailed: get('includeFailed') === 'true',
  };
}

/** `includeFailed=false` hides connections whose last operation failed and that are not ready (facts §2). */
function lastOperationFailed(view: ServiceEndpoint): boolean {
  return view.isReady === false && String(view.operationStatus?.state ?? '').toLowerCase() === 'failed';
}

/** Applies the filter to wire views (names are the project-specific ones). */
export function matchesFilter(view: ServiceEndpoint, filter: ListFilter): boolean {
  if (!filter.includeFailed && lastOperationFailed(view)) return false;
  if (filter.type && view.type.toLowerCase() !== filter.type) return false;
  if (filter.authSchemes && !filter.authSchemes.includes((view.authorization?.scheme ?? 'none').toLowerCase())) return false;
  if (filter.endpointIds && !filter.endpointIds.includes(view.id.toLowerCase())) return false;
  if (filter.endpointNames && !filter.endpointNames.includes(view.name.toLowerCase())) return false;
  if (filter.owner && (view.owner ?? 'library').toLowerCase() !== filter.owner) return false;
  return true;
}

/** Case-insensitive read of an authorization parameter (tenantid vs tenantId in the wild). */
export function parameter(endpoint: ServiceEndpoint, name: string): string | undefined {
  return lookup(endpoint.authorization?.parameters ?? undefined, name) ?? undefined;
}
