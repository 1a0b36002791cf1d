import type { Turn } from './command';

/**
 * Where the bot can post into this conversation later (`alerts on`, `agents on`): the turn's conversation reference
 * without its activity id, so later posts are new messages in the conversation (or channel thread), not replies
 * to the message that asked. Undefined when the turn has none (a client outside Teams).
 */
export function postableReference(turn: Pick<Turn, 'conversationReference'>): Record<string, unknown> | undefined {
  if (!turn.conversationReference) return undefined;
  const { activityId: _replyTo, ...reference } = turn.conversationReference;
  return reference;
}
