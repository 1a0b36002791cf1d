/**
 * The presentation boundary: values in (Reply, CardMessage, CardView), Adaptive Card JSON and text out. The bot
 * layer calls this and nothing under src/ renders cards, so wording and layout change in src/cards and cards/ only.
 */
import type { CardJson, CardMessage, CardView, Reply } from './card';
import { renderCard } from './render';

/** One card, expanded from its template. */
export function renderView(view: CardView): CardJson {
  return renderCard(view.template, view.model);
}

/** A reply as what a chat message carries: always a summary text, and a card when there is one. */
export interface PresentedMessage {
  text: string;
  card?: CardJson;
}

export function present(reply: Reply | CardMessage): PresentedMessage {
  if ('kind' in reply && reply.kind === 'text') return { text: reply.text };
  const message = reply as CardMessage;
  return { text: message.text, card: renderView(message.view) };
}
