/**
 * Every tools/call is audited, including the ones that never reach a tool: arguments that do not fit the published
 * schema, a secret pasted into a set-form argument (a GUID), a tool that does not exist. The SDK used to answer those
 * itself, before our call wrapper, so they left no trace. Each gets a clear tool error, nothing is posted, and one
 * `called` event names caller and tool with why it was refused; the secret appears nowhere (result, audit, logs).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import type { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import type { AuditEvent } from '../../src/domain/audit';
import { closeLocalStack, sayInChannel } from '../support/local-stack';
import { recordingLogger } from '../support/inventory-fixtures';
import { connectMcp, startWithAgents, textOfResult } from '../support/mcp-agent';

const AGENT = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'sloppy agent' };
const CHANNEL = `19:agents-${randomUUID()}@thread.tacv2`;
const SECRET = 'Xy8Q~abcdefghijklmnopqrstuvwxyz0123456789AB';
const { logger, lines } = recordingLogger();

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startWithAgents({ requesters: [AGENT], agents: [AGENT], logger }));
});
afterAll(() => closeLocalStack(stack, connector));

/** One call as the agent: its result, the audit events and the Teams posts it added. */
async function callOnce(name: string, args: Record<string, unknown>): Promise<{ text: string; isError: unknown; events: AuditEvent[]; posts: number }> {
  const audit = new StoreAuditLog(stack.store);
  const [eventsBefore, postsBefore] = [(await audit.query()).length, connector.calls.length];
  const client = await connectMcp(stack, AGENT);
  const result = await client.callTool({ name, arguments: args });
  await client.close();
  expect(JSON.stringify(result)).not.toContain(SECRET);
  const events = await audit.query();
  return { text: textOfResult(result), isError: result.isError, events: events.slice(0, events.length - eventsBefore), posts: connector.calls.length - postsBefore };
}

function expectOneCalledEvent(events: AuditEvent[], command: string, reason: string): void {
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ kind: 'called', command, reason, actor: { aadObjectId: AGENT.servicePrincipalId, appId: AGENT.appId } });
}

describe('every MCP tool call is audited, even one the schema refuses', () => {
  it('(a channel takes agent requests, so a call that got through would post a card there)', async () => {
    await sayInChannel(stack, connector, CHANNEL, 'agents on');
    expect((await callOnce('propose_rotate', { name: 'sc-prod' })).posts).toBe(1);
  });

  it('a missing argument and a malformed one: a clear tool error naming the fields, nothing posted, one audit event', async () => {
    const missing = await callOnce('propose_rotate', {});
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/^The arguments of propose_rotate do not fit its input schema: `name` is missing\. Nothing was done; fix the arguments and call again\. Reference: R-[A-Z0-9]{8}$/);
    expect(missing.posts).toBe(0);
    expectOneCalledEvent(missing.events, 'mcp propose_rotate', 'INVALID_INPUT');

    const malformed = await callOnce('propose_rotate', { name: 'sc-prod', expires: 'ninety days', colour: 'blue', 'odd key!': 1 });
    expect(malformed.text).toContain('`expires`: Not in the expected form, e.g. 90d.');
    expect(malformed.text).toContain('an argument the tool does not take was given');
    expect(malformed.text).not.toContain('odd key');
    expect(malformed.text).not.toContain('ninety');
    expect(malformed.text).toContain('`colour` is not an argument of propose_rotate');
    expect(malformed.posts).toBe(0);
    expectOneCalledEvent(malformed.events, 'mcp propose_rotate', 'INVALID_INPUT');
  });

  it('a secret pasted into a GUID argument: called a secret, nothing posted, audited without it, in no log line', async () => {
    const args = { name: 'sc-new', project: 'Payments', subscription: SECRET, newApp: true, pipelines: ['deploy-api'] };
    const refused = await callOnce('propose_create', args);
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('looks like a secret');
    expect(refused.posts).toBe(0);
    expectOneCalledEvent(refused.events, 'mcp propose_create', 'SECRET_IN_INPUT');
    expect(JSON.stringify(refused.events)).not.toContain(SECRET);
    expect(lines.some((line) => line.includes('MCP tool call refused') && line.includes('SECRET_IN_INPUT'))).toBe(true);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  it('a tool that does not exist: a tool error, audited without echoing the name it was called by', async () => {
    const unknown = await callOnce(`approve_${SECRET.slice(0, 4).toLowerCase()}`, {});
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/^No such tool: tools\/list names the tools this server offers\. Nothing was done\. Reference: R-[A-Z0-9]{8}$/);
    expectOneCalledEvent(unknown.events, 'mcp (not a tool name)', 'UNKNOWN_TOOL');
  });
});
