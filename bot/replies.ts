import type { Activity } from 'botbuilder';
import { CardFactory, MessageFactory } from 'botbuilder';
import type { CardMessage, Reply } from '../src/cards/card';
import { present } from '../src/cards/presenter';

/**
 * A Reply as ONE Bot Framework message. A card goes alone: Teams shows an activity's text and its attachment as
 * two messages ("Activity resulted into multiple skype activities" on update), and splitting them also counts
 * twice against the per-thread rate limit (msteams-docs bots/how-to/rate-limit.md). The summary goes where
 * notifications and card-less clients look instead: the activity's `summary` and the card's `fallbackText`;
 * the chat list and toasts show the card's first TextBlock, which every template makes the answer's title.
 */
export function toActivity(reply: Reply | CardMessage): Partial<Activity> {
  const { text, card } = present(reply);
  if (!card) return MessageFactory.text(text);
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard({ ...card, fallbackText: text }));
  activity.summary = text;
  return activity;
}

/** What a user sees when a turn fails outside any command: short, with a reference id, no details. */
export function apologyActivity(referenceId: string): Partial<Activity> {
  return MessageFactory.text(`Sorry, something went wrong on my side. Please try again. Reference: ${referenceId}`);
}
