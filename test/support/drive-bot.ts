/**
 * Driving a running bot over HTTP as Teams would: a channel message with a command, and the Approve tap on the
 * preview card it answered with. Replies go to the connector stand-in; the tests read the card from there.
 */
import { randomUUID } from 'node:crypto';
import { channelMention, postActivity } from './activities';
import type { ConnectorStandIn } from '@scbot/stand-ins/botframework';

export const REQUESTER = { id: '29:user-a', name: 'Avery Requester', aadObjectId: 'aaaaaaaa-0000-4000-8000-00000000000a' };
export const APPROVER = { id: '29:user-b', name: 'Blake Approver', aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b' };
type User = typeof REQUESTER;

export interface Preview { planId: string; version: string; conversationId: string; cardId: string }

/** Posts `command` in a fresh channel conversation and returns the preview card's approve data. */
export async function ask(botUrl: string, connector: ConnectorStandIn, command: string, user: User = REQUESTER): Promise<Preview> {
  const conversationId = `19:ops-${randomUUID()};messageid=1`;
  const replies = connector.nextReplies(conversationId);
  const activity = { ...channelMention(command, { serviceUrl: connector.serviceUrl, conversationId }), from: { ...user } };
  const posted = await postActivity(botUrl, activity);
  if (posted.status !== 200) throw new Error(`the bot answered ${posted.status}`);
  const [reply] = await replies;
  const card = (reply!.body.attachments as Array<{ content: { actions: Array<{ verb?: string; data?: { planId: string; version: string } }> } }>)[0]!.content;
  const data = card.actions.find((a) => a.verb === 'approve')?.data;
  if (!data) throw new Error('the answer has no Approve button');
  return { ...data, conversationId, cardId: `act-card-${randomUUID()}` };
}

/**
 * Taps a verb (Approve by default) on the preview card; the card's replacement is the HTTP answer. `where` moves
 * the tap to another conversation or tenant (what a stranger who learned the plan id would send).
 */
export async function tap(botUrl: string, connector: ConnectorStandIn, preview: Preview, user: Partial<User> & { id: string; name: string } = APPROVER, verb = 'approve', where: { conversationId?: string; tenantId?: string } = {}): Promise<{ status: number; text: string }> {
  const base = channelMention('', { serviceUrl: connector.serviceUrl, conversationId: where.conversationId ?? preview.conversationId });
  const tenant = where.tenantId ? { conversation: { ...base.conversation, tenantId: where.tenantId }, channelData: { ...base.channelData, tenant: { id: where.tenantId } } } : {};
  const invoke = {
    ...base, ...tenant, type: 'invoke', name: 'adaptiveCard/action', text: undefined, entities: undefined, from: { ...user }, replyToId: preview.cardId,
    value: { action: { type: 'Action.Execute', verb, data: { planId: preview.planId, version: preview.version } }, trigger: 'manual' },
  };
  const response = await postActivity(botUrl, invoke);
  return { status: response.status, text: JSON.stringify(await response.json()) };
}

/** The text of the last in-place update of the preview card (the progress or outcome the channel sees). */
export function lastCardUpdate(connector: ConnectorStandIn, preview: Preview): string | undefined {
  const updates = connector.calls.filter((c) => c.kind === 'update' && c.activityId === preview.cardId);
  return updates.length > 0 ? JSON.stringify(updates[updates.length - 1]!.body) : undefined;
}
