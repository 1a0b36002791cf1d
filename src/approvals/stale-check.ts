import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import { fingerprintEndpoint } from '../domain/fingerprint';
import type { Plan, PlanItem } from '../domain/plan';
import { BatchReads } from '../execution/batch-reads';

/**
 * Reads at once. The whole check must fit in the invoke's answer (Teams waits ~5 s, we aim for 1 s), so all of a
 * plan's batches (50 connections each) go out together: up to 800 connections in one round trip.
 */
const READ_CONCURRENCY = 16;

/**
 * The plan's connections that changed (or vanished) since the preview: one batched list read per project and
 * per 50 ids, then a fingerprint comparison. A connection the plan creates has changed when its name is taken.
 * Returns their endpoint ids (keys); empty when the plan still holds.
 */
export async function changedSincePreview(devops: ServiceEndpoints, plan: Plan): Promise<string[]> {
  const existing = plan.items.filter((i) => !i.create);
  const reads = new BatchReads(devops, existing, READ_CONCURRENCY);
  const checks = await Promise.all([
    ...existing.map(async (item) => {
      const current = await reads.current(item);
      return current && fingerprintEndpoint(current) === item.fingerprint ? undefined : item.endpointId;
    }),
    ...plan.items.filter((i) => i.create).map((item) => nameTaken(devops, item)),
  ]);
  return checks.filter((id): id is string => id !== undefined);
}

/** Before execution nothing is this plan's own: any connection of that name is someone else's, whatever it carries. */
async function nameTaken(devops: ServiceEndpoints, item: PlanItem): Promise<string | undefined> {
  return (await devops.getByName(item.projectId, item.name, { includeFailed: true })) ? item.endpointId : undefined;
}
