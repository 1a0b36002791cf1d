/**
 * Agents propose, people approve, end to end: local mode with a policy that names one agent as a requester, the
 * official MCP client with the Entra stand-in's tokens, and a Bot Connector stand-in that receives the plan card in
 * the channel that said `agents on`. A person taps Approve there; the agent's own (forged) tap is refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { LocalStack } from '../../bot/local-mode';
import type { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { channelMention, postActivity } from '../support/activities';
import { textBlocksOf as textOf } from '../support/adaptive-cards';
import { closeLocalStack, sayInChannel } from '../support/local-stack';
import { connectMcp, startWithAgents, textOfResult } from '../support/mcp-agent';

const AGENT = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'fixer agent' };
const UNLISTED = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'agent no rule names' };
const CLIENT = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'an MCP client' };
const PERSON = { objectId: 'dddddddd-0000-4000-8000-0000000000d2', displayName: 'Devon Ops' };
const CHANNEL = `19:agents-${randomUUID()}@thread.tacv2`;
const APPROVER = { id: '29:user-b', name: 'Blake Approver', aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b' };

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startWithAgents({ requesters: [AGENT], agents: [AGENT, UNLISTED], clients: [CLIENT] }));
});
afterAll(() => closeLocalStack(stack, connector));

/** As the agent app itself, or (`person`) as a person signed in through the MCP client app. */
const connect = (app: typeof AGENT, person?: typeof PERSON): Promise<Client> => connectMcp(stack, app, person);

type CardAction = { verb?: string; data?: { planId: string; version: string } };

