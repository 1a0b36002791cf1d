/**
 * A command's arguments, declared once as data: what a person types (`rotate <name> [in <project>] [expires <N>d]`)
 * and what another caller (an agent's tool, issue 26) may send. The chat parser stays the one reader of the words:
 * a structured input becomes a command line (`commandLineFrom`) and goes through the same parse, guard and policy.
 * The contract test (test/unit/operation-contract.test.ts) checks every declaration against its usage and parser.
 */
import { quoteArg } from '../domain/command-line';

interface ArgBase {
  /** The key of a structured input (a JSON property): lower camel case. */
  name: string;
  description: string;
  /** A value that parses, for help, tests and agents' schemas. */
  example: string;
  /** Arguments with the same `oneOf` are alternatives: exactly one of them is given (`<name>` or `all`). */
  oneOf?: string;
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

/** A JSON Schema (draft 2020-12 subset) of a command's structured input: what an agent's tool declares. */
export function argsJsonSchema(args: readonly ArgSpec[]): Record<string, unknown> {
  const properties = Object.fromEntries(args.map((arg) => [arg.name, propertySchema(arg)]));
  const required = args.filter((a) => a.kind !== 'flag' && a.required).map((a) => a.name);
  const groups = [...new Set(args.flatMap((a) => (a.oneOf ? [a.oneOf] : [])))];
  // Each group: exactly one member given (a flag counts when true).
  const allOf = groups.map((group) => ({ oneOf: args.filter((a) => a.oneOf === group).map((a) => ({ required: [a.name], ...(a.kind === 'flag' ? { properties: { [a.name]: { const: true } } } : {}) })) }));
  return { type: 'object', properties, required, ...(allOf.length ? { allOf } : {}), additionalProperties: false };
}

function propertySchema(arg: ArgSpec): Record<string, unknown> {
  const described = { description: arg.description, examples: [arg.example] };
  if (arg.kind === 'flag') return { type: 'boolean', ...described };
  if (arg.kind === 'option' && arg.list) return { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, ...described };
  return { type: 'string', minLength: 1, ...(arg.kind === 'option' && arg.pattern ? { pattern: arg.pattern } : {}), ...described };
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
