import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { AppError } from '../../src/domain/errors';
import { DENY_ALL_POLICY } from '../../src/domain/policy';
import { createLogger } from '../../src/logging';
import { CallerRateLimit } from '../../src/mcp/caller-rate-limit';
import type { McpCaller } from '../../src/mcp/mcp-caller';
import { defineTool, READ_TOOL, type ToolCall } from '../../src/mcp/tool';
import { ToolCalls } from '../../src/mcp/tool-calls';
import { SECRET_IN_INPUT } from '../../src/commands/secret-guard';
import { ToolRegistry } from '../../src/mcp/tool-registry';
import { InMemoryPlanRepository } from '../support/in-memory-plan-repository';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { ALLOW_ALL_POLICY, TEST_TENANT, testServices } from '../support/command-services';
import { PolicyGate } from '../../src/policy/policy-gate';
import { PolicySource } from '../../src/policy/policy-source';
import { UNREADABLE_ROLES } from '../../src/devops/devops-roles.port';
import { examplePolicy } from './policy-fixture';

const AGENT: McpCaller = { kind: 'agent', objectId: '0000aaaa-0000-4000-8000-000000000001', tenantId: TEST_TENANT, appId: '0000bbbb-0000-4000-8000-000000000002', name: 'fixer agent' };

function setUp(options: { callsPerMinute?: number; policy?: typeof ALLOW_ALL_POLICY; fail?: unknown } = {}) {
  const audit = new StoreAuditLog(new EmbeddedStore());
  const seen: ToolCall[] = [];
  const tool = defineTool({
    name: 'echo', title: 'Echo', description: 'Echoes', input: { text: z.string(), nested: z.array(z.object({ value: z.string() })).optional() }, output: { echoed: z.string() }, annotations: READ_TOOL,
    async run(input, call) {
      seen.push(call);
      if (options.fail) throw options.fail;
      return { ok: true, value: { echoed: input.text }, text: `echo ${input.text}` };
    },
  });
  const services = testServices({
    endpoints: new InMemoryServiceEndpoints([]), plans: new InMemoryPlanRepository(), clock: { now: () => new Date('2026-12-07T01:00:00.000Z') }, logger: createLogger({ level: 'silent' }),
    audit, policy: options.policy ?? ALLOW_ALL_POLICY,
  });
  const calls = new ToolCalls({ services, limit: new CallerRateLimit(options.callsPerMinute ?? 30) });
  return { calls, tool, audit, seen, call: (input: Record<string, unknown>, caller = AGENT) => calls.call(tool, input, caller) };
}

const textOf = (result: { content: unknown }) => (result.content as Array<{ text: string }>)[0]!.text;

