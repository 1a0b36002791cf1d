import {
  TypeInfo,
  type ServiceEndpoint as ClientEndpoint,
  type ServiceEndpointExecutionRecord,
  type ServiceEndpointProjectReference as ClientProjectReference,
} from 'azure-devops-node-api/interfaces/ServiceEndpointInterfaces.js';
import type { ExecutionRecord, ServiceEndpoint, ServiceEndpointProjectReference } from '../domain/endpoint';
import { AppError } from '../domain/errors';

/**
 * Between the client's shapes and the domain's. The client turns date strings into Date, enum strings into numbers
 * and hangs `rateLimit` on results; the domain sees exactly what the REST API showed, as plain JSON.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Dates back to ISO strings, client-added `rateLimit` and undefined values dropped, in place. The value is the client's
 * own, freshly parsed from the response and referenced by nothing else: converting it where it lies, rather than
 * copying it, keeps one tree per list instead of two (a 2,000-connection list is megabytes of small objects).
 */
function plain(value: unknown): Json {
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value as Json;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = plain(value[i]);
    return value as Json;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const inner = record[key];
    if (key === 'rateLimit' || inner === undefined) delete record[key];
    else if (inner !== null && typeof inner === 'object') record[key] = plain(inner);
  }
  return record as Json;
}

function isEndpointLike(value: unknown): value is { id: string } {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

/** A 2xx body that is a bare string is the sign-in page or a proxy's page, never an Azure DevOps resource. */
function rejectText(value: unknown, operation: string): void {
  if (typeof value === 'string') throw new AppError('DEVOPS.UNAUTHORIZED', `Azure DevOps answered with text instead of JSON while ${operation}`);
}

/** Details of one connection; the service answers an unknown id with 200 and no body, the client a 404 with null. */
export function toEndpointOrNull(value: unknown, operation: string): ServiceEndpoint | null {
  rejectText(value, operation);
  return isEndpointLike(value) ? (plain(value) as unknown as ServiceEndpoint) : null;
}

/** On-premises servers answer an empty list as {"count":0,"value":null}, which the client does not unwrap. */
function isEmptyWrapper(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'count' in value && (value as { value?: unknown }).value == null;
}

export function toEndpoints(value: unknown, operation: string): ServiceEndpoint[] {
  rejectText(value, operation);
  if (value === null || value === undefined || isEmptyWrapper(value)) return [];
  if (!Array.isArray(value)) throw new AppError('DEVOPS.UNAVAILABLE', `Azure DevOps answered an unexpected shape while ${operation}`);
  return value.filter(isEndpointLike).map((e) => plain(e) as unknown as ServiceEndpoint);
}

/** The domain endpoint as the client's request type; dates travel as ISO strings either way once serialised. */
export function toClientEndpoint(endpoint: ServiceEndpoint): ClientEndpoint {
  return structuredClone(endpoint) as unknown as ClientEndpoint;
}

export function toClientProjectReferences(references: ServiceEndpointProjectReference[]): ClientProjectReference[] {
  return references.map((r) => ({
    projectReference: { ...r.projectReference },
    name: r.name,
    ...(r.description === null || r.description === undefined ? {} : { description: r.description }),
  }));
}

const RESULT_NAMES = new Map<number, string>(
  Object.entries(TypeInfo.ServiceEndpointExecutionResult.enumValues).map(([name, n]) => [n, name]),
);

function iso(value: Date | string | undefined): string | undefined {
  if (value instanceof Date) return value.toISOString();
  return value ?? undefined;
}

function resultName(result: unknown): string | undefined {
  if (typeof result === 'number') return RESULT_NAMES.get(result) ?? String(result);
  return typeof result === 'string' ? result : undefined;
}

export function toExecutionRecord(record: ServiceEndpointExecutionRecord, fallbackEndpointId: string): ExecutionRecord {
  const data = record.data ?? {};
  const out: ExecutionRecord = { endpointId: record.endpointId ?? fallbackEndpointId, id: Number(data.id ?? 0) };
  if (data.planType !== undefined) out.planType = data.planType;
  const result = resultName(data.result);
  if (result !== undefined) out.result = result;
  const startTime = iso(data.startTime);
  if (startTime !== undefined) out.startTime = startTime;
  const finishTime = iso(data.finishTime);
  if (finishTime !== undefined) out.finishTime = finishTime;
  if (data.definition?.name) out.definitionName = data.definition.name;
  if (typeof data.definition?.id === 'number') out.definitionId = data.definition.id;
  if (data.owner?.name) out.ownerName = data.owner.name;
  return out;
}
