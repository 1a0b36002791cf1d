/**
 * restrict / authorize (seed 004: "authorize each pipeline individually", never all pipelines). Restrict turns
 * open access off and authorizes exactly the named pipelines, or without names the pipelines that used the
 * connection in the last 90 days; authorize adds one pipeline. Access is not a field of the endpoint, so the
 * item keeps it before and after; the PATCH changes only the pipelines whose authorization differs.
 */
import type { Plan, PlanWarning, SkippedConnection } from '../../domain/plan';
import type { AccessItem } from './access.payload';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import type { AccessState, EndpointPermissions, PipelineRef, PipelineUse } from '../../domain/pipeline-access';
import { accessStateOf, pipelineName, sameAccess, USAGE_DAYS } from '../../domain/pipeline-access';
import type { PlanTarget } from '../../domain/planning';
import { safeCopy, skippedOf } from '../../domain/planning';
import { isoMinute } from '../../domain/time';

/** One connection as read for an access change: its permissions, who used it, and the project's pipelines. */
export interface AccessTarget extends Omit<PlanTarget, 'history'> {
  permissions: EndpointPermissions;
  /** Pipelines that used it in the last 90 days (pipelinesUsedSince). */
  used: readonly PipelineUse[];
  /** The project's pipeline definitions (one read per project). */
  pipelines: readonly PipelineRef[];
}

export interface RestrictInput {
  id: string;
  command: string;
  now: Date;
  targets: readonly AccessTarget[];
  /** Pipeline ids to authorize; absent: the ones that used each connection in the last 90 days. */
  to?: readonly number[];
}

export interface AuthorizeInput {
  id: string;
  command: string;
  now: Date;
  target: AccessTarget;
  pipelineId: number;
}

const permissionsCall = (t: AccessTarget) => ({
  method: 'PATCH',
  target: `devops PATCH ${t.project.name}/_apis/pipelines/pipelinePermissions/endpoint/${t.endpoint.id}`,
  purpose: 'Set open access and the authorized pipelines as shown (pipelines not named keep theirs).',
});

/** The id of a used pipeline: the record's own, else the project's pipeline of that name. */
function usedIds(target: AccessTarget): number[] {
  return target.used.flatMap((u) => {
    const id = u.id ?? target.pipelines.find((p) => p.name === u.name)?.id;
    return id === undefined ? [] : [id];
  });
}

function namesOf(target: AccessTarget, ids: readonly number[]): Record<string, string> {
  const names: Record<string, string> = {};
  for (const id of ids) names[String(id)] = target.used.find((u) => u.id === id)?.name ?? pipelineName(target.pipelines, id);
  return names;
}

function restrictWarnings(target: AccessTarget, after: AccessState): PlanWarning[] {
  const keep = new Set(after.pipelineIds);
  const losing = target.used.filter((u) => {
    const id = u.id ?? target.pipelines.find((p) => p.name === u.name)?.id;
    return id === undefined || !keep.has(id);
  });
  const warnings: PlanWarning[] = losing.map((u) => ({
    code: 'LOSES_ACCESS',
    text: `${u.name} used it in the last ${USAGE_DAYS} days (${u.runs} run${u.runs === 1 ? '' : 's'}, last ${isoMinute(u.lastUsed)}) and loses access: its next run fails until it is authorized again.`,
  }));
  if (after.pipelineIds.length === 0) {
    warnings.push({ code: 'NO_RECENT_USE', text: `No pipeline used it in the last ${USAGE_DAYS} days: afterwards no pipeline may use it until one is authorized (\`authorize ${target.endpoint.name} for <pipeline>\`).` });
  }
  return warnings;
}

function accessItem(target: AccessTarget, after: AccessState, warnings: PlanWarning[]): AccessItem {
  const before = accessStateOf(target.permissions);
  const endpoint = safeCopy(target.endpoint);
  return {
    endpointId: endpoint.id, name: endpoint.name, projectId: target.project.id, projectName: target.project.name,
    before: endpoint, after: structuredClone(endpoint),
    access: { before, after, names: namesOf(target, [...before.pipelineIds, ...after.pipelineIds]) },
    calls: [permissionsCall(target)], fingerprint: fingerprintEndpoint(target.endpoint), warnings,
  };
}

export function restrictItem(target: AccessTarget, to: readonly number[] | undefined): AccessItem | SkippedConnection {
  const after: AccessState = { allPipelines: false, pipelineIds: [...new Set(to ?? usedIds(target))].sort((a, b) => a - b) };
  if (sameAccess(accessStateOf(target.permissions), after)) return skippedOf({ ...target, history: [] }, 'already restricted to exactly these pipelines');
  return accessItem(target, after, restrictWarnings(target, after));
}

const isItem = (x: AccessItem | SkippedConnection): x is AccessItem => 'calls' in x;

export function planRestrict(input: RestrictInput): Plan<AccessItem> {
  const results = input.targets.map((t) => restrictItem(t, input.to));
  const items = results.filter(isItem);
  const skipped = results.filter((r): r is SkippedConnection => !isItem(r));
  const warnings: PlanWarning[] = input.to ? [] : [{ code: 'RECENTLY_USED', text: `Each connection keeps exactly the pipelines that used it in the last ${USAGE_DAYS} days.` }];
  return { id: input.id, operation: 'restrict', command: input.command, createdAt: input.now.toISOString(), items, skipped, warnings: input.targets.length > 1 ? warnings : [] };
}

export function planAuthorize(input: AuthorizeInput): Plan<AccessItem> {
  const before = accessStateOf(input.target.permissions);
  const base = { id: input.id, operation: 'authorize' as const, command: input.command, createdAt: input.now.toISOString(), warnings: [] };
  const name = pipelineName(input.target.pipelines, input.pipelineId);
  if (before.pipelineIds.includes(input.pipelineId)) {
    return { ...base, items: [], skipped: [skippedOf({ ...input.target, history: [] }, `${name} is already authorized`)] };
  }
  const after: AccessState = { allPipelines: before.allPipelines, pipelineIds: [...before.pipelineIds, input.pipelineId].sort((a, b) => a - b) };
  const warnings: PlanWarning[] = before.allPipelines
    ? [{ code: 'GAINS_ACCESS', text: `It is open to all pipelines, so ${name} can already use it; this records an explicit authorization (say \`restrict ${input.target.endpoint.name}\` to close open access).` }]
    : [];
  return { ...base, items: [accessItem(input.target, after, warnings)], skipped: [] };
}
