/**
 * Answers to an Adaptive Card Universal Actions invoke (`adaptiveCard/action`), per the contract Teams documents
 * (msteams-docs Universal-Actions-for-Adaptive-Cards/Work-with-Universal-Actions-for-Adaptive-Cards.md; the
 * table in ../shared/reference §5.3): 200 + a card replaces the tapped card, 200 + a message leaves the card as it
 * is and shows a short text, 400 is a request no retry can fix, 412 says the card's state is gone.
 */
import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { CardJson } from '../src/cards/card';
import { isGuid, type ConnectionPin } from '../src/domain/command-line';

export function replaceCard(card: CardJson): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

/** The card stays; the client shows `text` next to it (a command button whose answer is a new message). */
export function showMessage(text: string): AdaptiveCardInvokeResponse {
  // botbuilder types `value` as an object, but for this type the contract's value is the message string.
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text as unknown as Record<string, unknown> };
}

export function badRequest(message: string): AdaptiveCardInvokeResponse {
  return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } };
}

/** The card refers to state that no longer exists (no replacement card can help): Teams keeps the card and says why. */
export function preconditionFailed(message: string): AdaptiveCardInvokeResponse {
  return { statusCode: 412, type: 'application/vnd.microsoft.error.preconditionFailed', value: { code: 'PreconditionFailed', message } };
}

/** Longest command a button may carry (views cut theirs at 300 characters; a pinned one carries a whole name). */
const COMMAND_MAX = 1_200;

/**
 * The command a `command` button carries, and the connection it is pinned to, or nothing: card data comes from a
 * client and may be anything. A pin that is not a GUID (or a project id without a connection id) is data the
 * bot never wrote.
 */
export function buttonCommand(data: unknown): { command: string; pin?: ConnectionPin } | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { command, connectionId, projectId } = data as { command?: unknown; connectionId?: unknown; projectId?: unknown };
  if (typeof command !== 'string' || command.trim() === '' || command.length > COMMAND_MAX) return undefined;
  if (connectionId === undefined && projectId === undefined) return { command };
  if (typeof connectionId !== 'string' || !isGuid(connectionId)) return undefined;
  if (projectId !== undefined && (typeof projectId !== 'string' || !isGuid(projectId))) return undefined;
  return { command, pin: { connectionId, ...(projectId !== undefined ? { projectId } : {}) } };
}
