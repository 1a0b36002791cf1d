import type { Activity } from 'botbuilder';
import { CardFactory, MessageFactory } from 'botbuilder';
import type { CardMessage, Reply } from '../src/cards/card';
import { present } from '../src/cards/presenter';

/** A Reply as a Bot Framework message: the card as an Adaptive Card attachment, the summary as text. */
export function toActivity(reply: Reply | CardMessage): Partial<Activity> {
  const { text, card } = present(reply);
  if (!card) return MessageFactory.text(text);
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  // The text is what notifications and card-less clients show; Teams shows it above the card.
  activity.text = text;
  return activity;
}

/** What a user sees when a turn fails outside any command: short, with a reference id, no details. */
export function apologyActivity(referenceId: string): Partial<Activity> {
  return MessageFactory.text(`Sorry, something went wrong on my side. Please try again. Reference: ${referenceId}`);
}
