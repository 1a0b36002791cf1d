/**
 * The operation contract, end to end, for every operation in src/operations/operations.ts (no list of names
 * here: a new operation is covered by adding it there). Each one's `demo` command is said in Teams against the
 * local demo seed; its preview card is drawn with the operation's verb and its own item lines; a second person
 * approves; the step runs against the stand-ins; the outcome card says the operation's past tenses.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import { OPERATIONS } from '../../src/operations/operations';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { personalMessage, postActivity } from '../support/activities';
import { textBlocksOf as textOf } from '../support/adaptive-cards';
import { closeLocalStack, startLocalStack } from '../support/local-stack';

const B = { id: '29:user-b', name: 'Blake Approver', aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b' };

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startLocalStack());
});
afterAll(() => closeLocalStack(stack, connector));

interface Card { actions?: Array<{ title?: string; verb?: string; data?: { planId: string; version: string } & Record<string, unknown> }> }

async function say(command: string): Promise<{ conversationId: string; card: Card; text: string }> {
  const activity = personalMessage(command, { serviceUrl: connector.serviceUrl });
  const replies = connector.nextReplies(activity.conversation.id);
  expect((await postActivity(stack.botUrl, activity)).status).toBe(200);
  const [reply] = await replies;
  const card = (reply!.body.attachments as Array<{ content: Card }> | undefined)?.[0]?.content ?? {};
  return { conversationId: activity.conversation.id, card, text: textOf(card) };
}

async function approve(conversationId: string, card: Card): Promise<string> {
  const data = card.actions?.find((a) => a.verb === 'approve')?.data;
  expect(data, 'the preview has an Approve button').toBeDefined();
  const replyToId = `act-${randomUUID()}`;
  const invoke = {
    ...personalMessage('', { serviceUrl: connector.serviceUrl, conversationId }), type: 'invoke', name: 'adaptiveCard/action', text: undefined,
    id: `msg-${randomUUID()}`, replyToId, from: { ...B }, value: { action: { type: 'Action.Execute', verb: 'approve', data }, trigger: 'manual' },
  };
  expect((await postActivity(stack.botUrl, invoke)).status).toBe(200);
  await stack.approvals.idle();
  const updates = connector.calls.filter((c) => c.kind === 'update' && c.activityId === replyToId);
  return textOf(updates.at(-1)?.body.attachments);
}

describe.each(OPERATIONS.map((o) => [o.name, o] as const))('operation %s', (_name, operation) => {
  it('its demo command is one of its commands; preview → approval → execution → outcome in its own words', async () => {
    const verb = operation.demo.split(' ')[0];
    expect(operation.commands.map((c) => c.id)).toContain(verb);
    const { conversationId, card, text } = await say(operation.demo);
    expect(text).toContain(`Plan: ${operation.wording.verb}`);
    expect(text).not.toContain('${');
    const outcome = await approve(conversationId, card);
    expect(outcome).toContain(operation.wording.titleDone);
    expect(outcome).toContain(operation.wording.itemDone);
    expect(outcome).toContain('1 done');
    expect(outcome).not.toContain('${');
  });
});
