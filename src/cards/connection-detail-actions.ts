/**
 * The buttons of the `show` card: the changes the connection's state allows, each one the bot's planner would accept
 * (Rotate, Convert, Revert within its window, Enable, Delete when failed), and Access to see who may use it. Each
 * is pinned to the connection's id and goes plan → preview → approval like the typed command.
 */
import { quoteArg } from '../domain/command-line';
import { authScheme, readKey, type ServiceEndpoint } from '../domain/endpoint';
import { failureFix } from '../domain/failure';
import { usesSecret } from '../domain/findings';
import { rotateIneligibility } from '../domain/rotation-eligibility';
import { convertIneligibility } from '../operations/convert/convert.planner';
import { commandAction, type CardAction } from './command-action';

function revertOpen(e: ServiceEndpoint, now: Date): boolean {
  if (authScheme(e).toLowerCase() !== 'workloadidentityfederation') return false;
  const deadline = Date.parse(readKey(e.data ?? undefined, 'revertSchemeDeadline') ?? '');
  return !Number.isNaN(deadline) && deadline > now.getTime();
}

export function detailActions(e: ServiceEndpoint, project: string, now: Date): CardAction[] {
  const target = { endpoint: e, project: { id: '', name: project }, history: [] };
  const ref = (e.serviceEndpointProjectReferences ?? []).find((r) => r.projectReference.name === project || r.projectReference.id === project);
  const pin = { connectionId: e.id, ...(ref?.projectReference.id ? { projectId: ref.projectReference.id } : {}) };
  const on = `${quoteArg(e.name)} in ${quoteArg(project)}`;
  const button = (title: string, verb: string) => commandAction({ title, command: `${verb} ${on}`, target: pin });
  const failed = failureFix(e, project);
  const canRotate = usesSecret(e) && rotateIneligibility(target) === undefined;
  // A failed connection whose secret is not the cause: Rotate would not help, Delete might.
  const rotate = canRotate && (!failed || failed.fix === 'rotate');
  return [
    ...(rotate ? [button('Rotate', 'rotate')] : []),
    ...(convertIneligibility(target) === undefined ? [button('Convert', 'convert')] : []),
    ...(revertOpen(e, now) ? [button('Revert', 'revert')] : []),
    ...(e.isDisabled === true ? [button('Enable', 'enable')] : []),
    button('Access', 'access'),
    ...(failed ? [button('Delete', 'delete')] : []),
  ];
}
