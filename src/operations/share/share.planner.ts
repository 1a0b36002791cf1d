/**
 * share / unshare (lifecycle §6, the most requested gap in the CLI and Terraform). Share adds a project
 * reference (PATCH share); unshare removes the other project's only (DELETE with its projectIds), never the
 * project the connection lives in (owningProject) — that is `delete`. The preview says what the other project gains or loses.
 */
import { owningProject, type ServiceEndpoint } from '../../domain/endpoint';
import type { Plan, PlanWarning } from '../../domain/plan';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import type { PipelineRef, PipelineUse } from '../../domain/pipeline-access';
import { USAGE_DAYS } from '../../domain/pipeline-access';
import type { PlanTarget, Refusal } from '../../domain/planning';
import { DEVOPS_ENDPOINT, refusal, safeCopy } from '../../domain/planning';
import { isoMinute } from '../../domain/time';
import type { ShareItem, UnshareItem } from './share.payload';

export interface ShareInput {
  id: string;
  command: string;
  now: Date;
  target: Omit<PlanTarget, 'history'>;
  /** The other project. */
  other: { id: string; name: string };
  /** share: the other project's pipelines (what may be authorized after); unshare: the ones that used it there. */
  otherPipelines: readonly PipelineRef[];
  otherUsed: readonly PipelineUse[];
}

const refsOf = (e: ServiceEndpoint) => e.serviceEndpointProjectReferences ?? [];
const inProject = (e: ServiceEndpoint, id: string) => refsOf(e).some((r) => r.projectReference.id.toLowerCase() === id.toLowerCase());
const LIST_MAX = 8;

function listed(names: readonly string[]): string {
  return names.length <= LIST_MAX ? names.join(', ') : `${names.slice(0, LIST_MAX).join(', ')} and ${names.length - LIST_MAX} more`;
}

export function planShare(input: ShareInput): Plan<ShareItem> | Refusal {
  const { target, other } = input;
  const asTarget = { ...target, history: [] };
  if (inProject(target.endpoint, other.id)) return refusal(asTarget, `it is already shared with ${other.name}.`);
  const before = safeCopy(target.endpoint);
  const reference = { projectReference: { id: other.id, name: other.name }, name: before.name, description: before.description ?? '' };
  const after = { ...structuredClone(before), isShared: true, serviceEndpointProjectReferences: [...refsOf(before), reference] };
  const names = input.otherPipelines.map((p) => p.name);
  const gains: PlanWarning = {
    code: 'GAINS_ACCESS',
    text: names.length
      ? `${other.name} gains it: its ${names.length} pipeline${names.length === 1 ? '' : 's'} (${listed(names)}) may then be authorized to use it; this share authorizes none.`
      : `${other.name} gains it; it has no pipelines yet, and this share authorizes none.`,
  };
  return {
    id: input.id, operation: 'share', command: input.command, createdAt: input.now.toISOString(), skipped: [], warnings: [],
    items: [{
      endpointId: before.id, name: before.name, projectId: target.project.id, projectName: target.project.name, before, after, shareWith: [reference],
      calls: [{ method: 'PATCH', target: `devops PATCH ${DEVOPS_ENDPOINT}/${before.id}`, purpose: `Share with ${other.name} (adds its project reference).` }],
      fingerprint: fingerprintEndpoint(target.endpoint), warnings: [gains],
    }],
  };
}

export function planUnshare(input: ShareInput): Plan<UnshareItem> | Refusal {
  const { target, other } = input;
  const asTarget = { ...target, history: [] };
  if (!inProject(target.endpoint, other.id)) return refusal(asTarget, `it is not shared with ${other.name}.`);
  const remaining = refsOf(target.endpoint).filter((r) => r.projectReference.id.toLowerCase() !== other.id.toLowerCase());
  if (remaining.length === 0) return refusal(asTarget, `${other.name} is the only project it is in: say \`delete\` to remove it.`);
  // Unsharing takes a connection from a project that borrowed it; the project it lives in keeps it, or deletes it.
  if (owningProject(target.endpoint)?.id.toLowerCase() === other.id.toLowerCase()) {
    const sharers = listed(remaining.map((r) => r.projectReference.name ?? r.projectReference.id));
    return refusal(asTarget, `it lives in ${other.name} (${sharers} only share${remaining.length === 1 ? 's' : ''} it): unshare never takes a connection from its own project; say \`delete\` there.`);
  }
  const before = safeCopy(target.endpoint);
  const after = { ...structuredClone(before), serviceEndpointProjectReferences: structuredClone(remaining), isShared: remaining.length > 1 };
  const used = input.otherUsed.map((u) => `${u.name} (last ${isoMinute(u.lastUsed)})`);
  const loses: PlanWarning = used.length
    ? { code: 'LOSES_ACCESS', text: `${other.name} loses it: ${listed(used)} used it there in the last ${USAGE_DAYS} days and will fail.` }
    : { code: 'LOSES_ACCESS', text: `${other.name} loses it; none of its pipelines used it in the last ${USAGE_DAYS} days.` };
  return {
    id: input.id, operation: 'unshare', command: input.command, createdAt: input.now.toISOString(), skipped: [], warnings: [],
    items: [{
      endpointId: before.id, name: before.name, projectId: target.project.id, projectName: target.project.name, before, after, projectIds: [other.id],
      calls: [{ method: 'DELETE', target: `devops DELETE ${DEVOPS_ENDPOINT}/${before.id}?projectIds=${other.id}`, purpose: `Unshare from ${other.name} only (it stays in ${target.project.name}).` }],
      fingerprint: fingerprintEndpoint(target.endpoint), warnings: [loses],
    }],
  };
}
