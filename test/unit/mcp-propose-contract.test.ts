/**
 * The propose tools' contract, as an MCP client sees it (the official client's tools/list over an in-memory transport):
 * every change command of src/operations/operations.ts has exactly one `propose_*` tool, whose input schema is its
 * declared arguments (those marked `agents: false` left out), whose destructiveHint is its operation's effect, and
 * whose input becomes a line the command's own parser reads as the one connection named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { createCommandRegistry, tokenize } from '../../src/commands';
import type { ChangeCommand } from '../../src/commands/command';
import { agentArgs, argsJsonSchema, commandLineFrom, type ArgSpec, type StructuredInput } from '../../src/commands/declared-args';
import { SECRET_IN_INPUT } from '../../src/commands/secret-guard';
import { mcpServer } from '../../src/mcp/mcp-endpoint';
import { CallerRateLimit } from '../../src/mcp/caller-rate-limit';
import type { McpCaller } from '../../src/mcp/mcp-caller';
import { ToolCalls } from '../../src/mcp/tool-calls';
import { createLogger } from '../../src/logging';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { ALLOW_ALL_POLICY, TEST_TENANT, testServices } from '../support/command-services';
import { InMemoryPlanRepository } from '../support/in-memory-plan-repository';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { ToolRegistry } from '../../src/mcp/tool-registry';
import { proposeToolName, proposeTools } from '../../src/mcp/tools/propose.tool';
import type { Notifier } from '../../src/notify/notifier.port';
import { OPERATIONS } from '../../src/operations/operations';

const registry = createCommandRegistry();
const nothingPosted: Notifier = { post: () => Promise.reject(new Error('a contract test posts nothing')), update: () => Promise.reject(new Error('a contract test updates nothing')) } as unknown as Notifier;
const commands = OPERATIONS.flatMap((o) => o.commands.map((c) => [proposeToolName(c), c, o.effect.destructive] as const));
const SECRET = 'Xy8Q~abcdefghijklmnopqrstuvwxyz0123456789AB';

let client: Client;
let listed: Tool[];
/** Every call that got past the call wrapper's checks (rate limit, secret guard, input schema) to the tool's code. */
const reached: string[] = [];
const AGENT: McpCaller = { kind: 'agent', objectId: '0000aaaa-0000-4000-8000-000000000001', tenantId: TEST_TENANT, appId: '0000bbbb-0000-4000-8000-000000000002', name: 'contract agent' };

beforeAll(async () => {
  const tools = new ToolRegistry();
  for (const tool of proposeTools(OPERATIONS, registry, nothingPosted)) tools.register(tool);
  const services = testServices({
    endpoints: new InMemoryServiceEndpoints([]), plans: new InMemoryPlanRepository(), clock: { now: () => new Date('2026-12-07T01:00:00.000Z') },
    logger: createLogger({ level: 'silent' }), audit: new StoreAuditLog(new EmbeddedStore()), policy: ALLOW_ALL_POLICY,
  });
  const calls = new ToolCalls({ services, limit: new CallerRateLimit(10_000) });
  // The real call wrapper, in front of a stand-in for the tool's own code (which would plan and post a card).
  const server = mcpServer(tools, (tool, args) => calls.call(tool && {
    ...tool,
    run: () => {
      reached.push(tool.name);
      return Promise.resolve({ ok: false, text: 'reached', code: 'REACHED' });
    },
  }, args, AGENT));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: 'scbot-contract', version: '1.0.0' });
  await client.connect(clientSide);
  listed = (await client.listTools()).tools;
});
afterAll(() => client.close());

const valueOf = (arg: ArgSpec): StructuredInput[string] => (arg.kind === 'flag' ? true : arg.kind === 'option' && arg.list ? [arg.example] : arg.example);
const toolNamed = (name: string) => listed.find((t) => t.name === name)!;

describe('propose tools, one per change command', () => {
  it('are exactly the operations\' change commands, each once, named after its command line\'s words', () => {
    const proposeNames = listed.map((t) => t.name).filter((n) => n.startsWith('propose_'));
    expect(proposeNames).toEqual([
      'propose_rotate', 'propose_delete', 'propose_convert', 'propose_revert', 'propose_enable', 'propose_restrict', 'propose_authorize',
      'propose_share', 'propose_unshare', 'propose_migrate_issuer', 'propose_create',
    ]);
    expect(proposeNames).toEqual(commands.map(([name]) => name));
  });

  it('state per operation whether approving it removes or overwrites something (destructiveHint), never read-only', () => {
    const destructive = Object.fromEntries(listed.map((t) => [t.name, t.annotations?.destructiveHint]));
    expect(destructive).toEqual({
      propose_rotate: true, propose_delete: true, propose_convert: true, propose_revert: true, propose_enable: false, propose_restrict: true,
      propose_authorize: false, propose_share: false, propose_unshare: true, propose_migrate_issuer: true, propose_create: false,
    });
    for (const tool of listed) expect(tool.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false, openWorldHint: true });
  });
});

