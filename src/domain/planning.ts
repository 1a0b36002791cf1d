/**
 * What every planner shares: the input shape (what was read), the field surgery the user's procedures do by
 * hand (Automatic → Manual), and the warnings a careful engineer wants before a change.
 */
import { type ExecutionRecord, type ProjectReference, type ServiceEndpoint, AUTOMATIC_ONLY_DATA_KEYS, connectionState, creationMode, isSharedEndpoint, readKey } from './endpoint';
import type { Plan, PlannedCall, PlanWarning, SkippedConnection } from './plan';
import { redactEndpoint } from './redaction';
import { DAY_MS, utcMinute } from './time';

/** One connection as read for planning, in the project the command addressed. */
export interface PlanTarget {
  endpoint: ServiceEndpoint;
  project: { id: string; name: string };
  /** Newest first; only what the planner needs (the last 30 days is enough). */
  history: readonly ExecutionRecord[];
}

/** A planner's answer for a single connection: a plan, or why not (said in words a user understands). */
export type Refusal = { kind: 'refused'; endpointId: string; name: string; reason: string };

export const isRefusal = (outcome: Plan | Refusal): outcome is Refusal => 'kind' in outcome && outcome.kind === 'refused';

export const RECENT_USE_DAYS = 30;

/** Stands in for the new secret in a plan's `after`; the executor swaps in the value it obtained. Never a value. */
export const NEW_SECRET_PLACEHOLDER = '•••• (new secret)';

export const DEVOPS_ENDPOINT = '_apis/serviceendpoint/endpoints';

/** Readiness comes from the PUT's answer; a GET is made only when that answer does not settle it. */
export function confirmReadyCall(projectName: string, endpointId: string): PlannedCall {
  return {
    method: 'GET', target: `devops GET ${projectName}/${DEVOPS_ENDPOINT}/${endpointId}`, purpose: 'Confirm the connection is ready.',
    condition: 'if the PUT answer does not already show it ready',
  };
}

export function refusal(target: PlanTarget, reason: string): Refusal {
  return { kind: 'refused', endpointId: target.endpoint.id, name: target.endpoint.name, reason };
}

export function skippedOf(target: PlanTarget, reason: string): SkippedConnection {
  return { endpointId: target.endpoint.id, name: target.endpoint.name, projectName: target.project.name, reason };
}

/** A deep copy with secrets nulled: the only form of a read endpoint a plan may hold. */
export function safeCopy(endpoint: ServiceEndpoint): ServiceEndpoint {
  return structuredClone(redactEndpoint(endpoint));
}

/** The data keys without the named ones (matched case-insensitively: the service's casing varies). */
export function withoutDataKeys(data: Record<string, string> | null | undefined, keys: readonly string[]): Record<string, string> {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return Object.fromEntries(Object.entries(data ?? {}).filter(([k]) => !drop.has(k.toLowerCase())));
}

/**
 * creationMode Manual and the automatic-only keys removed: the service rejects credential changes and
 * deletes of Automatic connections otherwise (seed 000 and 001, facts §7.1). Other modes are returned as is.
 */
export function toManual(endpoint: ServiceEndpoint): ServiceEndpoint {
  if (creationMode(endpoint) !== 'Automatic') return structuredClone(endpoint);
  const data = withoutDataKeys(endpoint.data, [...AUTOMATIC_ONLY_DATA_KEYS, 'creationMode']);
  return { ...structuredClone(endpoint), data: { ...data, creationMode: 'Manual' } };
}

export function projectNames(endpoint: ServiceEndpoint): string[] {
  return (endpoint.serviceEndpointProjectReferences ?? []).map((r) => r.projectReference.name ?? r.projectReference.id);
}

export function otherProjects(endpoint: ServiceEndpoint, projectId: string): ProjectReference[] {
  return (endpoint.serviceEndpointProjectReferences ?? [])
    .map((r) => r.projectReference)
    .filter((p) => p.id.toLowerCase() !== projectId.toLowerCase());
}

export function sharedWarning(target: PlanTarget, consequence: string): PlanWarning[] {
  if (!isSharedEndpoint(target.endpoint)) return [];
  const others = otherProjects(target.endpoint, target.project.id).map((p) => p.name ?? p.id);
  return [{ code: 'SHARED', text: `Shared with ${others.length ? others.join(', ') : 'other projects'}: ${consequence}` }];
}

export function automaticToManualWarning(endpoint: ServiceEndpoint, why: string): PlanWarning[] {
  if (creationMode(endpoint) !== 'Automatic') return [];
  const app = readKey(endpoint.authorization?.parameters ?? undefined, 'serviceprincipalid');
  const appText = app ? ` (app ${app})` : '';
  return [{ code: 'AUTOMATIC_TO_MANUAL', text: `creationMode Automatic → Manual ${why}: Azure DevOps stops managing the app registration${appText}; its secrets, role assignments and clean-up become yours.` }];
}

export function notReadyWarning(endpoint: ServiceEndpoint): PlanWarning[] {
  const state = connectionState(endpoint);
  if (state === 'Ready') return [];
  const message = String(endpoint.operationStatus?.statusMessage ?? '').trim().replace(/\.+$/, '');
  return [{ code: 'NOT_READY', text: `Not ready (${state})${message ? `: ${message}` : ''}.` }];
}

function finishedAt(record: ExecutionRecord): number {
  const when = Date.parse(record.finishTime ?? record.startTime ?? '');
  return Number.isNaN(when) ? Number.NaN : when;
}

/** Pipelines that used the connection in the last 30 days: count and the newest run. */
export function recentUseWarning(history: readonly ExecutionRecord[], now: Date, consequence: string): PlanWarning[] {
  const since = now.getTime() - RECENT_USE_DAYS * DAY_MS;
  const recent = history.filter((r) => finishedAt(r) >= since).sort((a, b) => finishedAt(b) - finishedAt(a));
  const last = recent[0];
  if (!last) return [];
  const when = utcMinute(new Date(finishedAt(last)));
  const runs = recent.length === 1 ? '1 run' : `${recent.length} runs`;
  return [{ code: 'RECENTLY_USED', text: `Used by ${runs} in the last ${RECENT_USE_DAYS} days (last: ${last.definitionName ?? 'unnamed pipeline'}, ${when} UTC): ${consequence}` }];
}


/** Parameters with some values set, replacing an existing key of any casing (tenantid/tenantId) in place. */
export function setParams(params: Record<string, string | null> | null | undefined, updates: Record<string, string>): Record<string, string | null> {
  const out: Record<string, string | null> = { ...(params ?? {}) };
  for (const [key, value] of Object.entries(updates)) {
    const existing = Object.keys(out).find((k) => k.toLowerCase() === key.toLowerCase());
    out[existing ?? key] = value;
  }
  return out;
}
