/**
 * Local mode: an agent's plan card is posted in the background (not as a turn's reply), and offers the demo
 * approvers' buttons from the start, as a typed command's card does; tapping one approves as that person. An app
 * composed without demo approvers (every app with an app id: composeApp refuses them there) posts plan cards without.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { approvalCard } from '../../src/approvals/approval-card';
import { fingerprintPlan } from '../../src/domain/audit';
import { channelMention, postActivity } from '../support/activities';
import { closeLocalStack, sayInChannel } from '../support/local-stack';
import { connectMcp, startWithAgents } from '../support/mcp-agent';
import { startTestApp } from '../support/test-app';
import { HARNESS_TUNING, startHarness } from './operations-harness';
import { rotatePlan } from '../unit/plan-card-fixture';
import { A } from '../unit/approval-fixture';

const AGENT = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'fixer agent' };
const CHANNEL = `19:agents-${randomUUID()}@thread.tacv2`;
const PLAYGROUND_USER = { id: '29:local-user', name: 'Local User', aadObjectId: '00000000-0000-0000-0000-0000000000a1' };

type CardAction = { title?: string; verb?: string; data?: { planId: string; version: string } };
const actionsOf = (body: Record<string, unknown>): CardAction[] => (body.attachments as Array<{ content: { actions?: CardAction[] } }>)[0]!.content.actions ?? [];

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startWithAgents({ requesters: [AGENT], agents: [AGENT] }));
});
afterAll(() => closeLocalStack(stack, connector));

describe('demo approvers on an agent\'s plan card', () => {
  it('local mode: the posted proposal offers "Approve as …" at once, and a tap approves as that demo approver', async () => {
    await sayInChannel(stack, connector, CHANNEL, 'agents on');
    const client = await connectMcp(stack, AGENT);
    const proposed = await client.callTool({ name: 'propose_rotate', arguments: { name: 'sc-prod' } });
    const { planId } = proposed.structuredContent as { planId: string };
    const post = connector.calls.find((c) => c.kind === 'send' && c.conversationId === CHANNEL && JSON.stringify(c.body).includes(planId));
    const actions = actionsOf(post!.body);
    const approve = actions.find((a) => a.verb === 'approve');
    expect(approve?.data?.planId).toBe(planId);
    expect(actions.filter((a) => a.verb?.startsWith('local-demo-approve:'))).toEqual([
      { type: 'Action.Execute', title: 'Approve as Ben Approver (local demo)', verb: 'local-demo-approve:ben', data: approve!.data },
      { type: 'Action.Execute', title: 'Approve as Chris Approver (local demo)', verb: 'local-demo-approve:chris', data: approve!.data },
    ]);

    const message = channelMention('', { serviceUrl: connector.serviceUrl, conversationId: CHANNEL });
    const tap = { ...message, type: 'invoke', name: 'adaptiveCard/action', text: undefined, entities: undefined, id: `msg-${randomUUID()}`, replyToId: 'card-1', from: PLAYGROUND_USER, value: { action: { type: 'Action.Execute', verb: 'local-demo-approve:ben', data: approve!.data }, trigger: 'manual' } };
    expect((await postActivity(stack.botUrl, tap)).status).toBe(200);
    await stack.approvals.idle();
    const status = await client.callTool({ name: 'get_plan', arguments: { planId } });
    expect(status.structuredContent).toMatchObject({ approvedBy: ['Ben Approver'] });
    await client.close();
  });

  it('an app without demo approvers posts the same plan card with only its own buttons', async () => {
    const h = await startHarness([{ n: 1, name: 'sc-prod' }]);
    const other = new ConnectorStandIn();
    await other.start();
    const app = await startTestApp(h.ports(), {}, HARNESS_TUNING);
    try {
      const plan = rotatePlan('sc-prod');
      const record = {
        planId: plan.id, planVersion: fingerprintPlan(plan), state: 'proposed' as const, requester: A, conversation: { id: CHANNEL, type: 'channel' },
        createdAt: '2026-12-07T05:00:00.000Z', expiresAt: '2026-12-07T05:30:00.000Z', approvers: [], approvalsNeeded: 1, updatedAt: '2026-12-07T05:00:00.000Z',
      };
      const reference = { serviceUrl: other.serviceUrl, channelId: 'msteams', conversation: { id: CHANNEL }, bot: { id: 'scbot' } };
      await app.notifier.post({ conversationId: CHANNEL, reference }, approvalCard(record, plan));
      const actions = actionsOf(other.calls.find((c) => c.kind === 'send')!.body);
      expect(actions.some((a) => a.verb === 'approve')).toBe(true);
      expect(actions.some((a) => a.verb?.startsWith('local-demo-approve:') || a.title?.includes('local demo'))).toBe(false);
    } finally {
      await app.close();
      await other.close();
      await h.close();
    }
  });
});
