import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ConnectorStandIn } from '@scbot/stand-ins/botframework';

/**
 * Teams-shaped activities for the approval benches: a user's chat message and the `adaptiveCard/action` invoke a
 * tap on a plan card sends. The card's `data` ({ planId, version }) is taken from the preview the bot posted.
 */
export interface BenchUser { id: string; name: string; aadObjectId: string }

export const benchUser = (letter: string): BenchUser => ({
  id: `29:bench-${letter}`, name: `Bench ${letter.toUpperCase()}`, aadObjectId: `00000000-0000-4000-8000-0000000000${letter.charCodeAt(0).toString(16)}`,
});

export interface CardRef { conversationId: string; activityId: string; data: object }

function activity(serviceUrl: string, conversationId: string, from: BenchUser): Record<string, unknown> {
  return {
    id: `bench-${randomUUID()}`, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl, from,
    recipient: { id: '28:scbot', name: 'scbot' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: 'bench-tenant' },
    channelData: { tenant: { id: 'bench-tenant' } }, locale: 'en-US',
  };
}

async function post(endpoint: string, body: object): Promise<Response> {
  return fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

interface CardAction { verb?: string; data?: object }

/** Says `text` as `from` in a fresh conversation and returns the plan card the bot answered with. */
export async function requestPlan(endpoint: string, connector: ConnectorStandIn, from: BenchUser, text: string): Promise<CardRef> {
  const conversationId = `a:bench-${randomUUID()}`;
  const replies = connector.nextReplies(conversationId);
  const answer = await post(endpoint, { ...activity(connector.serviceUrl, conversationId, from), type: 'message', text });
  if (answer.status >= 300) throw new Error(`"${text}" failed: HTTP ${answer.status}`);
  const [reply] = await replies;
  const attachments = (reply?.body.attachments ?? []) as Array<{ content?: { actions?: CardAction[] } }>;
  const data = attachments[0]?.content?.actions?.find((a) => a.verb === 'approve')?.data;
  if (!data) throw new Error(`"${text}" did not answer with a plan card carrying Approve`);
  // The stand-in does not remember posted activity ids; any id works as the card's (updates go to the stand-in).
  return { conversationId, activityId: `act-${randomUUID()}`, data };
}

/** One tap on a plan card; resolves with the milliseconds from POST to the complete HTTP answer. */
export async function tap(endpoint: string, serviceUrl: string, card: CardRef, from: BenchUser, verb: string): Promise<number> {
  const body = {
    ...activity(serviceUrl, card.conversationId, from), type: 'invoke', name: 'adaptiveCard/action', replyToId: card.activityId,
    value: { action: { type: 'Action.Execute', verb, data: card.data }, trigger: verb === 'refresh' ? 'automatic' : 'manual' },
  };
  const started = performance.now();
  const answer = await post(endpoint, body);
  await answer.arrayBuffer();
  const elapsed = performance.now() - started;
  if (answer.status >= 300) throw new Error(`${verb} tap failed: HTTP ${answer.status}`);
  return elapsed;
}
