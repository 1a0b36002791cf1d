import { auditMetaFrom } from '../audit/audit-id';
import { echoedCommand } from '../cards/error-text';
import { auditEventForRefused } from '../domain/audit';
import { denialHint, denialText, mayConfigure, mayRead, mayRequest, type DenialCode, type Decision } from '../domain/policy';
import type { Command, CommandContext, Reply } from './command';
import { echo, type Token } from './tokenizer';
import { newReferenceId } from '../ids';
import { decideWithMembership } from '../policy/principal';
import { policyDenial } from './policy-request-gate';

/** Lines longer than this are not echoed to a stranger: masking secrets in them is work a stranger must not cause. */
const STRANGER_ECHO_CHARS = 200;

/**
 * The tenant gate, the registry's first step: a message from a tenant outside a configured allow-list is refused
 * before anything reads it — no command lookup, no "did you mean", no secret guard — so a stranger costs the bot one
 * comparison, whatever they send. What is echoed is the line when it is short, else only the verb it names.
 */
export async function gateTenant(tokens: readonly Token[], command: Command | undefined, ctx: CommandContext): Promise<Reply | undefined> {
  const decision = mayRead(ctx.policy, ctx.place);
  if (decision.allowed) return undefined;
  const short = tokens.reduce((n, t) => n + t.value.length + 1, 0) <= STRANGER_ECHO_CHARS;
  const echoed = short ? echo(tokens) || 'help' : `${command ? `${command.id} ` : ''}…`;
  return refuse(decision.code, command?.id, echoed, ctx);
}

/**
 * The request gate, run by the registry before a command parses or reads anything. Mutating commands need
 * mayRequest (tenant → conversation → requester role); read-only ones only the tenant allow-list, when one is set.
 * Resolves to a refusal reply, or undefined when the command may run.
 */
export async function gateCommand(command: Command, echoed: string, ctx: CommandContext): Promise<Reply | undefined> {
  const { policy, place } = ctx;
  if (ctx.policyGate?.enforced()) return denied(await policyDenial(ctx.policyGate, command, ctx, false), command.id, echoed, ctx);
  const decision: Decision = command.mutates
    ? await decideWithMembership(ctx.principal, policy.requesters.groups, ctx.membership, (who) => mayRequest(policy, who, place))
    : mayRead(policy, place);
  return decision.allowed ? undefined : refuse(decision.code, command.id, echoed, ctx);
}

/**
 * The second gate for a read-only command whose parsed arguments change the bot's own settings (`alerts on`):
 * a requester from an allowed tenant (mayConfigure). Runs after parsing, before the command does anything.
 */
export async function gateConfiguration(command: Command, echoed: string, ctx: CommandContext): Promise<Reply | undefined> {
  const { policy, place } = ctx;
  if (ctx.policyGate?.enforced()) return denied(await policyDenial(ctx.policyGate, command, ctx, true), command.id, echoed, ctx);
  const decision = await decideWithMembership(ctx.principal, policy.requesters.groups, ctx.membership, (who) => mayConfigure(policy, who, place));
  return decision.allowed ? undefined : refuse(decision.code, command.id, echoed, ctx);
}

/** Short and specific: what happened, the command echoed, the next step, a reference for the logs. */
export function refusalText(code: DenialCode, echoed: string, referenceId: string, hint = denialHint(code)): string {
  return `${denialText(code)} (\`${echoedCommand(echoed)}\` was not run.) ${hint} Reference: ${referenceId}`;
}

/** The policy file's coarse refusals point at `policy`, not at the SCBOT_* settings the file replaced. */
const POLICY_HINT = 'Say `policy` to see who may ask for what in this conversation.';
const denied = (code: DenialCode | undefined, commandId: string, echoed: string, ctx: CommandContext): Promise<Reply | undefined> =>
  (code ? refuse(code, commandId, echoed, ctx, code === 'TENANT_NOT_ALLOWED' ? undefined : POLICY_HINT) : Promise.resolve(undefined));

async function refuse(code: DenialCode, commandId: string | undefined, echoed: string, ctx: CommandContext, hint?: string): Promise<Reply> {
  const referenceId = newReferenceId();
  ctx.logger.warn({ code, referenceId, command: commandId ?? 'unknown', user: ctx.user.id, conversation: ctx.conversation.id, tenant: ctx.place.tenantId }, 'command refused by policy');
  // No plan exists yet: the event says who asked for what, where, and why it was refused. From outside the
  // tenant allow-list it is only counted (one record per tenant per hour): strangers must not grow the trail.
  const event = { ...auditEventForRefused('', auditMetaFrom(ctx), code), planId: '', command: echoed };
  try {
    if (code === 'TENANT_NOT_ALLOWED') await ctx.audit.countRefusal({ ...(ctx.place.tenantId ? { tenantId: ctx.place.tenantId } : {}), reason: code, at: ctx.clock.now() });
    else await ctx.audit.append(event);
  } catch (error) {
    // The refusal stands either way; a lost refusal event is logged, never turned into permission.
    ctx.logger.error({ err: error, referenceId }, 'could not record the refusal in the audit trail');
  }
  return { kind: 'text', text: refusalText(code, echoed, referenceId, hint) };
}
