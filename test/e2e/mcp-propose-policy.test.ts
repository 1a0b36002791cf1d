/**
 * Agents under a policy file (issues 22 and 26): an agent is a principal in the same rules as people. The rule that
 * lists it as a requester in the channel lets it propose there, though SCBOT_REQUESTER_IDS does not name it; an
 * agent no rule names is refused with nothing posted; read tools answer as the conversation `mcp`, which no rule here
 * gives anything.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startLocal, type LocalStack } from '../../bot/local-mode';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { createLogger } from '../../src/logging';
import { USER } from '../support/activities';
import { textBlocksOf as textOf } from '../support/adaptive-cards';
import { closeLocalStack, sayInChannel } from '../support/local-stack';
import { connectMcp, textOfResult } from '../support/mcp-agent';

const AGENT = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'rule-named agent' };
const UNLISTED = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'agent no rule names' };
const CHANNEL = `19:agents-policy-${randomUUID()}@thread.tacv2`;

const POLICY = `version: 1
rules:
  - name: platform-channel
    projects: ["*"]
    operations: [read, rotate]
    conversations: ["${CHANNEL}"]
    requesters: { users: ["${USER.aadObjectId}", "${AGENT.servicePrincipalId}"] }
    approvers: { users: ["bbbbbbbb-0000-4000-8000-00000000000b"] }
    approvals: 1
`;

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  connector = new ConnectorStandIn();
  await connector.start();
  const dir = await mkdtemp(join(tmpdir(), 'scbot-agents-policy-'));
  const policyFile = join(dir, 'policy.yaml');
  await writeFile(policyFile, POLICY);
  stack = await startLocal({ port: 0, playground: false, logger: createLogger({ level: 'silent' }), policyFile });
  for (const app of [AGENT, UNLISTED]) {
    stack.entra.registry.registerApplication(app);
    stack.entra.registry.apiRoles.grant(app.appId, stack.localIdentity.clientId, ['Mcp.Agent']);
  }
});
afterAll(() => closeLocalStack(stack, connector));

const connect = (app: typeof AGENT): Promise<Client> => connectMcp(stack, app);

const postsWith = (planId: string) => connector.calls.filter((c) => c.kind === 'send' && c.conversationId === CHANNEL && JSON.stringify(c.body).includes(planId));

describe('agents under a policy file', () => {
  it('the rule that names an agent lets it propose in its channel; one no rule names is refused, nothing posted', async () => {
    expect(textOf((await sayInChannel(stack, connector, CHANNEL, 'agents on')).body.attachments)).toContain('Agent requests will appear in this conversation.');
    const named = await connect(AGENT);
    const proposed = await named.callTool({ name: 'propose_rotate', arguments: { name: 'sc-prod' } });
    expect(proposed.isError, textOfResult(proposed)).toBeFalsy();
    const planId = (proposed.structuredContent as { planId: string }).planId;
    expect(postsWith(planId)).toHaveLength(1);
    await named.close();

    const sent = connector.calls.length;
    const stranger = await connect(UNLISTED);
    const refused = await stranger.callTool({ name: 'propose_rotate', arguments: { name: 'sc-prod' } });
    expect(refused.isError).toBe(true);
    expect(textOfResult(refused)).toMatch(/not allowed to request changes/);
    expect(connector.calls.slice(sent).filter((c) => c.kind === 'send' && c.conversationId === CHANNEL)).toHaveLength(0);
    await stranger.close();
  });

  it('read tools answer as the conversation `mcp`: no rule gives it anything, so nothing is listed', async () => {
    const client = await connect(AGENT);
    const listed = await client.callTool({ name: 'list_connections', arguments: { filter: 'all' } });
    expect(JSON.stringify(listed.structuredContent ?? {})).not.toContain('sc-prod');
    await client.close();
  });
});
