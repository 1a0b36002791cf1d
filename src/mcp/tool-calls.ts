/**
 * Every MCP tool call goes through here, whatever the tool: the caller's rate limit, the secret guard on every string
 * of the input, the tenant gate the read commands have, then the tool, then one audit event (who, which tool, how it
 * ended; never the arguments). Failures are answered as MCP tool errors (`isError`, a short text with a reference id),
 * never a stack trace or an error's own message.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { auditMetaFrom } from '../audit/audit-id';
import { errorText } from '../cards/error-text';
import type { CommandContext, CommandServices } from '../commands/command';
import { refusalText } from '../commands/request-gate';
import { scopedToConversation } from '../commands/policy-request-gate';
import { carriesSecret, SECRET_IN_INPUT } from '../commands/secret-guard';
import { auditEventForToolCall } from '../domain/audit';
import { errorCodeOf } from '../domain/errors';
import { mayRead } from '../domain/policy';
import { newReferenceId } from '../ids';
import { CallerRateLimit } from './caller-rate-limit';
import { callerTurn } from './caller-turn';
import type { McpCaller } from './mcp-caller';
import type { AnyMcpTool } from './tool';

/** Every string in a tool's input, however nested (a propose tool's input may hold lists). */
function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) stringsOf(item, into);
  return into;
}

const failure = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true });

interface Refusal {
  text: string;
  code: string;
  /** false: logged only (a flood of calls over the limit must not grow the audit trail one call at a time). */
  audit: boolean;
}

export class ToolCalls {
  constructor(private readonly o: { services: CommandServices; limit: CallerRateLimit }) {}

  async call(tool: AnyMcpTool, input: Record<string, unknown>, caller: McpCaller): Promise<CallToolResult> {
    const correlationId = `C-${newReferenceId()}`;
    const turn: CommandContext = { ...this.o.services, ...callerTurn(caller, correlationId) };
    // Under a policy file a read tool answers what a rule gives the conversation `mcp` (default deny), as a chat
    // would. A propose tool is decided in the conversation `agents on` chose: the registry scopes it there.
    const reads = tool.annotations.readOnlyHint;
    const ctx = reads && turn.policyGate?.enforced() ? scopedToConversation(turn.policyGate, turn) : turn;
    const log = { tool: tool.name, caller: caller.objectId, appId: caller.appId, kind: caller.kind, correlationId };
    const refused = await this.refusal(tool, input, caller, ctx);
    if (refused) {
      ctx.logger.warn({ ...log, code: refused.code }, 'MCP tool call refused');
      if (refused.audit) await this.record(ctx, tool, { reason: refused.code });
      return failure(refused.text);
    }
    const planId = typeof input.planId === 'string' ? input.planId : undefined;
    try {
      const outcome = await tool.run(input, { caller, ctx });
      // The plan a call asked about, or the one a propose tool made: the audit trail links the call to it.
      const about = outcome.ok && typeof outcome.value.planId === 'string' ? outcome.value.planId : planId;
      ctx.logger.info({ ...log, ok: outcome.ok, ...(outcome.ok ? {} : { code: outcome.code }), ...(about ? { planId: about } : {}) }, 'MCP tool call');
      await this.record(ctx, tool, { ...(outcome.ok ? {} : { reason: outcome.code }), ...(about ? { planId: about } : {}) });
      return outcome.ok ? { content: [{ type: 'text', text: outcome.text }], structuredContent: outcome.value } : failure(outcome.text);
    } catch (error) {
      const code = errorCodeOf(error);
      const referenceId = newReferenceId();
      ctx.logger.error({ ...log, err: error, code, referenceId }, 'MCP tool call failed');
      await this.record(ctx, tool, { reason: code, ...(planId ? { planId } : {}) });
      return failure(errorText(code, tool.name, referenceId));
    }
  }

  /** Cheapest first: the rate limit, the secret guard (before anything reads the input), the tenant allow-list. */
  private async refusal(tool: AnyMcpTool, input: Record<string, unknown>, caller: McpCaller, ctx: CommandContext): Promise<Refusal | undefined> {
    const rate = await this.o.limit.take(caller.objectId);
    if (!rate.allowed) {
      const text = `Too many calls: at most ${this.o.limit.callsPerMinute} tool calls a minute for each caller. Nothing was done; try again in ${rate.retryAfterSeconds} s. Reference: ${newReferenceId()}`;
      return { text, code: 'RATE_LIMITED', audit: rate.firstRefusal };
    }
    if (carriesSecret(stringsOf(input).map((value) => ({ value })))) return { text: SECRET_IN_INPUT, code: 'SECRET_IN_INPUT', audit: true };
    const decision = mayRead(ctx.policy, ctx.place);
    if (!decision.allowed) return { text: refusalText(decision.code, tool.name, newReferenceId()), code: decision.code, audit: true };
    return undefined;
  }

  /** A lost audit event is logged, never turned into a failed call (the answer is already decided). */
  private async record(ctx: CommandContext, tool: AnyMcpTool, outcome: { reason?: string; planId?: string }): Promise<void> {
    try {
      await ctx.audit.append(auditEventForToolCall(auditMetaFrom(ctx), tool.name, outcome));
    } catch (error) {
      ctx.logger.error({ err: error, tool: tool.name }, 'could not record the MCP tool call in the audit trail');
    }
  }
}
