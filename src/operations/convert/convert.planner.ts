/**
 * convert / convert all (seed 002): ServicePrincipal → WorkloadIdentityFederation with
 * `PUT ?operation=ConvertAuthenticationScheme`. Eligibility follows the official script: azurerm,
 * ServicePrincipal, Automatic, not shared (skipped as the script does), and ready.
 */
import { authScheme, connectionState, creationMode, isFailed, isSharedEndpoint } from '../../domain/endpoint';
import type { Plan, PlanItem, PlannedCall, PlanWarning, SkippedConnection } from '../../domain/plan';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import type { PlanTarget, Refusal } from '../../domain/planning';
import { DEVOPS_ENDPOINT, projectNames, recentUseWarning, refusal, safeCopy, skippedOf, withoutDataKeys, confirmReadyCall } from '../../domain/planning';
import { addDays, isoMinute } from '../../domain/time';

export const WIF = 'WorkloadIdentityFederation';
export const SERVICE_PRINCIPAL = 'ServicePrincipal';
export const CONVERT_OPERATION = 'ConvertAuthenticationScheme';
/** How long Azure DevOps keeps a conversion revertible (facts §7.4). */
export const REVERT_WINDOW_DAYS = 7;

export interface ConvertInput {
  id: string;
  command: string;
  now: Date;
  targets: readonly PlanTarget[];
}

/** Why a connection cannot be converted, or undefined when it can. Checked in the order a user would ask. */
export function convertIneligibility(target: PlanTarget): string | undefined {
  const e = target.endpoint;
  const scheme = authScheme(e);
  if (e.type.toLowerCase() !== 'azurerm') return `not an Azure Resource Manager connection (${e.type}).`;
  if (scheme.toLowerCase() === WIF.toLowerCase()) return 'already uses workload identity federation.';
  if (scheme.toLowerCase() !== SERVICE_PRINCIPAL.toLowerCase()) return `the ${scheme} scheme cannot be converted.`;
  if (creationMode(e) !== 'Automatic') return 'created manually: Azure DevOps cannot add a federated credential to an app it does not manage (create the federated credential on the app first).';
  if (isSharedEndpoint(e)) return `shared with other projects (${projectNames(e).join(', ')}): skipped, as the official conversion script does.`;
  if (isFailed(e)) return `failed: ${String(e.operationStatus?.statusMessage ?? 'no reason given')}`;
  if (connectionState(e) !== 'Ready') return `not ready (${connectionState(e)}).`;
  return undefined;
}

/** The PUT body: scheme WIF, `revertSchemeDeadline` dropped as the official script does. */
export function toFederation(endpoint: PlanItem['before']): PlanItem['before'] {
  const copy = structuredClone(endpoint);
  return { ...copy, authorization: { ...(copy.authorization ?? {}), scheme: WIF }, data: withoutDataKeys(copy.data, ['revertSchemeDeadline']) };
}

function callsFor(target: PlanTarget): PlannedCall[] {
  const id = target.endpoint.id;
  const put = `devops PUT ${DEVOPS_ENDPOINT}/${id}?operation=${CONVERT_OPERATION}`;
  return [
    { method: 'PUT', target: put, purpose: 'Convert to workload identity federation (Azure DevOps adds the federated credential to its app).' },
    confirmReadyCall(target.project.name, id),
    { method: 'PUT', target: put, purpose: 'Convert back to ServicePrincipal while the revert window allows, and report it.', condition: 'if the connection is not ready after the conversion' },
  ];
}

function warningsFor(target: PlanTarget, now: Date): PlanWarning[] {
  return [
    ...recentUseWarning(target.history, now, 'their tasks must support workload identity federation.'),
    { code: 'REVERT_DEADLINE', text: `Revertible for ${REVERT_WINDOW_DAYS} days, until about ${isoMinute(addDays(now, REVERT_WINDOW_DAYS))} (say \`revert ${target.endpoint.name}\`).` },
  ];
}

export function convertItem(target: PlanTarget, now: Date): PlanItem | SkippedConnection {
  const why = convertIneligibility(target);
  if (why) return skippedOf(target, why);
  const before = safeCopy(target.endpoint);
  return {
    endpointId: before.id, name: before.name, projectId: target.project.id, projectName: target.project.name,
    before, after: toFederation(before), calls: callsFor(target), fingerprint: fingerprintEndpoint(target.endpoint), warnings: warningsFor(target, now),
  };
}

const isItem = (x: PlanItem | SkippedConnection): x is PlanItem => 'calls' in x;

/** `convert all`: every eligible connection planned, every other one skipped with its reason. */
export function planConvert(input: ConvertInput): Plan {
  const results = input.targets.map((t) => convertItem(t, input.now));
  const items = results.filter(isItem);
  const skipped = results.filter((r): r is SkippedConnection => !isItem(r));
  return { id: input.id, operation: 'convert', command: input.command, createdAt: input.now.toISOString(), items, skipped, warnings: [] };
}

/** `convert <name>`: one connection, or a refusal that says why not. */
export function planConvertOne(input: Omit<ConvertInput, 'targets'> & { target: PlanTarget }): Plan | Refusal {
  const why = convertIneligibility(input.target);
  if (why) return refusal(input.target, `cannot be converted: ${why}`);
  return planConvert({ ...input, targets: [input.target] });
}
