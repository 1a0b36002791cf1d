import type { ServiceEndpoint } from '../../domain/endpoint';
import type { PlanItem } from '../../domain/plan';
import { done, type Step, type StepContext, type StepOutcome } from '../../execution/step';

/**
 * enable: PUT the connection as re-read with `isDisabled: false` (lifecycle §6.2). Nothing else changes; the
 * service starts its 100 unused days again. A connection someone enabled meanwhile is already done.
 */
export class EnableStep implements Step {
  async run(ctx: StepContext, _item: PlanItem, current: ServiceEndpoint): Promise<StepOutcome> {
    if (current.isDisabled !== true) return done({ kind: 'already-so' });
    await ctx.devops.update({ ...structuredClone(current), isDisabled: false });
    return done();
  }

  async resume(_ctx: StepContext, _item: PlanItem, current: ServiceEndpoint | null): Promise<StepOutcome | 'restart'> {
    if (current && current.isDisabled !== true) return done();
    return 'restart';
  }
}
