/**
 * revert: back from workload identity federation to the previous ServicePrincipal secret, with the same
 * `PUT ?operation=ConvertAuthenticationScheme`, only before `revertSchemeDeadline` (facts §7.4).
 */
import { authScheme, readKey } from '../../domain/endpoint';
import type { Plan, PlanItem, PlanWarning } from '../../domain/plan';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import type { PlanTarget, Refusal } from '../../domain/planning';
import { DEVOPS_ENDPOINT, recentUseWarning, refusal, safeCopy, sharedWarning, withoutDataKeys, confirmReadyCall } from '../../domain/planning';
import { isoMinute } from '../../domain/time';
import { CONVERT_OPERATION, SERVICE_PRINCIPAL, WIF } from '../convert/convert.planner';

export interface RevertInput {
  id: string;
  command: string;
  now: Date;
  target: PlanTarget;
}

/** The PUT body: scheme back to ServicePrincipal; the deadline is the service's to manage, so it is not sent. */
export function toServicePrincipal(endpoint: PlanItem['before']): PlanItem['before'] {
  const copy = structuredClone(endpoint);
  return { ...copy, authorization: { ...(copy.authorization ?? {}), scheme: SERVICE_PRINCIPAL }, data: withoutDataKeys(copy.data, ['revertSchemeDeadline']) };
}

function hoursLeft(deadline: Date, now: Date): string {
  const hours = Math.floor((deadline.getTime() - now.getTime()) / 3_600_000);
  // "6 days 23 hours", not "6 days", a minute after a 7-day conversion: whole days alone undersell the window.
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return hours >= 48 ? `${days} days${rest ? ` ${rest} hour${rest === 1 ? '' : 's'}` : ''} left` : `${hours} hours left`;
}

/** Why this connection cannot be reverted now, or the deadline when it can. */
function revertDeadline(target: PlanTarget, now: Date): Date | string {
  const e = target.endpoint;
  if (authScheme(e).toLowerCase() !== WIF.toLowerCase()) return `nothing to revert: it uses ${authScheme(e)}, not workload identity federation.`;
  const raw = readKey(e.data ?? undefined, 'revertSchemeDeadline');
  if (!raw) return 'nothing to revert: it was never converted by Azure DevOps (it has no revert deadline), so there is no previous secret to go back to.';
  const deadline = new Date(raw);
  if (Number.isNaN(deadline.getTime())) return `cannot revert: the revert deadline "${raw}" is not a date Azure DevOps would accept.`;
  if (deadline.getTime() <= now.getTime()) return `too late to revert: the revert window closed on ${isoMinute(deadline)}. Create a new secret on the app and a ServicePrincipal connection instead.`;
  return deadline;
}

export function planRevert(input: RevertInput): Plan | Refusal {
  const deadline = revertDeadline(input.target, input.now);
  if (typeof deadline === 'string') return refusal(input.target, deadline);
  const before = safeCopy(input.target.endpoint);
  const id = before.id;
  const put = `devops PUT ${DEVOPS_ENDPOINT}/${id}?operation=${CONVERT_OPERATION}`;
  const warnings: PlanWarning[] = [
    { code: 'REVERT_DEADLINE', text: `The revert window ends ${isoMinute(deadline)} (${hoursLeft(deadline, input.now)}).` },
    { code: 'SECRET_EXPIRY', text: 'It goes back to the secret it had before the conversion; if that secret expired since, the connection will not work until you rotate it.' },
    ...sharedWarning(input.target, 'the change applies in every project.'),
    ...recentUseWarning(input.target.history, input.now, 'their next runs authenticate with the secret again.'),
  ];
  const item: PlanItem = {
    endpointId: id, name: before.name, projectId: input.target.project.id, projectName: input.target.project.name,
    before, after: toServicePrincipal(before), fingerprint: fingerprintEndpoint(input.target.endpoint), warnings,
    calls: [
      { method: 'PUT', target: put, purpose: 'Convert back to ServicePrincipal (the previous secret).' },
      confirmReadyCall(input.target.project.name, id),
    ],
  };
  return { id: input.id, operation: 'revert', command: input.command, createdAt: input.now.toISOString(), items: [item], skipped: [], warnings: [] };
}
