import type { CardMessage } from '../cards/card';
import type { CardLocation } from '../domain/approval';

/** A conversation the bot can post into later: its id, and the Bot Framework conversation reference kept as plain JSON. */
export interface ConversationAddress {
  conversationId: string;
  reference: Record<string, unknown>;
}

/**
 * Chat outside a turn, for background work (alerts, execution progress): post a new message into a conversation,
 * or replace a card the bot posted earlier. Messages are values; the implementation renders them (Teams: proactive
 * turns through the Bot Connector, bot/notifier.ts). A refused or failed call rejects, so callers can retry.
 */
export interface Notifier {
  post(to: ConversationAddress, message: CardMessage): Promise<void>;
  update(card: CardLocation, message: CardMessage): Promise<void>;
}
