/**
 * A tool's arguments checked against the same zod schema tools/list publishes (the SDK's own check ran before our
 * call wrapper, so a rejected call was never audited; mcp-endpoint.ts now routes every tools/call through
 * tool-calls.ts, which checks here). The answer names only fields the schema declares and what is wrong with them,
 * never a value (a rejected value may be a secret pasted in the wrong place) nor an undeclared key (same reason).
 */
import { z, type ZodRawShape } from 'zod';
import type { AnyMcpTool, ToolInput } from './tool';

export type InputCheck = { ok: true; value: Record<string, unknown> } | { ok: false; problems: string[] };

const objectSchema = (input: ToolInput): z.ZodObject => (input instanceof z.ZodObject ? input : z.object(input as ZodRawShape));

/** The parsed arguments (with the schema's defaults and transforms), or the problems a caller can fix. */
export function checkToolInput(tool: AnyMcpTool, args: unknown): InputCheck {
  const schema = objectSchema(tool.input);
  const parsed = schema.safeParse(args ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as Record<string, unknown> };
  const declared = new Set(Object.keys(schema.shape));
  const given = args !== null && typeof args === 'object' ? Object.keys(args) : [];
  const problems = parsed.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => unexpected(tool.name, key)) : [problemOf(issue, declared, new Set(given))]));
  return { ok: false, problems: [...new Set(problems)] };
}

/** An argument the tool does not take, named only when it reads as a name (a key may be a pasted value too). */
const unexpected = (tool: string, key: string): string => (/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(key) ? `\`${key}\` is not an argument of ${tool}` : 'an argument the tool does not take was given');

function problemOf(issue: z.core.$ZodIssue, declared: ReadonlySet<string>, given: ReadonlySet<string>): string {
  const top = issue.path[0];
  if (typeof top !== 'string' || !declared.has(top)) return issue.code === 'custom' ? issue.message : 'the arguments do not fit the input schema';
  const field = `\`${top}\``;
  if (issue.code === 'invalid_type' && issue.path.length === 1 && !given.has(top)) return `${field} is missing`;
  if (issue.code === 'invalid_type') return `${field} should be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
  if (issue.code === 'invalid_value') return `${field} is not one of the allowed values`;
  // Our own schemas' wording (src/commands/declared-args.ts: "Not in the expected form, e.g. 90d."); zod's own
  // messages for these codes name the rule broken, never the value.
  if (issue.code === 'custom' || issue.code === 'invalid_format') return `${field}: ${issue.message}`;
  return `${field} is not in the expected form`;
}
