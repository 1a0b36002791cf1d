import { creationMode, type ServiceEndpoint } from '../../domain/endpoint';
import type { DeleteItem } from './delete.payload';
import { toManual } from '../../domain/planning';
import { done, type Step, type StepContext, type StepOutcome } from '../../execution/step';

/**
 * delete (seed 001): when the plan says so (an Automatic connection that really goes away, not deep), flip it to
 * Manual with the automatic-only keys stripped, then DELETE from the planned projects (deep only if asked).
 * The preview showed exactly these calls, so the step follows the plan's call list rather than re-deciding.
 */
export class DeleteStep implements Step {
  async run(ctx: StepContext, item: DeleteItem, current: ServiceEndpoint): Promise<StepOutcome> {
    if (plansFlip(item) && creationMode(current) === 'Automatic') {
      await ctx.devops.update(toManual(current));
      await ctx.progress({ updated: true });
    }
    return this.remove(ctx, item);
  }

  async resume(ctx: StepContext, item: DeleteItem, current: ServiceEndpoint | null): Promise<StepOutcome | 'restart'> {
    if (!current || !stillIn(current, targetProjects(item))) return done();
    // Flipped by the stopped run (so its fingerprint moved because of us): only the DELETE is left.
    if (plansFlip(item) && creationMode(current) !== 'Automatic') return this.remove(ctx, item);
    return 'restart';
  }

  private async remove(ctx: StepContext, item: DeleteItem): Promise<StepOutcome> {
    await ctx.devops.delete(item.endpointId, targetProjects(item), { deep: item.deep === true });
    return done(item.after ? { kind: 'unshared-only' } : undefined);
  }
}

function plansFlip(item: DeleteItem): boolean {
  return item.calls.some((c) => c.method.toUpperCase() === 'PUT');
}

function targetProjects(item: DeleteItem): string[] {
  return item.projectIds && item.projectIds.length > 0 ? item.projectIds : [item.projectId];
}

function stillIn(endpoint: ServiceEndpoint, projectIds: string[]): boolean {
  const wanted = new Set(projectIds.map((p) => p.toLowerCase()));
  return (endpoint.serviceEndpointProjectReferences ?? []).some((r) => wanted.has(r.projectReference.id.toLowerCase()));
}
