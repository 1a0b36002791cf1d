/**
 * Who may use a connection: the pipelines authorized for it (pipelinePermissions), whether it is open to every
 * pipeline of the project, its per-connection roles, and which pipelines really used it (execution history).
 * Pure: shapes and the decisions the access, restrict and authorize commands share. Facts: lifecycle §2.
 */
import type { ExecutionRecord } from './endpoint';
import { DAY_MS } from './time';

/** A pipeline definition: its id is what pipelinePermissions names, its name what a person reads. */
export interface PipelineRef {
  id: number;
  name: string;
  folder?: string;
}

/** Who granted an authorization and when (the service's authorizedBy / authorizedOn), when it says. */
export interface Grant {
  by?: string;
  on?: string;
}

/** pipelinePermissions of one endpoint in one project; `allPipelines` absent from the answer means false. */
export interface EndpointPermissions {
  allPipelines: boolean;
  allPipelinesGrant?: Grant;
  pipelines: Array<{ id: number } & Grant>;
}

/** The change a PATCH makes; pipelines it does not name stay as they are. */
export interface PermissionsChange {
  allPipelines?: boolean;
  pipelines?: Array<{ id: number; authorized: boolean }>;
}

export type EndpointRole = 'Administrator' | 'User' | 'Reader' | string;

/** A per-connection role assignment (scope distributedtask.serviceendpointrole). */
export interface RoleAssignment {
  identity: string;
  uniqueName?: string;
  role: EndpointRole;
  /** "assigned" on the connection itself, or "inherited" from the project / organization. */
  access: string;
}

/** What a plan changes about access, kept on the plan item so execution and the preview agree. */
export interface AccessState {
  allPipelines: boolean;
  /** Authorized pipeline ids, sorted. */
  pipelineIds: number[];
}

export const USAGE_DAYS = 90;

export interface PipelineUse {
  id?: number;
  name: string;
  lastUsed: string;
  runs: number;
}

const timeOf = (r: ExecutionRecord): number => Date.parse(r.finishTime ?? r.startTime ?? '');

/** Pipelines that used the connection since `days` ago, newest use first (records without a pipeline are skipped). */
export function pipelinesUsedSince(history: readonly ExecutionRecord[], now: Date, days = USAGE_DAYS): PipelineUse[] {
  const since = now.getTime() - days * DAY_MS;
  const byKey = new Map<string, PipelineUse>();
  for (const record of history) {
    const when = timeOf(record);
    if (Number.isNaN(when) || when < since) continue;
    if (record.definitionId === undefined && !record.definitionName) continue;
    const key = record.definitionId !== undefined ? `#${record.definitionId}` : `n:${record.definitionName}`;
    const seen = byKey.get(key);
    const at = new Date(when).toISOString();
    if (!seen) byKey.set(key, { ...(record.definitionId !== undefined ? { id: record.definitionId } : {}), name: record.definitionName ?? `pipeline ${record.definitionId}`, lastUsed: at, runs: 1 });
    else byKey.set(key, { ...seen, runs: seen.runs + 1, lastUsed: at > seen.lastUsed ? at : seen.lastUsed });
  }
  return [...byKey.values()].sort((a, b) => b.lastUsed.localeCompare(a.lastUsed) || a.name.localeCompare(b.name));
}

/** Names for pipeline ids, from the project's one pipelines read; an unknown id is still shown, as "#id". */
export function pipelineName(pipelines: readonly PipelineRef[], id: number): string {
  const found = pipelines.find((p) => p.id === id);
  return found ? found.name : `#${id}`;
}

export function accessStateOf(permissions: EndpointPermissions): AccessState {
  return { allPipelines: permissions.allPipelines, pipelineIds: [...new Set(permissions.pipelines.map((p) => p.id))].sort((a, b) => a - b) };
}

export function sameAccess(a: AccessState, b: AccessState): boolean {
  return a.allPipelines === b.allPipelines && a.pipelineIds.join(',') === b.pipelineIds.join(',');
}

/** The PATCH that takes `before` to `after`: open access and every pipeline whose authorization differs. */
export function changeBetween(before: AccessState, after: AccessState): PermissionsChange {
  const was = new Set(before.pipelineIds);
  const will = new Set(after.pipelineIds);
  const pipelines = [
    ...after.pipelineIds.filter((id) => !was.has(id)).map((id) => ({ id, authorized: true })),
    ...before.pipelineIds.filter((id) => !will.has(id)).map((id) => ({ id, authorized: false })),
  ];
  return { ...(before.allPipelines !== after.allPipelines ? { allPipelines: after.allPipelines } : {}), ...(pipelines.length ? { pipelines } : {}) };
}