describe.each(commands)('%s', (name, command: ChangeCommand, destructive) => {
  const offered = agentArgs(command.args);
  const alternatives = [...new Set(offered.flatMap((a) => (a.oneOf ? [a.oneOf] : [])))].map((g) => offered.filter((a) => a.oneOf === g));
  const required = offered.filter((a) => a.kind !== 'flag' && a.required);
  const minimal: StructuredInput = Object.fromEntries([...required, ...alternatives.map((members) => members[0]!)].map((a) => [a.name, valueOf(a)]));
  const validate = (input: unknown) => new AjvJsonSchemaValidator().getValidator(toolNamed(name).inputSchema as never)(input).valid;

  it('publishes the declared arguments as its input schema: one property each, typed, patterned, described', () => {
    const schema = toolNamed(name).inputSchema as unknown as { properties: Record<string, Record<string, unknown>>; required?: string[]; additionalProperties: boolean };
    const { $schema: _listed, ...published } = schema as Record<string, unknown>;
    const { $schema: _derived, ...derived } = argsJsonSchema(offered);
    expect(published).toEqual(derived);
    expect(Object.keys(schema.properties)).toEqual(offered.map((a) => a.name));
    expect(schema.required ?? []).toEqual(required.map((a) => a.name));
    expect(schema.additionalProperties).toBe(false);
    for (const arg of offered) {
      const property = schema.properties[arg.name]!;
      expect(property.type, arg.name).toBe(arg.kind === 'flag' ? 'boolean' : arg.kind === 'option' && arg.list ? 'array' : 'string');
      expect(property.description).toBe(arg.description);
      // The same expression (JSON Schema writes `/` escaped, as RegExp#source does).
      if (arg.kind === 'option' && arg.pattern) expect(new RegExp(property.pattern as string).source).toBe(new RegExp(arg.pattern).source);
    }
  });

  it('leaves out only what is marked `agents: false`, and a client\'s schema check refuses it', () => {
    const withheld = command.args.filter((a) => a.agents === false);
    expect(offered.map((a) => a.name)).toEqual(command.args.filter((a) => a.agents !== false).map((a) => a.name));
    expect(validate(minimal)).toBe(true);
    for (const arg of withheld) expect(validate({ ...minimal, [arg.name]: valueOf(arg) }), arg.name).toBe(false);
    for (const arg of required) {
      const { [arg.name]: _missing, ...without } = minimal;
      expect(validate(without), arg.name).toBe(false);
    }
    for (const members of alternatives) expect(validate({ ...minimal, ...Object.fromEntries(members.map((m) => [m.name, valueOf(m)])) })).toBe(false);
  });

  it('describes itself with the command\'s summary and says a person approves', () => {
    const tool = toolNamed(name);
    expect(tool.description).toContain(command.summary);
    expect(tool.description).toContain('Nothing changes until a person approves the plan card in Microsoft Teams');
    expect(tool.annotations?.destructiveHint).toBe(destructive);
    // The summary speaks of the bulk forms too: the description says they are for people.
    for (const arg of command.args) if (arg.agents === false && arg.kind === 'flag') expect(tool.description).toContain(`\`${arg.word}\``);
  });

  it('turns each offered argument into a line the command\'s parser reads, and a name spelled like a bulk word stays a name', () => {
    const verb = command.verb ?? command.id;
    const inputs: StructuredInput[] = [minimal, ...offered.filter((a) => !a.oneOf).map((a) => ({ ...minimal, [a.name]: valueOf(a) }))];
    if ('name' in minimal) inputs.push({ ...minimal, name: 'all' }, { ...minimal, name: 'failed' }, { ...minimal, name: 'sc "x" in y' });
    for (const input of inputs) {
      const line = commandLineFrom(verb, offered, input);
      expect(line.startsWith(`${verb} `)).toBe(true);
      // The registry reads the first word (the command's id); the parser gets the rest (`issuer …` for migrate).
      const parsed = command.parse(tokenize(line).slice(1));
      expect(parsed.ok, line).toBe(true);
      if (parsed.ok && typeof input.name === 'string' && command.names) expect(command.names(parsed.value), line).toBe(input.name);
    }
  });

  it('refuses, before any tool code runs, a missing argument, an unknown one and a secret in a set form, never echoing it', async () => {
    const patterned = offered.find((a) => a.kind === 'option' && a.pattern);
    const refused = [{}, { ...minimal, unknown: 'x' }, ...(patterned ? [{ ...minimal, [patterned.name]: SECRET }] : [])];
    const before = reached.length;
    for (const input of refused) {
      const result = await client.callTool({ name, arguments: input });
      expect(result.isError, JSON.stringify(input)).toBe(true);
      expect(JSON.stringify(result)).not.toContain(SECRET);
    }
    if (patterned) {
      const secret = await client.callTool({ name, arguments: { ...minimal, [patterned.name]: SECRET } });
      expect((secret.content as Array<{ text: string }>)[0]!.text).toContain(SECRET_IN_INPUT);
    }
    // A secret in a free-form value fits the schema and meets the same guard.
    if ('name' in minimal) {
      const named = await client.callTool({ name, arguments: { ...minimal, name: SECRET } });
      expect((named.content as Array<{ text: string }>)[0]!.text).toBe(SECRET_IN_INPUT);
    }
    expect(reached.length).toBe(before);
    await client.callTool({ name, arguments: minimal });
    expect(reached.length).toBe(before + 1);
  });
});
