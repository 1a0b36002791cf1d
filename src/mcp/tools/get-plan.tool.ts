import { z } from 'zod';
import { APPROVAL_STATES } from '../../domain/approval';
import type { PlanStatusReader } from '../../approvals/plan-status';
import { PLAN_ID } from '../../domain/audit';
import { plural } from '../../cards/format';
import { defineTool, READ_TOOL } from '../tool';

/** get_plan: a plan's status and outcome by id, from the approval record (never from a card). */
export function getPlanTool(plans: Pick<PlanStatusReader, 'get'>) {
  return defineTool({
    name: 'get_plan',
    title: 'Get a plan\'s status',
    description: 'Where a change plan stands, by its id (P-XXXXXXXX, as the plan card and propose tools show it): proposed, approved, executing, done, '
      + 'partially_failed, failed, rejected, expired or stale; who asked and who approved; per-connection outcome once it ran.',
    input: { planId: z.string().min(1).max(40).describe('The plan id, e.g. P-7K2M9QXR.') },
    output: {
      planId: z.string(),
      operation: z.string().nullable(),
      command: z.string(),
      state: z.enum(APPROVAL_STATES),
      requestedBy: z.string(),
      createdAt: z.string(),
      expiresAt: z.string(),
      approvalsNeeded: z.number().int(),
      approvedBy: z.array(z.string()),
      decidedBy: z.string().optional(),
      connections: z.array(z.object({ id: z.string(), name: z.string(), project: z.string() })),
      outcome: z.object({
        done: z.number().int(), skipped: z.number().int(), failed: z.number().int(),
        failures: z.array(z.object({ id: z.string(), name: z.string(), code: z.string().optional() })),
        startedAt: z.string().optional(), finishedAt: z.string().optional(),
      }).optional(),
      retriedAs: z.string().optional(),
    },
    annotations: READ_TOOL,

    async run(input) {
      const planId = input.planId.trim().toUpperCase();
      const status = PLAN_ID.test(planId) ? await plans.get(planId) : undefined;
      if (!status) return { ok: false, code: 'UNKNOWN_PLAN', text: `No plan has the id ${PLAN_ID.test(planId) ? planId : 'given'} (plan ids look like P-7K2M9QXR; old plans are removed after the retention period).` };
      const outcome = status.outcome ? `: ${status.outcome.done} done, ${status.outcome.failed} failed, ${status.outcome.skipped} skipped` : '';
      const approvals = status.state === 'proposed' ? `, ${status.approvedBy.length} of ${status.approvalsNeeded} approvals` : '';
      return { ok: true, value: status, text: `${status.planId} (${status.operation ?? 'plan'}, ${plural(status.connections.length, 'connection')}) is ${status.state}${approvals}${outcome}.` };
    },
  });
}
