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
});

export function hooksOf(definition: Pick<OperationDefinition, 'hooks'>): OperationHooks {
  return { ...EXISTING_CONNECTION_HOOKS, ...definition.hooks };
}
