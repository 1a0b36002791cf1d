/**
 * An MCP tool as data: its name, what it reads or changes (annotations a client shows and may act on), its input and
 * output schemas (zod: the SDK publishes them as JSON Schema in tools/list and checks both ways), and `run`,
 * which answers with a value or with a short text saying why not. The call wrapper (tool-calls.ts) does what every
 * tool needs — rate limit, secret guard, tenant gate, audit, error translation — so a tool is only its use case.
 */
import type { z, ZodRawShape } from 'zod';
import type { CommandContext } from '../commands/command';
import type { McpCaller } from './mcp-caller';

/**
 * MCP's behaviour hints, all four stated on every tool (the spec's defaults assume the worst for missing ones). They
 * are hints to the client, never a control: what a caller may do is decided by the call wrapper and, for changes,
 * by the approval workflow.
 */
export interface ToolAnnotations {
  /** Reads only. */
  readOnlyHint: boolean;
  /** May remove or overwrite something (a propose tool of a delete or a rotation). Meaningless when read-only. */
  destructiveHint: boolean;
  /** Calling twice with the same input has no further effect. */
  idempotentHint: boolean;
  /** Reaches beyond the bot's own state (Azure DevOps, Entra). */
  openWorldHint: boolean;
}

/** One call: who is calling, and the command context the use cases run with (their turn, built by caller-turn.ts). */
export interface ToolCall {
  caller: McpCaller;
  ctx: CommandContext;
}

/**
 * `text`: a short summary for the model (always); `value`: the structured content, checked against `output`. A call
 * that answers nothing (no such connection, which of two?) says why in `text`, with a stable `code` for the audit.
 */
export type ToolOutcome<Out> = { ok: true; value: Out; text: string } | { ok: false; text: string; code: string };

/**
 * A tool's input: a zod shape, or a whole object schema when fields depend on each other (a propose tool's
 * alternatives, derived from the command's declared arguments: src/commands/declared-args.ts `argsSchema`).
 */
export type ToolInput = ZodRawShape | z.ZodObject;
type InputOf<In extends ToolInput> = In extends z.ZodObject ? z.output<In> : In extends ZodRawShape ? z.infer<z.ZodObject<In>> : never;

export interface McpTool<In extends ToolInput = ToolInput, Out extends ZodRawShape = ZodRawShape> {
  /** snake_case, unique: `list_connections`, `propose_rotate`. */
  name: string;
  title: string;
  description: string;
  input: In;
  output: Out;
  annotations: ToolAnnotations;
  run(input: InputOf<In>, call: ToolCall): Promise<ToolOutcome<z.infer<z.ZodObject<Out>>>>;
}

/** Reads of the bot's view of Azure DevOps: read-only, repeatable, reaching the service. */
export const READ_TOOL: Readonly<ToolAnnotations> = Object.freeze({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true });

/** A tool stored without its input and output types (a registry holds many). */
export type AnyMcpTool = McpTool<ToolInput, ZodRawShape>;

/** Types a tool at definition, stores it untyped. */
export const defineTool = <In extends ToolInput, Out extends ZodRawShape>(tool: McpTool<In, Out>): AnyMcpTool => tool as unknown as AnyMcpTool;
