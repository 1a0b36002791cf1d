import * as AC from 'adaptivecards';
import type { CardJson } from '../../src/cards/card';

/** Teams rejects messages over ~28 KB; a card must leave room for the activity around it. */
export const TEAMS_LIMIT_BYTES = 28 * 1024;

/** What the official Adaptive Cards parser reports about a card: unknown elements, bad properties, missing ids. */
export function parseErrors(card: CardJson): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  return [...events, ...parsed.validateProperties().validationEvents.map((e) => e.message)];
}
