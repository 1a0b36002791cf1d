/**
 * The hooks of an operation on an existing connection: the defaults every operation has unless its definition says
 * otherwise (operation.ts).
 */
import { existingConnectionLines } from '../cards/plan-item-lines';
import type { ServiceEndpoint } from '../domain/endpoint';
import { fingerprintEndpoint } from '../domain/fingerprint';
import type { PlanItem } from '../domain/plan';
import { skipped, type StepOutcome } from '../execution/step';
import type { OperationDefinition, OperationHooks } from './operation';
import { inProject, isGuid, quoteArg, type CommandButton } from '../domain/command-line';

/** Gone, or changed since the preview (its fingerprint moved): the step does not run. */
function preflightExisting(item: PlanItem, current: ServiceEndpoint | null): StepOutcome | undefined {
  if (!current) return skipped({ kind: 'gone' });
  if (fingerprintEndpoint(current) !== item.fingerprint) return skipped({ kind: 'changed-since-preview' });
  return undefined;
}

export const EXISTING_CONNECTION_HOOKS: OperationHooks = Object.freeze({
  existsBeforeRun: true,
  preflight: preflightExisting,
  // Re-read and fingerprinted with the plan's other connections (approvals/stale-check.ts): never asked.
  staleBeforeRun: async () => false,
  describe: (item: PlanItem) => existingConnectionLines(item),
  // An operation words its own steps; this fallback reads what each call that always runs is for.
  steps: (item: PlanItem) => item.calls.filter((c) => c.condition === undefined).map((c) => c.purpose),
  suggest: () => undefined,
  afterDone: () => [],
});

/**
 * A button about a plan's connection: the command line names it in its project, and the tap is pinned to its id
 * (a create's key is not an id yet: that button goes by name).
 */
export function itemButton(title: string, verb: string, item: Pick<PlanItem, 'endpointId' | 'name' | 'projectId' | 'projectName'>): CommandButton {
  const command = `${verb} ${quoteArg(item.name)}${inProject(item.projectName)}`;
  return isGuid(item.endpointId) ? { title, command, target: { connectionId: item.endpointId, projectId: item.projectId } } : { title, command };
}

export function hooksOf(definition: Pick<OperationDefinition, 'hooks'>): OperationHooks {
  return { ...EXISTING_CONNECTION_HOOKS, ...definition.hooks };
}
