/**
 * The per-caller limit across instances: two bots in local mode on one Azurite table (as two-instances.test.ts runs
 * two on one store), each with its own MCP endpoint. An agent spreading its calls over both gets the configured total
 * between them, not twice it; the refusal says what happened and when to retry, and is audited once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { LocalStack } from '../../bot/local-mode';
import type { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { startAzuriteTables, type AzuriteTables } from '../support/azurite';
import { closeLocalStack } from '../support/local-stack';
import { connectMcp, startWithAgents, textOfResult } from '../support/mcp-agent';

const AGENT = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'busy agent' };
const OTHER = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'quiet agent' };
const CALLS_PER_MINUTE = 4;

let azurite: AzuriteTables;
const instances: Array<{ stack: LocalStack; connector: ConnectorStandIn }> = [];

beforeAll(async () => {
  azurite = await startAzuriteTables();
  const storage = { kind: 'connection-string' as const, connectionString: azurite.connectionString, table: 'scbotmcplimit' };
  for (let i = 0; i < 2; i++) instances.push(await startWithAgents({ requesters: [], agents: [AGENT, OTHER], local: { storage, mcp: { callsPerMinute: CALLS_PER_MINUTE } } }));
}, 60_000);
afterAll(async () => {
  for (const { stack, connector } of instances) await closeLocalStack(stack, connector);
  await azurite?.stop();
});

const listFindings = (client: Client) => client.callTool({ name: 'list_findings', arguments: {} });

describe('the per-caller limit, shared by instances', () => {
  it('calls split across two instances are limited at the configured total, with a clear error, audited once', async () => {
    const [one, two] = await Promise.all(instances.map(({ stack }) => connectMcp(stack, AGENT)));
    const clients = [one!, two!];
    for (let i = 0; i < CALLS_PER_MINUTE; i++) expect((await listFindings(clients[i % 2]!)).isError, `call ${i + 1}`).toBeFalsy();
    for (const client of clients) {
      const refused = await listFindings(client);
      expect(refused.isError).toBe(true);
      expect(textOfResult(refused)).toMatch(/^Too many calls: at most 4 tool calls a minute for each caller\. Nothing was done; try again in \d+ s\. Reference: R-[A-Z0-9]{8}$/);
    }
    // Another caller is not slowed.
    const other = await connectMcp(instances[1]!.stack, OTHER);
    expect((await listFindings(other)).isError).toBeFalsy();
    const events = await new StoreAuditLog(instances[0]!.stack.store).query();
    expect(events.filter((e) => e.reason === 'RATE_LIMITED').map((e) => e.actor.aadObjectId)).toEqual([AGENT.servicePrincipalId]);
    await Promise.all([...clients, other].map((c) => c.close()));
  });
});
