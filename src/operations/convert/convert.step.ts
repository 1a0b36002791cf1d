import { readKey, type ServiceEndpoint } from '../../domain/endpoint';
import type { PlanItem } from '../../domain/plan';
import { toFederation } from './convert.planner';
import {
  confirmReady, CONVERT_OPERATION, done, failed, isReadyNow, schemeOf, SERVICE_PRINCIPAL, WORKLOAD_IDENTITY,
  type Step, type StepContext, type StepOutcome,
} from '../../execution/step';

/**
 * convert (seed 002): PUT ?operation=ConvertAuthenticationScheme to workload identity federation; its answer
 * confirms readiness (a GET poll only when the answer says neither Ready nor Failed). A conversion that is not
 * ready is reverted straight away while the service's revert window allows, so no pipeline is left on a
 * connection that cannot authenticate.
 */
export class ConvertStep implements Step {
  async run(ctx: StepContext, item: PlanItem, current: ServiceEndpoint): Promise<StepOutcome> {
    const converted = await ctx.devops.update(item.after ?? toFederation(current), CONVERT_OPERATION);
    await ctx.progress({ updated: true });
    return this.confirm(ctx, item, converted);
  }

  async resume(ctx: StepContext, item: PlanItem, current: ServiceEndpoint | null): Promise<StepOutcome | 'restart'> {
    if (!current) return failed({ kind: 'gone' });
    if (schemeOf(current) !== WORKLOAD_IDENTITY.toLowerCase()) return 'restart';
    // The stopped run's PUT went through; the re-read is the confirmation.
    return isReadyNow(current) ? done() : this.revert(ctx, current);
  }

  private async confirm(ctx: StepContext, item: PlanItem, converted: ServiceEndpoint): Promise<StepOutcome> {
    const confirmed = await confirmReady(ctx, item, converted);
    if (isReadyNow(confirmed)) return done();
    return this.revert(ctx, confirmed ?? converted);
  }

  private async revert(ctx: StepContext, converted: ServiceEndpoint): Promise<StepOutcome> {
    const deadline = readKey(converted.data ?? undefined, 'revertSchemeDeadline');
    if (!deadline || ctx.clock.now().getTime() >= Date.parse(deadline)) {
      return failed({ kind: 'converted-not-ready', ...(deadline ? { revertDeadline: deadline } : {}) });
    }
    const body: ServiceEndpoint = { ...converted, authorization: { scheme: SERVICE_PRINCIPAL, parameters: converted.authorization?.parameters ?? {} } };
    await ctx.devops.update(body, CONVERT_OPERATION);
    return failed({ kind: 'converted-not-ready-reverted' });
  }
}
