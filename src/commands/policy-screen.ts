/**
 * The policy file's check of a proposed plan, per connection, run by planReply before anything is saved: the plan
 * keeps only the connections the requester may change (rule, conversation, Azure DevOps role, no freeze) and lists
 * the others as skipped with the refusal and the rule that refused. A plan left with nothing is refused with a
 * reference id and audited. Connections the conversation cannot see never get this far (visible-reads.ts).
 */
import { auditMetaFrom } from '../audit/audit-id';
import { auditEventForRefused, withPolicy, type AuditPolicy } from '../domain/audit';
import type { Plan, PlanItem, SkippedConnection } from '../domain/plan';
import type { TargetDecision } from '../domain/policy-decide';
import { decidingRules, policyRefusalCode, requestRefusalText } from '../domain/policy-refusal-text';
import { echoedCommand } from '../cards/error-text';
import { outsideProse } from '../cards/outside-text';
import { newReferenceId } from '../ids';
import type { CommandContext, Reply } from './command';
import type { PolicyGate } from '../policy/policy-gate';
import { targetsOfPlan } from '../policy/plan-targets';

export type Screened = { plan: Plan; policy?: AuditPolicy } | { reply: Reply };

function skippedBy(item: PlanItem, decision: TargetDecision, operation: string): SkippedConnection | undefined {
  if (decision.allowed || decision.refusal.code === 'HIDDEN') return undefined;
  return { endpointId: item.endpointId, name: item.name, projectName: item.projectName, reason: `refused by the policy: ${requestRefusalText(decision.refusal, operation, item.name)}` };
}

export async function screenPlan(gate: PolicyGate, ctx: CommandContext, plan: Plan): Promise<Screened> {
  const policy = gate.current();
  const decision = await gate.request(policy, { operation: plan.operation, conversationId: ctx.conversation.id, requester: ctx.principal, targets: targetsOfPlan(plan, ctx.operations.hooks(plan.operation).existsBeforeRun), now: gate.now() });
  const kept: PlanItem[] = [];
  const skipped: SkippedConnection[] = [];
  const granted: string[] = [];
  plan.items.forEach((item, i) => {
    const d = decision.targets[i];
    if (d?.allowed) { kept.push(item); granted.push(...d.grantedBy); return; }
    const skip = d && skippedBy(item, d, plan.operation);
    if (skip) skipped.push(skip);
  });
  if (kept.length > 0 || plan.items.length === 0) {
    return { plan: { ...plan, items: kept, skipped: [...plan.skipped, ...skipped] }, policy: { version: policy.version, rules: granted } };
  }
  return { reply: await refuseAll(ctx, plan, decision.targets, policy.version) };
}

/** Nothing may be planned: the first refusals in words, audited with the rules that refused, and a reference id. */
async function refuseAll(ctx: CommandContext, plan: Plan, decisions: readonly TargetDecision[], version: string): Promise<Reply> {
  const refusals = decisions.flatMap((d) => (d.allowed || d.refusal.code === 'HIDDEN' ? [] : [{ target: d.target, refusal: d.refusal }]));
  const referenceId = newReferenceId();
  const first = refusals[0];
  const code = first ? policyRefusalCode(first.refusal) : 'POLICY.HIDDEN';
  ctx.logger.warn({ code, referenceId, command: plan.operation, user: ctx.user.id, conversation: ctx.conversation.id, refused: refusals.length }, 'plan refused by policy');
  const event = withPolicy(auditEventForRefused({ ...plan, items: [] }, auditMetaFrom(ctx), code), { version, rules: refusals.flatMap((r) => decidingRules(r.refusal)) });
  try {
    await ctx.audit.append(event);
  } catch (error) {
    ctx.logger.error({ err: error, referenceId }, 'could not record the refusal in the audit trail');
  }
  const lines = refusals.slice(0, 5).map((r) => requestRefusalText(r.refusal, plan.operation, r.target.connection.name));
  const more = refusals.length > 5 ? ` …and ${refusals.length - 5} more.` : '';
  const echoed = echoedCommand(plan.command);
  return { kind: 'text', text: `${outsideProse(lines.join(' '), 1_500)}${more} (\`${echoed}\` was not run.) Say \`policy ${echoed}\` for why. Reference: ${referenceId}` };
}
