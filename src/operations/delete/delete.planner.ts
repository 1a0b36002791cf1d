/**
 * delete / delete failed (seed 001). A connection Azure DevOps created itself (Automatic) is first flipped to
 * Manual with the automatic-only keys stripped, because the service otherwise tries to clean up its app
 * registration and the delete fails. A shared connection is only unshared from this project unless `everywhere`.
 */
import { creationMode, isFailed } from '../../domain/endpoint';
import type { Plan, PlannedCall, PlanWarning } from '../../domain/plan';
import type { DeleteItem } from './delete.payload';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import type { PlanTarget } from '../../domain/planning';
import { automaticToManualWarning, DEVOPS_ENDPOINT, notReadyWarning, otherProjects, recentUseWarning, safeCopy, sharedWarning } from '../../domain/planning';

export interface DeleteOptions {
  /** Remove it from every project it is shared with, not just this one. */
  everywhere: boolean;
  /** Also delete the app registration Azure DevOps created (the service's `deep=true`). */
  deep: boolean;
}

/** A connection to delete; `inProjects` lists every addressed project it was found in (bulk over several projects). */
export interface DeleteTarget extends PlanTarget {
  inProjects?: readonly string[];
}

export interface DeleteInput {
  id: string;
  command: string;
  now: Date;
  targets: readonly DeleteTarget[];
  options: DeleteOptions;
}

interface Scope {
  projectIds: string[];
  /** True when the connection stays in other projects (an unshare, not a delete). */
  unshare: boolean;
}

function scopeOf(target: DeleteTarget, options: DeleteOptions): Scope {
  const all = (target.endpoint.serviceEndpointProjectReferences ?? []).map((r) => r.projectReference.id);
  if (options.everywhere || otherProjects(target.endpoint, target.project.id).length === 0) {
    return { projectIds: all.length ? all : [target.project.id], unshare: false };
  }
  const addressed = new Set([target.project.id, ...(target.inProjects ?? [])].map((p) => p.toLowerCase()));
  const projectIds = all.filter((p) => addressed.has(p.toLowerCase()));
  return { projectIds, unshare: projectIds.length < all.length };
}

/** Flip to Manual only when the connection really goes away: `deep` needs Automatic to know which app it made. */
function needsFlip(target: DeleteTarget, scope: Scope, options: DeleteOptions): boolean {
  return !scope.unshare && !options.deep && creationMode(target.endpoint) === 'Automatic';
}

function callsFor(target: PlanTarget, scope: Scope, flip: boolean, deep: boolean): PlannedCall[] {
  const id = target.endpoint.id;
  const calls: PlannedCall[] = [];
  if (flip) calls.push({ method: 'PUT', target: `devops PUT ${DEVOPS_ENDPOINT}/${id}`, purpose: 'Flip creationMode Automatic → Manual and strip the automatic-only keys, so the delete does not try to clean up the app registration.' });
  const query = `projectIds=${scope.projectIds.join(',')}${deep ? '&deep=true' : ''}`;
  const purpose = scope.unshare ? `Unshare from ${scope.projectIds.length > 1 ? `${scope.projectIds.length} projects` : target.project.name} (it stays in the other projects).` : `Delete the connection${scope.projectIds.length > 1 ? ` from all ${scope.projectIds.length} projects` : ''}${deep ? ' and the app registration Azure DevOps created' : ''}.`;
  calls.push({ method: 'DELETE', target: `devops DELETE ${DEVOPS_ENDPOINT}/${id}?${query}`, purpose });
  return calls;
}

function loudWarnings(target: PlanTarget, scope: Scope, options: DeleteOptions): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (options.deep) {
    const text = creationMode(target.endpoint) === 'Automatic'
      ? 'Deep delete: the app registration and service principal Azure DevOps created will be deleted too. Anything else using that app will stop working.'
      : 'Deep delete asked for on a Manual connection: Azure DevOps did not create its app registration and may still try to delete the service principal.';
    warnings.push({ code: 'DEEP_DELETE', text });
  }
  if (options.everywhere && scope.projectIds.length > 1) {
    const names = (target.endpoint.serviceEndpointProjectReferences ?? []).map((r) => r.projectReference.name ?? r.projectReference.id);
    warnings.push({ code: 'DELETE_EVERYWHERE', text: `Will be deleted everywhere: removed from all ${names.length} projects (${names.join(', ')}), not only ${target.project.name}.` });
  }
  return warnings;
}

export function deleteItem(target: DeleteTarget, options: DeleteOptions, now: Date): DeleteItem {
  const scope = scopeOf(target, options);
  const flip = needsFlip(target, scope, options);
  const before = safeCopy(target.endpoint);
  const keep = new Set(scope.projectIds.map((p) => p.toLowerCase()));
  const remaining = (before.serviceEndpointProjectReferences ?? []).filter((r) => !keep.has(r.projectReference.id.toLowerCase()));
  const after = scope.unshare ? { ...structuredClone(before), serviceEndpointProjectReferences: remaining, isShared: remaining.length > 1 } : null;
  const consequence = scope.unshare ? 'only this project loses it.' : 'it is removed there too.';
  const warnings = [
    ...loudWarnings(target, scope, options),
    ...(options.everywhere ? [] : sharedWarning(target, consequence)),
    ...(flip ? automaticToManualWarning(target.endpoint, 'before the delete') : []),
    ...recentUseWarning(target.history, now, 'pipelines that still reference it will fail.'),
    ...notReadyWarning(target.endpoint),
  ];
  return {
    endpointId: before.id, name: before.name, projectId: target.project.id, projectName: target.project.name, before, after,
    projectIds: scope.projectIds, deep: options.deep, calls: callsFor(target, scope, flip, options.deep),
    fingerprint: fingerprintEndpoint(target.endpoint), warnings,
  };
}



export function planDelete(input: DeleteInput): Plan<DeleteItem> {
  const items = input.targets.map((t) => deleteItem(t, input.options, input.now));
  return { id: input.id, operation: 'delete', command: input.command, createdAt: input.now.toISOString(), items, skipped: [], warnings: [] };
}

/** `delete failed`: exactly the failed connections (not ready and last operation failed); the rest are untouched. */
export function planDeleteFailed(input: Omit<DeleteInput, 'options'>): Plan<DeleteItem> {
  const failed = input.targets.filter((t) => isFailed(t.endpoint));
  const plan = planDelete({ ...input, targets: failed, options: { everywhere: false, deep: false } });
  const shared = plan.items.filter((i) => i.after !== null).length;
  const warnings: PlanWarning[] = shared ? [{ code: 'SHARED', text: `${shared} failed connection(s) are shared: they are only unshared from the projects named here.` }] : [];
  return { ...plan, warnings };
}
