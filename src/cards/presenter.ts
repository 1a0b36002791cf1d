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

/**
 * Chat text for Teams' markdown: a placeholder such as `<name>` is an unknown HTML tag there, dropped as text and
 * shown as `&lt;name&gt;` inside code spans (seen in the Agents Playground), so placeholders become ‹name›, as on
 * the help card. Only `<word…>` shapes change; a lone `<` or `>` (e.g. "→", "a < b") stays.
 */
export function chatText(text: string): string {
  return text.replace(/<([^<>\s][^<>]{0,60})>/g, '‹$1›');
}

export function present(reply: Reply | CardMessage): PresentedMessage {
  if ('kind' in reply && reply.kind === 'text') return { text: chatText(reply.text) };
  const message = reply as CardMessage;
  return { text: chatText(message.text), card: renderView(message.view) };
}
