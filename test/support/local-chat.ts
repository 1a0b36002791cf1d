/**
 * Saying a command in a new personal chat with the local stack and approving its plan as a second person, over HTTP
 * as Teams would send it: what several local-mode e2e tests do (connection hygiene, the operation contract).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import type { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { personalMessage, postActivity } from './activities';
import { textBlocksOf as textOf } from './adaptive-cards';

export interface Card { actions?: Array<{ title?: string; verb?: string; data?: { planId: string; version: string } & Record<string, unknown> }> }

/** Blake: the second person who approves what the local demo user asks for. */
export const BLAKE = { id: '29:user-b', name: 'Blake Approver', aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b' };

export function localChat(stack: () => LocalStack, connector: () => ConnectorStandIn, approver = BLAKE) {
  /** Says `command` in a new personal chat; the bot's reply card and its text. */
  async function say(command: string): Promise<{ conversationId: string; card: Card; text: string }> {
    const activity = personalMessage(command, { serviceUrl: connector().serviceUrl });
    const replies = connector().nextReplies(activity.conversation.id);
    expect((await postActivity(stack().botUrl, activity)).status).toBe(200);
    const [reply] = await replies;
    const card = (reply!.body.attachments as Array<{ content: Card }> | undefined)?.[0]?.content ?? {};
    return { conversationId: activity.conversation.id, card, text: textOf(card) };
  }

  /** The approver taps Approve on the card; waits for execution and answers the outcome card's text. */
  async function approve(conversationId: string, card: Card): Promise<string> {
    const data = card.actions?.find((a) => a.verb === 'approve')?.data;
    expect(data, 'the preview has an Approve button').toBeDefined();
    const replyToId = `act-${randomUUID()}`;
    const invoke = {
      ...personalMessage('', { serviceUrl: connector().serviceUrl, conversationId }), type: 'invoke', name: 'adaptiveCard/action', text: undefined,
      id: `msg-${randomUUID()}`, replyToId, from: { ...approver }, value: { action: { type: 'Action.Execute', verb: 'approve', data }, trigger: 'manual' },
    };
    expect((await postActivity(stack().botUrl, invoke)).status).toBe(200);
    await stack().approvals.idle();
    const updates = connector().calls.filter((c) => c.kind === 'update' && c.activityId === replyToId);
    return textOf(updates.at(-1)?.body.attachments);
  }

  /**
   * An Action.Execute tap on a card the bot posted (`verb` `form`: a form's submit, its inputs merged into `data` as
   * Teams does; `command`: a button). The invoke's status and the `count` messages the bot posted in answer.
   */
  async function tap(conversationId: string, verb: string, data: Record<string, unknown>, count = 1): Promise<{ status: number; cards: Card[]; texts: string[] }> {
    const replies = connector().nextReplies(conversationId, count);
    const invoke = {
      ...personalMessage('', { serviceUrl: connector().serviceUrl, conversationId }), type: 'invoke', name: 'adaptiveCard/action', text: undefined,
      id: `msg-${randomUUID()}`, replyToId: `act-${randomUUID()}`, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    };
    const { status } = await postActivity(stack().botUrl, invoke);
    if (status !== 200) return { status, cards: [], texts: [] };
    const cards = (await replies).map((r) => (r.body.attachments as Array<{ content: Card }> | undefined)?.[0]?.content ?? {});
    return { status, cards, texts: cards.map((c) => textOf(c)) };
  }

  return { say, approve, tap };
}
