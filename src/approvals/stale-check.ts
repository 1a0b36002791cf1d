import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import { fingerprintEndpoint } from '../domain/fingerprint';
import type { Plan } from '../domain/plan';
import { BatchReads } from '../execution/batch-reads';
import { operationHooks } from '../operations/operations';

/**
 * Reads at once. The whole check must fit in the invoke's answer (Teams waits ~5 s, we aim for 1 s), so all of a
 * plan's batches (50 connections each) go out together: up to 800 connections in one round trip.
 */
const READ_CONCURRENCY = 16;

/**
 * The plan's connections that changed (or vanished) since the preview: one batched list read per project and
 * per 50 ids, then a fingerprint comparison. An item whose connection does not exist yet asks its operation.
 * Returns their endpoint ids (keys); empty when the plan still holds.
 */
export async function changedSincePreview(devops: ServiceEndpoints, plan: Plan): Promise<string[]> {
  const hooks = operationHooks(plan.operation);
  const existing = hooks.existsBeforeRun ? plan.items : [];
  const reads = new BatchReads(devops, existing, READ_CONCURRENCY);
  const checks = await Promise.all([
    ...existing.map(async (item) => {
      const current = await reads.current(item);
      return current && fingerprintEndpoint(current) === item.fingerprint ? undefined : item.endpointId;
    }),
    ...(hooks.existsBeforeRun ? [] : plan.items).map(async (item) => ((await hooks.staleBeforeRun(devops, item)) ? item.endpointId : undefined)),
  ]);
  return checks.filter((id): id is string => id !== undefined);
}
