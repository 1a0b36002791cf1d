import * as AC from 'adaptivecards';
import type { CardJson } from '../../src/cards/card';

/** Teams rejects messages over ~28 KB; a card must leave room for the activity around it. */
export const TEAMS_LIMIT_BYTES = 28 * 1024;

/**
 * Teams' chart elements (Chart.Donut, Chart.VerticalBar, …), which the official library does not know: it reports
 * each and draws its fallback, which is what a host without charts does. Not an error when the fallback is there
 * (test/support/card-checks.ts chartsWithoutFallback checks that).
 */
const HOST_CHART = /^Unknown element type "Chart\.[A-Za-z.]+"\. Fallback will be used if present\.$/;

/** What the official Adaptive Cards parser reports about a card: unknown elements, bad properties, missing ids. */
export function parseErrors(card: CardJson): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message).filter((m) => !HOST_CHART.test(m));
  return [...events, ...parsed.validateProperties().validationEvents.map((e) => e.message)];
}

/** Every TextBlock's text of a card (or any JSON around cards), in document order: what a reader sees as text. */
export function textBlocksOf(node: unknown): string {
  if (Array.isArray(node)) return node.map(textBlocksOf).filter(Boolean).join('\n');
  if (!node || typeof node !== 'object') return '';
  const o = node as Record<string, unknown>;
  const own = o.type === 'TextBlock' && typeof o.text === 'string' ? [o.text] : [];
  return [...own, ...Object.values(o).map(textBlocksOf)].filter(Boolean).join('\n');
}

/** Every `text` of a card plus its facts as "title: value": the wording alert cards carry. */
export function allTextOf(node: unknown): string {
  if (Array.isArray(node)) return node.map(allTextOf).filter(Boolean).join('\n');
  if (!node || typeof node !== 'object') return '';
  const o = node as Record<string, unknown>;
  const own = typeof o.text === 'string' ? [o.text] : [];
  const facts = Array.isArray(o.facts) ? (o.facts as Array<{ title: string; value: string }>).map((f) => `${f.title}: ${f.value}`) : [];
  return [...own, ...facts, ...Object.entries(o).filter(([k]) => k !== 'facts').map(([, v]) => allTextOf(v))].filter(Boolean).join('\n');
}

/** An input of a card (Input.Text, Input.ChoiceSet, Input.Toggle) as drawn: its id, value and choices. */
export interface CardInput { type: string; id: string; value?: string; choices?: Array<{ title: string; value: string }> }

/** Every input of a card, in document order. */
export function inputsOf(node: unknown): CardInput[] {
  if (Array.isArray(node)) return node.flatMap(inputsOf);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own = typeof o.type === 'string' && o.type.startsWith('Input.') ? [o as unknown as CardInput] : [];
  return [...own, ...Object.values(o).flatMap(inputsOf)];
}
