/**
 * A command's arguments, declared once as data: what a person types (`rotate <name> [in <project>] [expires <N>d]`)
 * and what another caller (an agent's tool, issue 26) may send. The chat parser stays the one reader of the words:
 * a structured input becomes a command line (`commandLineFrom`) and goes through the same parse, guard and policy.
 * The contract test (test/unit/operation-contract.test.ts) checks every declaration against its usage and parser.
 */
import { z } from 'zod';
import { quoteArg } from '../domain/command-line';
import { looksLikeSecret, SECRET_IN_INPUT } from './secret-guard';

interface ArgBase {
  /** The key of a structured input (a JSON property): lower camel case. */
  name: string;
  description: string;
  /** A value that parses, for help, tests and agents' schemas. */
  example: string;
  /** Arguments with the same `oneOf` are alternatives: exactly one of them is given (`<name>` or `all`). */
  oneOf?: string;
  /**
   * false: left out of the command's `propose_*` tool (src/mcp/tools/propose.tool.ts): a person asks for it in
   * Teams. For the forms that reach beyond the one connection an agent names (`all`, `failed`, `everywhere`, `deep`);
   * docs/agents.md says why.
   */
  agents?: false;
}

export type ArgSpec =
  /** The words right after the verb: the connection's name. */
  | (ArgBase & { kind: 'positional'; required: boolean })
  /** `<keyword> <value>` anywhere after the verb; `list`: comma-separated values. */
  | (ArgBase & { kind: 'option'; keyword: string; required: boolean; pattern?: string; list?: true })
  /** A bare word (`deep`, `all`, `new app`): present or not. */
  | (ArgBase & { kind: 'flag'; word: string });

/** `<name>`: the connection a change command acts on (`oneOf`: when `all` or `failed` may stand instead). */
export const nameArg = (required: boolean, oneOf?: string): ArgSpec => ({
  name: 'name', kind: 'positional', required, ...(oneOf ? { oneOf } : {}), description: 'The service connection\'s name (quoted if it has spaces).', example: 'sc-prod',
});

/** `in <project>`: needed when the name exists in several projects (required where the command makes something). */
export const projectArg = (required = false): ArgSpec => ({
  name: 'project', kind: 'option', keyword: 'in', required, description: 'The Azure DevOps project (name or id); needed when the name exists in several.', example: 'Payments',
});

export type StructuredInput = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** Longer values are refused by the schema: no name, project or pipeline is this long, and a model may ramble. */
const MAX_VALUE_CHARS = 300;

/**
 * The arguments an agent's tool offers: all but those marked `agents: false`. An alternative left alone in its
 * group is no longer an alternative: `<name>` without `all` is simply required.
 */
export function agentArgs(args: readonly ArgSpec[]): ArgSpec[] {
  const offered = args.filter((a) => a.agents !== false);
  return offered.map((arg) => {
    if (!arg.oneOf || offered.filter((a) => a.oneOf === arg.oneOf).length > 1) return arg;
    const { oneOf: _alone, ...rest } = arg;
    return rest.kind === 'flag' ? rest : { ...rest, required: true };
  });
}

/**
 * The schema of a command's structured input, the one conversion of declared arguments: it validates a call (zod) and
 * is what tools/list publishes (JSON Schema, `argsJsonSchema`). Unknown properties are refused; each `oneOf` group
 * needs exactly one member (a flag counts when true), checked here and published as `allOf: [{ oneOf }]`.
 */
export function argsSchema(args: readonly ArgSpec[]) {
  const shape = Object.fromEntries(args.map((arg) => [arg.name, propertySchema(arg)]));
  const groups = [...new Set(args.flatMap((a) => (a.oneOf ? [a.oneOf] : [])))].map((group) => args.filter((a) => a.oneOf === group));
  const given = (arg: ArgSpec, input: Record<string, unknown>) => (arg.kind === 'flag' ? input[arg.name] === true : input[arg.name] !== undefined);
  const schema = z.strictObject(shape).superRefine((input, ctx) => {
    for (const members of groups) {
      if (members.filter((m) => given(m, input)).length !== 1) ctx.addIssue({ code: 'custom', message: `Give exactly one of: ${members.map((m) => m.name).join(', ')}.` });
    }
  });
  if (!groups.length) return schema;
  const oneOf = (members: ArgSpec[]) => members.map((m) => ({ required: [m.name], ...(m.kind === 'flag' ? { properties: { [m.name]: { const: true } } } : {}) }));
  return schema.meta({ allOf: groups.map((members) => ({ oneOf: oneOf(members) })) });
}

/** A JSON Schema (draft 2020-12) of a command's structured input: what an agent's tool declares. */
export function argsJsonSchema(args: readonly ArgSpec[]): Record<string, unknown> {
  return z.toJSONSchema(argsSchema(args), { io: 'input' }) as Record<string, unknown>;
}

/**
 * A value of a set form (a GUID, `<N>d`). A secret pasted there fails the form; the schema says it is a secret
 * instead, for any checker of this schema. (The MCP call wrapper, src/mcp/tool-calls.ts, runs its secret guard on
 * every value before this schema, and audits the refusal.)
 */
function patterned(pattern: string, example: string): z.ZodString {
  return z.string().refine((value) => !looksLikeSecret(value), { error: SECRET_IN_INPUT, abort: true }).min(1).max(MAX_VALUE_CHARS)
    .regex(new RegExp(pattern), { error: `Not in the expected form, e.g. ${example}.` });
}

function propertySchema(arg: ArgSpec): z.ZodType {
  const text = z.string().min(1).max(MAX_VALUE_CHARS);
  const value = arg.kind === 'flag' ? z.boolean()
    : arg.kind === 'option' && arg.list ? z.array(text).min(1)
    : arg.kind === 'option' && arg.pattern ? patterned(arg.pattern, arg.example)
    : text;
  const required = arg.kind !== 'flag' && arg.required;
  const example = arg.kind === 'flag' ? true : arg.kind === 'option' && arg.list ? [arg.example] : arg.example;
  return (required ? value : value.optional()).meta({ description: arg.description, examples: [example] });
}

/**
 * The chat line a structured input stands for: `<verb> <positional> <flags> <keyword value>…`, every value quoted
 * where needed, so the command's own parser reads it exactly as if a person had typed it.
 */
export function commandLineFrom(verb: string, args: readonly ArgSpec[], input: StructuredInput): string {
  const words = [verb];
  for (const arg of args) {
    const value = input[arg.name];
    if (value === undefined || value === false) continue;
    if (arg.kind === 'flag') words.push(arg.word);
    else if (arg.kind === 'positional') words.push(quoteArg(String(value)));
    else words.push(arg.keyword, Array.isArray(value) ? value.map(quoteArg).join(', ') : quoteArg(String(value)));
  }
  return words.join(' ');
}
