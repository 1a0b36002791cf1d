// A stale inventory, end to end (issue 24): the whole app over the local cloud, real Bot Framework activities in,
// the connector stand-in recording what Teams would show. A person changes connections in the portal (the emulator
// changes them in place and writes its audit log) behind the bot's back; the bot's answers from the inventory say how
// old they are, the fresh answer replaces the card in place, plans are built from live reads only, and a name the
// inventory never saw is searched for as before.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeAsOutsider, personActor } from '@scbot/stand-ins';
import type { ConnectorCall } from '@scbot/stand-ins/botframework';
import { AzureDevOpsAuditLog } from '../../src/devops/azure-devops-audit-log';
import { channelMention, postActivity } from '../support/activities';
import { textBlocksOf } from '../support/adaptive-cards';
import { REQUESTER, startPlanChat, type PlanChatSession } from '../support/plan-chat';
import { BOT, endpointId, PROJECT, startHarness, type Harness } from './operations-harness';

const ALPHA = 1;
const BETA = 2;
const GAMMA = 3;
const IVO = personActor({ displayName: 'Ivo Petrov' });
const PAST_THE_WINDOW_MS = 5 * 60_000;

let h: Harness;
let session: PlanChatSession;

beforeEach(async () => {
  h = await startHarness([
    { n: ALPHA, name: 'sc-alpha' },
    { n: BETA, name: 'sc-beta', mode: 'Manual' },
    { n: GAMMA, name: 'sc-gamma', failed: true },
  ]);
  // The audit log through the real adapter, as bot/cloud-ports.ts builds it; the bot is told apart by its client id.
  const changeLog = new AzureDevOpsAuditLog({ devops: h.devops, self: { clientId: BOT.appId } });
  session = await startPlanChat({ ...h.ports(), changeLog }, {}, { inventoryRepeat: () => () => undefined });
});
afterEach(async () => {
  await session?.close();
  await h?.close();
});

/** The requester says `command` in a new conversation: the bot's reply, and the id Teams gave it. */
async function say(command: string): Promise<{ conversationId: string; reply: ConnectorCall; text: string }> {
  const conversationId = `19:inventory-${randomUUID()};messageid=1`;
  const replies = session.connector.nextReplies(conversationId);
  const activity = { ...channelMention(command, { serviceUrl: session.connector.serviceUrl, conversationId }), from: { ...REQUESTER } };
  expect((await postActivity(session.app.url, activity)).status).toBe(200);
  const [reply] = await replies;
  return { conversationId, reply: reply!, text: textBlocksOf(reply!.body.attachments) };
}

/** The card's replacement in that conversation, once the fresh answer came (undefined when the card stood). */
async function updateOf(conversationId: string): Promise<ConnectorCall | undefined> {
  await session.app.close();
  return session.connector.calls.find((c) => c.kind === 'update' && c.conversationId === conversationId);
}

const failSince = (n: number) => changeAsOutsider(h.cloud.devops.state, endpointId(n), { isReady: false, operationStatus: { state: 'Failed', statusMessage: 'AADSTS7000222: The provided client secret keys are expired.' } }, IVO);

describe('a stale inventory, corrected by the fresh answer', () => {
  it('a connection that failed since the last refresh: the first answer says its age, the fresh one replaces the card in place', async () => {
    const cold = await say('list failed');
    expect(cold.text).toContain('sc-gamma');
    expect(cold.text).toContain('From my inventory of connections, as of just now.');
    failSince(ALPHA);
    h.clock.advance(PAST_THE_WINDOW_MS);
    const first = await say('list failed');
    expect(first.text).not.toContain('sc-alpha');
    expect(first.text).toContain('as of 5 min ago. I\'m checking Azure DevOps now: this card changes if anything did.');
    const update = await updateOf(first.conversationId);
    expect(update?.activityId).toBe(first.reply.answeredId);
    const fresh = textBlocksOf(update?.body.attachments);
    expect(fresh).toContain('sc-alpha');
    expect(fresh).toContain('sc-gamma');
    expect(fresh).toContain('updated after checking Azure DevOps');
  });

  it('a connection renamed since: the fresh answer lists it under its new name', async () => {
    await say('list all');
    changeAsOutsider(h.cloud.devops.state, endpointId(BETA), { name: 'sc-beta-renamed' }, IVO);
    h.clock.advance(PAST_THE_WINDOW_MS);
    const first = await say('list all');
    expect(first.text).toContain('**sc-beta**');
    const fresh = textBlocksOf((await updateOf(first.conversationId))?.body.attachments);
    expect(fresh).toContain('**sc-beta-renamed**');
    expect(fresh).not.toContain('**sc-beta**');
  });

  it('nothing changed: the card stands as first answered (no update sent)', async () => {
    await say('list');
    h.clock.advance(PAST_THE_WINDOW_MS);
    const first = await say('list');
    expect(await updateOf(first.conversationId)).toBeUndefined();
  });
});

describe('plans and names', () => {
  it('a plan is built from the live read of its target, never from the inventory', async () => {
    await say('list all');
    // The inventory holds sc-alpha as a secret-based connection; in the portal it was moved to workload identity since.
    changeAsOutsider(h.cloud.devops.state, endpointId(ALPHA), { authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: BOT.tenantId, serviceprincipalid: 'd0000000-0000-4000-8000-000000000001' } } }, IVO);
    h.cloud.devops.requests.clear();
    const asked = await say('rotate sc-alpha');
    expect(asked.text).toContain('nothing to rotate: it uses workload identity federation');
    // Found through the index: one project read, by name, and no project list.
    const reads = h.cloud.devops.requests.entries().filter((r) => r.method === 'GET').map((r) => r.path.replace(/.*\/_apis\//, ''));
    expect(reads.filter((p) => p.startsWith('projects'))).toEqual([]);
    expect(reads.filter((p) => p.startsWith('serviceendpoint/endpoints'))).toHaveLength(1);
  });

  it('a name the inventory has never seen is searched for in every project, and the answer says so', async () => {
    await say('list all');
    changeAsOutsider(h.cloud.devops.state, endpointId(GAMMA), { name: 'sc-made-in-the-portal' }, IVO);
    const shown = await say('show sc-made-in-the-portal');
    expect(shown.text).toContain('sc-made-in-the-portal');
    expect(shown.text).toContain('I had not seen this name before, so I looked for it in every project (that takes longer).');
  });

  it('the audit log says who disabled a connection in the portal: the upkeep notes it, and `show` prints it', async () => {
    await say('list all');
    changeAsOutsider(h.cloud.devops.state, endpointId(BETA), { isDisabled: true }, IVO);
    h.clock.advance(PAST_THE_WINDOW_MS);
    expect(await session.app.inventory.keeper.tick()).toBe('stepped');
    const shown = await say(`show sc-beta in ${PROJECT.name}`);
    expect(shown.text).toContain('Disabled: disabled by Ivo Petrov in the portal');
  });
});
