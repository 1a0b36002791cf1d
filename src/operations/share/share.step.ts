import type { ServiceEndpoint } from '../../domain/endpoint';
import type { ShareItem, UnshareItem } from './share.payload';
import { done, skipped, type Step, type StepContext, type StepOutcome } from '../../execution/step';

const inProject = (endpoint: ServiceEndpoint | null, projectId: string): boolean =>
  (endpoint?.serviceEndpointProjectReferences ?? []).some((r) => r.projectReference.id.toLowerCase() === projectId.toLowerCase());

/** share: PATCH the project references the plan adds (lifecycle §6; the share endpoint is org-scoped). */
export class ShareStep implements Step {
  async run(ctx: StepContext, item: ShareItem, current: ServiceEndpoint): Promise<StepOutcome> {
    const missing = (item.shareWith ?? []).filter((r) => !inProject(current, r.projectReference.id));
    if (missing.length === 0) return item.shareWith?.length ? done({ kind: 'already-so' }) : skipped({ kind: 'not-planned', detail: 'the plan names no project to share with' });
    await ctx.devops.share(item.endpointId, missing);
    return done();
  }

  async resume(_ctx: StepContext, item: ShareItem, current: ServiceEndpoint | null): Promise<StepOutcome | 'restart'> {
    const all = item.shareWith ?? [];
    return current && all.length > 0 && all.every((r) => inProject(current, r.projectReference.id)) ? done() : 'restart';
  }
}

/** unshare: DELETE with the other project's id only, so the connection stays where it was created. */
export class UnshareStep implements Step {
  async run(ctx: StepContext, item: UnshareItem, current: ServiceEndpoint): Promise<StepOutcome> {
    const from = (item.projectIds ?? []).filter((p) => inProject(current, p));
    if (from.length === 0) return done({ kind: 'already-so' });
    await ctx.devops.delete(item.endpointId, from, { deep: false });
    return done();
  }

  async resume(_ctx: StepContext, item: UnshareItem, current: ServiceEndpoint | null): Promise<StepOutcome | 'restart'> {
    return !current || (item.projectIds ?? []).every((p) => !inProject(current, p)) ? done() : 'restart';
  }
}
