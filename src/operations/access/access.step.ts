import type { ServiceEndpoint } from '../../domain/endpoint';
import type { AccessItem } from './access.payload';
import { accessStateOf, changeBetween, sameAccess } from '../../domain/pipeline-access';
import type { PipelineAccess } from '../../devops/pipeline-access.port';
import { done, skipped, type Step, type StepContext, type StepOutcome } from '../../execution/step';

/**
 * restrict / authorize: one pipelinePermissions PATCH from the access the preview showed to the planned one.
 * The endpoint's fingerprint does not cover its permissions, so they are re-read here: access that moved since
 * the preview is not overwritten (someone else changed it), and access already as planned needs no call.
 */
export class PipelineAccessStep implements Step {
  constructor(private readonly pipelines: PipelineAccess) {}

  async run(_ctx: StepContext, item: AccessItem, _current: ServiceEndpoint): Promise<StepOutcome> {
    const planned = item.access;
    if (!planned) return skipped({ kind: 'not-planned', detail: 'the plan holds no pipeline access for this connection' });
    const now = accessStateOf(await this.pipelines.permissions(item.projectId, item.endpointId));
    if (sameAccess(now, planned.after)) return done({ kind: 'already-so' });
    if (!sameAccess(now, planned.before)) return skipped({ kind: 'changed-since-preview' });
    await this.pipelines.setPermissions(item.projectId, item.endpointId, changeBetween(planned.before, planned.after));
    return done();
  }

  async resume(ctx: StepContext, item: AccessItem, current: ServiceEndpoint | null): Promise<StepOutcome | 'restart'> {
    if (!current || !item.access) return 'restart';
    const now = accessStateOf(await this.pipelines.permissions(item.projectId, item.endpointId));
    return sameAccess(now, item.access.after) ? done() : 'restart';
  }
}
