/**
 * Every MCP tool call goes through here, whatever the tool and however malformed (mcp-endpoint.ts hands over the
 * tools/call request before the SDK checks anything): the caller's rate limit, the secret guard on every string of
 * the raw input, the tool's input schema, the tenant gate the read commands have, then the tool, then one audit
 * event (who, which tool, how it ended; never the arguments). Failures are answered as MCP tool errors (`isError`, a
 * short text with a reference id), never a stack trace or an error's own message.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { auditMetaFrom } from '../audit/audit-id';
import { errorText } from '../cards/error-text';
import type { CommandContext, CommandServices } from '../commands/command';
import { refusalText } from '../commands/request-gate';
import { scopedToConversation } from '../commands/policy-request-gate';
import { carriesSecret, SECRET_IN_INPUT } from '../commands/secret-guard';
import { auditEventForToolCall } from '../domain/audit';
import { AppError, errorCodeOf } from '../domain/errors';
import { mayRead } from '../domain/policy';
import { newReferenceId } from '../ids';
import { CallerRateLimit } from './caller-rate-limit';
import { callerTurn } from './caller-turn';
import type { McpCaller } from './mcp-caller';
import type { AnyMcpTool } from './tool';
import { checkToolInput } from './tool-input';

/** Every string in a tool's input, however nested (a propose tool's input may hold lists), keys included. */
function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.push(key);
      stringsOf(item, into);
    }
  }
  return into;
}

const failure = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true });

interface Refusal {
  text: string;
  code: string;
  /** false: logged only (a flood of calls over the limit must not grow the audit trail one call at a time). */
  audit: boolean;
  /** A failure behind the refusal, logged (by code and message only: the logger's serializer). */
  error?: unknown;
}

export class ToolCalls {
  constructor(private readonly o: { services: CommandServices; limit: CallerRateLimit }) {}

  /** `tool`: undefined when the client named no tool we offer (still limited, answered and audited). */
  async call(tool: AnyMcpTool | undefined, args: unknown, caller: McpCaller): Promise<CallToolResult> {
    const correlationId = `C-${newReferenceId()}`;
    const turn: CommandContext = { ...this.o.services, ...callerTurn(caller, correlationId) };
    // Under a policy file a read tool answers what a rule gives the conversation `mcp` (default deny), as a chat
    // would. A propose tool is decided in the conversation `agents on` chose: the registry scopes it there.
    const reads = tool?.annotations.readOnlyHint ?? true;
    const ctx = reads && turn.policyGate?.enforced() ? scopedToConversation(turn.policyGate, turn) : turn;
    const log = { tool: tool?.name ?? '(no such tool)', caller: caller.objectId, appId: caller.appId, kind: caller.kind, correlationId };
    const checked = await this.refusal(tool, args, caller, ctx);
    if ('refused' in checked) {
      const refused = checked.refused;
      if (refused.error) ctx.logger.error({ ...log, code: refused.code, err: refused.error }, 'MCP tool call refused: the call limit could not be checked');
      else ctx.logger.warn({ ...log, code: refused.code }, 'MCP tool call refused');
      if (refused.audit) await this.record(ctx, log.tool, { reason: refused.code });
      return failure(refused.text);
    }
    return this.run(checked.tool, checked.input, caller, ctx, log);
  }

  private async run(tool: AnyMcpTool, input: Record<string, unknown>, caller: McpCaller, ctx: CommandContext, log: Record<string, unknown>): Promise<CallToolResult> {
    const planId = typeof input.planId === 'string' ? input.planId : undefined;
    try {
      const outcome = await tool.run(input, { caller, ctx });
      // What the SDK checked before we took over tools/call: structured content fits the published output schema.
      if (outcome.ok && !z.object(tool.output).safeParse(outcome.value).success) throw new AppError('INTERNAL', `${tool.name} answered outside its output schema`);
      // The plan a call asked about, or the one a propose tool made: the audit trail links the call to it.
      const about = outcome.ok && typeof outcome.value.planId === 'string' ? outcome.value.planId : planId;
      ctx.logger.info({ ...log, ok: outcome.ok, ...(outcome.ok ? {} : { code: outcome.code }), ...(about ? { planId: about } : {}) }, 'MCP tool call');
      await this.record(ctx, tool.name, { ...(outcome.ok ? {} : { reason: outcome.code }), ...(about ? { planId: about } : {}) });
      return outcome.ok ? { content: [{ type: 'text', text: outcome.text }], structuredContent: outcome.value } : failure(outcome.text);
    } catch (error) {
      const code = errorCodeOf(error);
      const referenceId = newReferenceId();
      ctx.logger.error({ ...log, err: error, code, referenceId }, 'MCP tool call failed');
      await this.record(ctx, tool.name, { reason: code, ...(planId ? { planId } : {}) });
      return failure(errorText(code, tool.name, referenceId));
    }
  }

  /**
   * Cheapest first: the rate limit, the tool's existence, the secret guard (before anything reads the input, so a
   * secret pasted into a GUID argument is called a secret, not a malformed GUID), the input schema, the tenant gate.
   */
  private async refusal(tool: AnyMcpTool | undefined, args: unknown, caller: McpCaller, ctx: CommandContext): Promise<{ refused: Refusal } | { tool: AnyMcpTool; input: Record<string, unknown> }> {
    const rate = await this.o.limit.take(caller.objectId);
    if (!rate.allowed && 'unavailable' in rate) {
      const text = `I could not check the call limit (my shared storage is not answering), so nothing was done. Try again in a minute. Reference: ${newReferenceId()}`;
      return { refused: { text, code: 'RATE_LIMIT_UNAVAILABLE', audit: true, error: rate.error } };
    }
    if (!rate.allowed) {
      const text = `Too many calls: at most ${this.o.limit.callsPerMinute} tool calls a minute for each caller. Nothing was done; try again in ${rate.retryAfterSeconds} s. Reference: ${newReferenceId()}`;
      return { refused: { text, code: 'RATE_LIMITED', audit: rate.firstRefusal } };
    }
    if (!tool) return { refused: { text: `No such tool: tools/list names the tools this server offers. Nothing was done. Reference: ${newReferenceId()}`, code: 'UNKNOWN_TOOL', audit: true } };
    if (carriesSecret(stringsOf(args).map((value) => ({ value })))) return { refused: { text: SECRET_IN_INPUT, code: 'SECRET_IN_INPUT', audit: true } };
    const input = checkToolInput(tool, args);
    if (!input.ok) {
      const text = `The arguments of ${tool.name} do not fit its input schema: ${input.problems.join('; ')}. Nothing was done; fix the arguments and call again. Reference: ${newReferenceId()}`;
      return { refused: { text, code: 'INVALID_INPUT', audit: true } };
    }
    const decision = mayRead(ctx.policy, ctx.place);
    if (!decision.allowed) return { refused: { text: refusalText(decision.code, tool.name, newReferenceId()), code: decision.code, audit: true } };
    return { tool, input: input.value };
  }

  /** A lost audit event is logged, never turned into a failed call (the answer is already decided). */
  private async record(ctx: CommandContext, tool: string, outcome: { reason?: string; planId?: string }): Promise<void> {
    try {
      await ctx.audit.append(auditEventForToolCall(auditMetaFrom(ctx), tool, outcome));
    } catch (error) {
      ctx.logger.error({ err: error, tool }, 'could not record the MCP tool call in the audit trail');
    }
  }
}