/** A tap on the posted plan card in the channel, as Teams sends it for `from`. */
function tap(from: object, verb: string, data: unknown, cardId: string) {
  const message = channelMention('', { serviceUrl: connector.serviceUrl, conversationId: CHANNEL });
  return {
    ...message, type: 'invoke', name: 'adaptiveCard/action', text: undefined, entities: undefined, id: `msg-${randomUUID()}`, replyToId: cardId,
    from, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

describe('agents propose, people approve', () => {
  it('before `agents on` a proposal is refused: nothing planned, nothing posted', async () => {
    const client = await connect(AGENT);
    const result = await client.callTool({ name: 'propose_rotate', arguments: { name: 'sc-prod' } });
    expect(result.isError).toBe(true);
    expect(textOfResult(result)).toContain('No Teams conversation takes agent requests yet');
    await client.close();
  });

  it('lists propose_rotate with the operation\'s arguments and truthful annotations', async () => {
    const client = await connect(AGENT);
    const tool = (await client.listTools()).tools.find((t) => t.name === 'propose_rotate');
    expect(tool?.inputSchema).toMatchObject({
      required: ['name'], additionalProperties: false,
      properties: { name: { type: 'string' }, project: { type: 'string' }, keyvault: { type: 'string' }, expires: { type: 'string', pattern: '^[0-9]{1,4}d$' } },
    });
    expect(tool?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
    await client.close();
  });

  it('propose_rotate posts the plan card where `agents on` was said, naming the agent; a person approves; get_plan says it ran; the audit names both', async () => {
    expect(textOf((await sayInChannel(stack, connector, CHANNEL, 'agents on')).body.attachments)).toContain('Agent requests will appear in this conversation.');
    const client = await connect(AGENT);
    const proposed = await client.callTool({ name: 'propose_rotate', arguments: { name: 'sc-prod' } });
    expect(proposed.isError).toBeFalsy();
    const value = proposed.structuredContent as { planId: string; state: string; postedTo: { conversationId: string }; requestedBy: string };
    expect(value).toMatchObject({ state: 'proposed', postedTo: { conversationId: CHANNEL }, requestedBy: `fixer agent (agent, app ${AGENT.appId})` });
    expect(value.planId).toMatch(/^P-[A-Z0-9]{8}$/);

    const post = connector.calls.find((c) => c.kind === 'send' && c.conversationId === CHANNEL && JSON.stringify(c.body).includes(value.planId));
    expect(post).toBeDefined();
    const card = (post!.body.attachments as Array<{ content: { actions: CardAction[] } }>)[0]!.content;
    expect(textOf(post!.body.attachments)).toContain(`Requested by fixer agent (agent, app ${AGENT.appId})`);
    const data = card.actions.find((a) => a.verb === 'approve')?.data;
    expect(data?.planId).toBe(value.planId);

    // The agent forges a tap on the card as itself: four-eyes refuses it by object id.
    const forged = await postActivity(stack.botUrl, tap({ id: '29:agent', name: 'fixer agent', aadObjectId: AGENT.servicePrincipalId }, 'approve', data, 'card-1'));
    expect(textOf(((await forged.json()) as { value: unknown }).value)).toContain('You cannot approve your own request.');
    expect((await client.callTool({ name: 'get_plan', arguments: { planId: value.planId } })).structuredContent).toMatchObject({ state: 'proposed', approvedBy: [] });

    const approved = await postActivity(stack.botUrl, tap({ ...APPROVER }, 'approve', data, 'card-1'));
    expect(approved.status).toBe(200);
    await stack.approvals.idle();
    const status = await client.callTool({ name: 'get_plan', arguments: { planId: value.planId } });
    expect(status.structuredContent).toMatchObject({ state: 'done', operation: 'rotate', approvedBy: ['Blake Approver'], outcome: { done: 1, failed: 0 } });
    await client.close();

    const events = await new StoreAuditLog(stack.store).query({ planId: value.planId });
    expect(events.find((e) => e.kind === 'requested')?.actor).toMatchObject({ aadObjectId: AGENT.servicePrincipalId, appId: AGENT.appId });
    expect(events.find((e) => e.kind === 'approved')?.actor).toMatchObject({ aadObjectId: APPROVER.aadObjectId, name: 'Blake Approver' });
    expect(events.find((e) => e.kind === 'refused')?.actor).toMatchObject({ aadObjectId: AGENT.servicePrincipalId });
    expect(events.some((e) => e.kind === 'called' && e.command === 'mcp propose_rotate')).toBe(true);
  });

  it('an agent no policy rule names is refused (the demo policy\'s `*` is for people): nothing planned or posted', async () => {
    const client = await connect(UNLISTED);
    const posts = connector.calls.length;
    const result = await client.callTool({ name: 'propose_rotate', arguments: { name: 'sc-staging' } });
    expect(result.isError).toBe(true);
    expect(textOfResult(result)).toContain('You are not allowed to request changes.');
    expect(connector.calls.length).toBe(posts);
    const events = await new StoreAuditLog(stack.store).query();
    expect(events.find((e) => e.actor.aadObjectId === UNLISTED.servicePrincipalId)).toMatchObject({ kind: 'called', reason: 'NOT_A_REQUESTER' });
    expect(events.some((e) => e.kind === 'requested' && e.actor.aadObjectId === UNLISTED.servicePrincipalId)).toBe(false);
    await client.close();
  });

  it('a secret in the arguments is refused before anything is planned', async () => {
    const client = await connect(AGENT);
    const result = await client.callTool({ name: 'propose_rotate', arguments: { name: 'Xy8Q~abcdefghijklmnopqrstuvwxyz0123456789AB' } });
    expect(result.isError).toBe(true);
    expect(textOfResult(result)).toContain('looks like a secret');
    await client.close();
  });

  it('a person proposing through their client is the requester, named with the client; their own tap is refused too', async () => {
    const client = await connect(CLIENT, PERSON);
    const proposed = await client.callTool({ name: 'propose_rotate', arguments: { name: 'sc-staging' } });
    const value = proposed.structuredContent as { planId: string; requestedBy: string };
    expect(value.requestedBy).toBe(`Devon Ops (through MCP client app ${CLIENT.appId})`);
    const post = connector.calls.find((c) => c.kind === 'send' && JSON.stringify(c.body).includes(value.planId));
    const data = (post!.body.attachments as Array<{ content: { actions: CardAction[] } }>)[0]!.content.actions.find((a) => a.verb === 'approve')?.data;
    const own = await postActivity(stack.botUrl, tap({ id: '29:devon', name: 'Devon Ops', aadObjectId: PERSON.objectId }, 'approve', data, 'card-2'));
    expect(textOf(((await own.json()) as { value: unknown }).value)).toContain('You cannot approve your own request.');
    await client.close();
  });

  it('a card Teams refuses to take is a tool error naming the plan (which nobody can approve, so it expires)', async () => {
    connector.failNext(CHANNEL, 403);
    const client = await connect(AGENT);
    const result = await client.callTool({ name: 'propose_rotate', arguments: { name: 'sc-staging' } });
    expect(result.isError).toBe(true);
    expect(textOfResult(result)).toMatch(/^Plan P-[A-Z0-9]{8} was made but its card could not be posted to Teams, so nobody can approve it; it expires unused\. Try again later\. Reference: R-[A-Z0-9]{8}$/);
    await client.close();
  });
});
