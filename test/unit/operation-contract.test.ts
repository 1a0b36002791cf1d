/**
 * The operation contract, on plain data, for every operation in src/operations/operations.ts: its commands are the
 * registry's change commands, its wording is whole, and its declared arguments agree with its usage and its parser
 * (a structured input, as an agent sends it, becomes a line the same parser reads). The end-to-end half — preview,
 * approval, execution, outcome against the stand-ins — is test/e2e/operation-contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createCommandRegistry, tokenize } from '../../src/commands';
import type { ChangeCommand } from '../../src/commands/command';
import { argsJsonSchema, commandLineFrom, type ArgSpec, type StructuredInput } from '../../src/commands/declared-args';
import { OPERATION_NAMES, OPERATIONS, operationOf } from '../../src/operations/operations';

const registry = createCommandRegistry();
const commands = OPERATIONS.flatMap((o) => o.commands.map((c) => [`${o.name}: ${c.id}`, c] as const));

/** "migrate issuer <name> …" → "migrate issuer": the words before the first argument. */
const verbOf = (command: ChangeCommand): string => command.usage.split(/ [<[(]/)[0] as string;
const valueOf = (arg: ArgSpec): StructuredInput[string] => (arg.kind === 'flag' ? true : arg.kind === 'option' && arg.list ? [arg.example] : arg.example);
const inputOf = (args: readonly ArgSpec[]): StructuredInput => Object.fromEntries(args.map((a) => [a.name, valueOf(a)]));

function parses(command: ChangeCommand, input: StructuredInput): { line: string; ok: boolean; message?: string } {
  const line = commandLineFrom(verbOf(command), command.args, input);
  // The registry reads the first word (the command's id); the parser gets the rest (`issuer …` for migrate).
  const parsed = command.parse(tokenize(line).slice(1));
  return parsed.ok ? { line, ok: true } : { line, ok: false, message: parsed.error.message };
}

describe('the list of operations', () => {
  it('names each operation once, and its change commands are exactly the registry\'s mutating commands', () => {
    expect(new Set(OPERATION_NAMES).size).toBe(OPERATIONS.length);
    const mutating = registry.commands().filter((c) => c.mutates).map((c) => c.id);
    expect(OPERATIONS.flatMap((o) => o.commands.map((c) => c.id))).toEqual(mutating);
    for (const operation of OPERATIONS) expect(operationOf(operation.name)).toBe(operation);
    expect(() => operationOf('teleport')).toThrow(/unknown operation/);
  });

  it.each(OPERATIONS.map((o) => [o.name, o] as const))('%s speaks in whole words and builds its step', (_name, operation) => {
    // Every worded part is words; `stepsSay` lists the warnings its preview steps already say.
    const { stepsSay = [], ...words } = operation.wording;
    for (const text of Object.values(words)) expect(text.trim().length).toBeGreaterThan(2);
    for (const code of stepsSay) expect(code).toMatch(/^[A-Z]+(?:_[A-Z]+)*$/);
    expect(operation.commands.every((c) => c.mutates)).toBe(true);
  });
});

describe.each(commands)('declared arguments of %s', (_label, command) => {
  const required = command.args.filter((a) => a.kind !== 'flag' && a.required);
  const groups = [...new Set(command.args.flatMap((a) => (a.oneOf ? [a.oneOf] : [])))];
  const firstOf = (group: string) => command.args.find((a) => a.oneOf === group) as ArgSpec;
  const base = inputOf([...required, ...groups.map(firstOf)]);

  it('are each written in the usage', () => {
    for (const arg of command.args) {
      const shown = arg.kind === 'positional' ? '<name>' : arg.kind === 'flag' ? arg.word : `${arg.keyword} <`;
      expect(command.usage, arg.name).toContain(shown);
    }
  });

  it('give a JSON schema with one property per argument and the required ones required', () => {
    const schema = argsJsonSchema(command.args) as { properties: Record<string, unknown>; required?: string[] };
    expect(Object.keys(schema.properties)).toEqual(command.args.map((a) => a.name));
    // JSON Schema leaves out an empty `required`.
    expect(schema.required ?? []).toEqual(required.map((a) => a.name));
  });

  it('turn a structured input into a line its parser reads: the required ones, each alternative, each option', () => {
    expect(parses(command, base)).toMatchObject({ ok: true });
    for (const group of groups) {
      for (const member of command.args.filter((a) => a.oneOf === group)) {
        const input = { ...base, ...Object.fromEntries(command.args.filter((a) => a.oneOf === group).map((a) => [a.name, undefined])), [member.name]: valueOf(member) };
        expect(parses(command, input), member.name).toMatchObject({ ok: true });
      }
    }
    for (const arg of command.args.filter((a) => !a.oneOf && !(a.kind !== 'flag' && a.required))) {
      expect(parses(command, { ...base, [arg.name]: valueOf(arg) }), arg.name).toMatchObject({ ok: true });
    }
  });
});