describe('MCP tool calls', () => {
  it('runs the tool as the caller (turn from the token: object id, tenant, no conversation) and audits tool and caller, never the input', async () => {
    const { call, audit, seen } = setUp();
    const result = await call({ text: 'hello' });
    expect(result).toEqual({ content: [{ type: 'text', text: 'echo hello' }], structuredContent: { echoed: 'hello' } });
    expect(seen[0]!.ctx).toMatchObject({ user: { id: `mcp:${AGENT.objectId}`, name: 'fixer agent', aadObjectId: AGENT.objectId }, conversation: { id: 'mcp', type: 'mcp' }, place: { tenantId: TEST_TENANT } });
    const [event] = await audit.query();
    expect(event).toMatchObject({ kind: 'called', command: 'mcp echo', actor: { id: `mcp:${AGENT.objectId}`, aadObjectId: AGENT.objectId, appId: AGENT.appId, name: 'fixer agent' } });
    expect(JSON.stringify(event)).not.toContain('hello');
  });

  it('refuses a secret anywhere in the input before the tool sees it, audited without the value', async () => {
    const { call, audit, seen } = setUp();
    const secret = 'Xy8Q~abcdefghijklmnopqrstuvwxyz0123456789AB';
    const result = await call({ text: 'fine', nested: [{ value: secret }] });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(SECRET_IN_INPUT);
    expect(seen).toHaveLength(0);
    const events = await audit.query();
    expect(events.map((e) => [e.kind, e.reason])).toEqual([['called', 'SECRET_IN_INPUT']]);
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('limits calls per caller per minute with a clear error; only the first refusal in a window is audited; others are not slowed', async () => {
    const { call, audit, seen } = setUp({ callsPerMinute: 2 });
    expect((await call({ text: 'a' })).isError).toBeUndefined();
    expect((await call({ text: 'b' })).isError).toBeUndefined();
    const refused = await call({ text: 'c' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^Too many calls: at most 2 tool calls a minute for each caller\. Nothing was done; try again in \d+ s\. Reference: R-[A-Z0-9]{8}$/);
    await call({ text: 'd' });
    expect(seen).toHaveLength(2);
    expect((await audit.query()).filter((e) => e.reason === 'RATE_LIMITED')).toHaveLength(1);
    expect((await call({ text: 'e' }, { ...AGENT, objectId: '0000cccc-0000-4000-8000-000000000003' })).isError).toBeUndefined();
  });

  it('refuses a caller from a tenant the allow-list does not name, as chat reads are, audited', async () => {
    const { call, audit, seen } = setUp({ policy: { ...DENY_ALL_POLICY, tenants: ['99999999-9999-4999-8999-999999999999'] } });
    const result = await call({ text: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Your organization (tenant) is not allowed to use this bot.');
    expect(seen).toHaveLength(0);
    expect((await audit.query()).map((e) => e.reason)).toEqual(['TENANT_NOT_ALLOWED']);
  });

  it('a failing tool is a tool error with the code\'s wording and a reference id, never the error\'s own message', async () => {
    const { call, audit } = setUp({ fail: new AppError('DEVOPS.THROTTLED', 'raw upstream text with token=abc') });
    const result = await call({ text: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).not.toContain('raw upstream');
    expect(textOf(result)).toMatch(/R-[A-Z0-9]{8}/);
    expect((await audit.query()).map((e) => e.reason)).toEqual(['DEVOPS.THROTTLED']);
  });
});

describe('MCP tool registry', () => {
  const tool = (name: string, annotations = READ_TOOL) => defineTool({ name, title: name, description: name, input: {}, output: {}, annotations, run: async () => ({ ok: true, value: {}, text: '' }) });

  it('refuses duplicates, malformed names and a read-only destructive tool at start-up', () => {
    const registry = new ToolRegistry().register(tool('list_x'));
    expect(() => registry.register(tool('list_x'))).toThrow(/already registered/);
    expect(() => registry.register(tool('List-X'))).toThrow(/snake_case/);
    expect(() => registry.register(tool('odd', { ...READ_TOOL, destructiveHint: true }))).toThrow(/both read-only and destructive/);
  });
});

describe('MCP reads under a policy file', () => {
  const PAYMENTS = { id: 'a0000000-0000-4000-8000-000000000001', name: 'Payments' };
  const projectsTool = defineTool({
    name: 'projects', title: 'Projects', description: 'The projects the call may read', input: {}, output: { names: z.array(z.string()) }, annotations: READ_TOOL,
    async run(_input, call) {
      const names = (await call.ctx.endpoints.projects()).map((p) => p.name ?? p.id);
      return { ok: true, value: { names }, text: names.join(',') };
    },
  });
  // A change tool is not scoped to `mcp`: its command runs through the registry, which scopes it to the conversation
  // `agents on` chose (mcp-propose tests that path).
  const changeTool = { ...projectsTool, name: 'change', annotations: { ...READ_TOOL, readOnlyHint: false, destructiveHint: true, idempotentHint: false } };
  const callWith = (policyGate?: PolicyGate, tool = projectsTool) => {
    const clock = { now: () => new Date('2026-12-07T01:00:00.000Z') };
    const services = testServices({
      endpoints: new InMemoryServiceEndpoints([PAYMENTS], []), plans: new InMemoryPlanRepository(), clock, logger: createLogger({ level: 'silent' }),
      ...(policyGate ? { policyGate } : {}),
    });
    return new ToolCalls({ services, limit: new CallerRateLimit(30) }).call(tool, {}, AGENT);
  };

  it('an agent reads what a rule gives the conversation `mcp`: nothing, when no rule names it (default deny)', async () => {
    expect(textOf(await callWith())).toBe('Payments');
    const clock = { now: () => new Date('2026-12-07T01:00:00.000Z') };
    const gate = new PolicyGate({ source: PolicySource.fixed(examplePolicy(), clock), roles: UNREADABLE_ROLES, clock });
    expect(gate.enforced()).toBe(true);
    expect(textOf(await callWith(gate))).toBe('');
    expect(textOf(await callWith(gate, changeTool))).toBe('Payments');
  });
});
