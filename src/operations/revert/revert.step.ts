import { readKey, type ServiceEndpoint } from '../../domain/endpoint';
import type { PlanItem } from '../../domain/plan';
import { toServicePrincipal } from './revert.planner';
import { confirmReady, CONVERT_OPERATION, done, failed, isReadyNow, schemeOf, SERVICE_PRINCIPAL, skipped, type Step, type StepContext, type StepOutcome } from '../../execution/step';

/** revert: back to ServicePrincipal while the revert window is open; after it, a refusal that names the deadline. */
export class RevertStep implements Step {
  async run(ctx: StepContext, item: PlanItem, current: ServiceEndpoint): Promise<StepOutcome> {
    const deadline = readKey(current.data ?? undefined, 'revertSchemeDeadline');
    if (!deadline) return skipped({ kind: 'nothing-to-revert' });
    if (ctx.clock.now().getTime() >= Date.parse(deadline)) return skipped({ kind: 'revert-window-ended', deadline });
    const answer = await ctx.devops.update(item.after ?? toServicePrincipal(current), CONVERT_OPERATION);
    await ctx.progress({ updated: true });
    const confirmed = await confirmReady(ctx, item, answer);
    return isReadyNow(confirmed) ? done() : failed({ kind: 'reverted-not-ready' });
  }

  async resume(_ctx: StepContext, _item: PlanItem, current: ServiceEndpoint | null): Promise<StepOutcome | 'restart'> {
    return schemeOf(current) === SERVICE_PRINCIPAL.toLowerCase() ? done() : 'restart';
  }
}
