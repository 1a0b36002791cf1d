/**
 * The propose tools derived from declared arguments, end to end (issue 26): the official MCP client over HTTP with an
 * agent's Entra stand-in token, local mode's demo seed, and a Bot Connector stand-in that receives the plan cards in
 * the channel that said `agents on`. restrict, share, migrate issuer and create each post the ordinary plan card and
 * return its id; bad input is a clear tool error with nothing posted; a secret anywhere is refused, never echoed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { LocalStack } from '../../bot/local-mode';
import type { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { SECRET_IN_INPUT } from '../../src/commands/secret-guard';
import { textBlocksOf as textOf } from '../support/adaptive-cards';
import { closeLocalStack, sayInChannel } from '../support/local-stack';
import { connectMcp, startWithAgents, textOfResult } from '../support/mcp-agent';

const AGENT = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'fixer agent' };
const CHANNEL = `19:agents-ops-${randomUUID()}@thread.tacv2`;
const SECRET = 'Xy8Q~abcdefghijklmnopqrstuvwxyz0123456789AB';
const SUBSCRIPTION = '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';
const IDENTITY = '6c2d9e4f-8a1b-4c3d-9e5f-7a0b1c2d3e4f';

let stack: LocalStack;
let connector: ConnectorStandIn;
let client: Client;

beforeAll(async () => {
  ({ stack, connector } = await startWithAgents({ requesters: [AGENT], agents: [AGENT] }));
  client = await connectMcp(stack, AGENT);
});
afterAll(async () => {
  await client?.close();
  await closeLocalStack(stack, connector);
});

const postsToChannel = () => connector.calls.filter((c) => c.kind === 'send' && c.conversationId === CHANNEL);

/** Calls the tool; on a tool error, checks that nothing reached the channel. */
async function call(name: string, args: Record<string, unknown>) {
  const before = postsToChannel().length;
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) expect(postsToChannel().length, `${name} posted despite an error`).toBe(before);
  return result;
}

describe('propose tools of the operations agents could not ask for before', () => {
  it('a requester chooses this channel with `agents on`', async () => {
    expect(textOf((await sayInChannel(stack, connector, CHANNEL, 'agents on')).body.attachments)).toContain('Agent requests will appear in this conversation.');
  });

  it.each([
    ['propose_restrict', { name: 'sc-staging' }, 'restrict', 'restrict sc-staging'],
    ['propose_share', { name: 'acr-payments', with: 'Platform' }, 'share', 'share acr-payments with Platform'],
    ['propose_migrate_issuer', { name: 'sc-wif-legacy' }, 'migrate-issuer', 'migrate issuer sc-wif-legacy'],
    ['propose_create', { name: 'sc-agent-made', project: 'Payments', subscription: SUBSCRIPTION, identity: IDENTITY, pipelines: ['payments-ci'] }, 'create',
      `create sc-agent-made in Payments subscription ${SUBSCRIPTION} identity ${IDENTITY} for payments-ci`],
  ])('%s posts the ordinary plan card where `agents on` was said and returns its plan id', async (tool, args, operation, line) => {
    const result = await call(tool, args);
    expect(result.isError, textOfResult(result)).toBeFalsy();
    const value = result.structuredContent as { planId: string; operation: string; state: string; requestedBy: string; postedTo: { conversationId: string } };
    expect(value).toMatchObject({ operation, state: 'proposed', postedTo: { conversationId: CHANNEL }, requestedBy: `fixer agent (agent, app ${AGENT.appId})` });
    expect(value.planId).toMatch(/^P-[A-Z0-9]{8}$/);
    const posts = postsToChannel().filter((c) => JSON.stringify(c.body).includes(value.planId));
    expect(posts).toHaveLength(1);
    const card = (posts[0]!.body.attachments as Array<{ content: { actions?: Array<{ verb?: string; data?: { planId?: string } }> } }>)[0]!.content;
    expect(card.actions?.find((a) => a.verb === 'approve')?.data?.planId).toBe(value.planId);
    expect(textOf(posts[0]!.body.attachments)).toContain(`Requested by fixer agent (agent, app ${AGENT.appId})`);
    // The plan is the one a person typing the same line gets: same command, planned by the same planner.
    const status = await client.callTool({ name: 'get_plan', arguments: { planId: value.planId } });
    expect(status.structuredContent).toMatchObject({ command: line, state: 'proposed', approvedBy: [] });
    const events = await new StoreAuditLog(stack.store).query({ planId: value.planId });
    expect(events.find((e) => e.kind === 'requested')?.actor).toMatchObject({ aadObjectId: AGENT.servicePrincipalId, appId: AGENT.appId });
  });

  it.each([
    ['a missing required argument', 'propose_share', { name: 'acr-payments' }, /with/],
    ['a subscription that is not a GUID', 'propose_create', { name: 'sc-x', project: 'Payments', subscription: 'prod', identity: IDENTITY }, /`subscription`: Not in the expected form, e.g. /],
    ['two identities at once', 'propose_create', { name: 'sc-x', project: 'Payments', subscription: SUBSCRIPTION, identity: IDENTITY, newApp: true }, /exactly one of: app, identity, newApp/],
    ['a bulk form people ask for in Teams', 'propose_restrict', { name: 'sc-staging', all: true }, /`all` is not an argument of propose_restrict/],
    ['a role Azure has no such built-in of', 'propose_create', { name: 'sc-x', project: 'Payments', subscription: SUBSCRIPTION, identity: IDENTITY, role: 'Overlord' }, /"Overlord" is not a built-in Azure role/],
    ['a pipeline the project lacks', 'propose_restrict', { name: 'sc-staging', to: ['no-such-pipeline'] }, /no pipeline called "no-such-pipeline"/],
    ['a connection called "all" (a name, never the bulk form)', 'propose_migrate_issuer', { name: 'all' }, /all/],
  ])('%s is a clear tool error, and nothing is posted', async (_what, tool, args, said) => {
    const result = await call(tool, args);
    expect(result.isError).toBe(true);
    expect(textOfResult(result)).toMatch(said);
    expect(textOfResult(result)).not.toMatch(/\n\s+at |Error:/);
  });

  // The call wrapper's guard reads every value before the schema does: a secret in a value of a set form (a GUID)
  // gets the same answer as one in free text, and both are audited.
  it.each([
    ['propose_share', { name: 'acr-payments', with: SECRET }],
    ['propose_restrict', { name: 'sc-staging', to: ['payments-ci', SECRET] }],
    ['propose_migrate_issuer', { name: 'sc-wif-legacy', project: SECRET }],
    ['propose_create', { name: 'sc-x', project: 'Payments', subscription: SUBSCRIPTION, newApp: true, role: SECRET }],
    ['propose_create', { name: 'sc-x', project: 'Payments', subscription: SECRET, identity: IDENTITY }],
  ])('%s with a secret in %j is refused with the secret guard\'s answer, never echoed, nothing posted', async (tool, args) => {
    const audit = new StoreAuditLog(stack.store);
    const refusals = async () => (await audit.query()).filter((e) => e.kind === 'called' && e.command === `mcp ${tool}` && e.reason === 'SECRET_IN_INPUT').length;
    const before = await refusals();
    const result = await call(tool, args);
    expect(result.isError).toBe(true);
    expect(textOfResult(result)).toContain(SECRET_IN_INPUT);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(await audit.query())).not.toContain(SECRET);
    expect(await refusals()).toBe(before + 1);
  });
});
