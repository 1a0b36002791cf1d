/**
 * enable (lifecycle §6.2): a disabled connection is PUT back with `isDisabled: false`. The preview says which
 * pipelines used it last and when, so the approver sees what the connection served before it went quiet.
 */
import type { Plan, PlanWarning } from '../../domain/plan';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import { pipelinesUsedSince } from '../../domain/pipeline-access';
import type { PlanTarget, Refusal } from '../../domain/planning';
import { DEVOPS_ENDPOINT, refusal, safeCopy } from '../../domain/planning';
import { isoMinute } from '../../domain/time';

export interface EnableInput {
  id: string;
  command: string;
  now: Date;
  target: PlanTarget;
}

/** Every record we read counts, however old: a connection disabled for being unused has only old ones. */
const ALL_TIME_DAYS = 36_500;
const LAST_USERS_MAX = 5;

function lastUseWarning(target: PlanTarget, now: Date): PlanWarning {
  const users = pipelinesUsedSince(target.history, now, ALL_TIME_DAYS).slice(0, LAST_USERS_MAX);
  if (users.length === 0) return { code: 'LAST_USED', text: 'No pipeline run on record used it: check it is still needed (or delete it instead).' };
  const list = users.map((u) => `${u.name} (${isoMinute(u.lastUsed)})`).join(', ');
  return { code: 'LAST_USED', text: `Last used by ${list}. Once enabled, Azure DevOps disables it again after 100 days without a run.` };
}

export function planEnable(input: EnableInput): Plan | Refusal {
  const { target } = input;
  if (target.endpoint.isDisabled !== true) return refusal(target, 'it is not disabled.');
  const before = safeCopy(target.endpoint);
  return {
    id: input.id, operation: 'enable', command: input.command, createdAt: input.now.toISOString(), skipped: [], warnings: [],
    items: [{
      endpointId: before.id, name: before.name, projectId: target.project.id, projectName: target.project.name,
      before, after: { ...structuredClone(before), isDisabled: false },
      calls: [{ method: 'PUT', target: `devops PUT ${DEVOPS_ENDPOINT}/${before.id}`, purpose: 'Set isDisabled to false (the connection as re-read, nothing else changed).' }],
      fingerprint: fingerprintEndpoint(target.endpoint), warnings: [lastUseWarning(target, input.now)],
    }],
  };
}
