/** Small text helpers shared by the views: cards must stay short and readable in a Teams column. */

export { formatUtc } from '../domain/time';

/**
 * Emphasis by icon, never by text colour: Teams' and the Playground's "Warning" and "Good" text fail WCAG AA
 * (yellow 1.5:1 and green 2.1:1 on white), and "Attention" falls below 4.5:1 on the dark theme. Default text on
 * any container style stays readable in every theme; the browser test measures it on the rendered page.
 */
export const TONE_ICON = { critical: '🛑', attention: '❌', warning: '⚠️', good: '✅', info: 'ℹ️', pending: '⏳' } as const;

export function truncate(text: string, max: number): string {
  // No more code units than `max` means no more characters either: most texts are cut without splitting them.
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * `truncate` for prose: cut between words (at the last space or punctuation in the last 40 % kept), so no word
 * is shown in two ("'Micr…"); a text with no such place is cut where it must be.
 */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const kept = chars.slice(0, max - 2);
  for (let i = kept.length - 1; i >= Math.floor(kept.length * 0.6); i--) {
    if (WORD_CHAR.test(kept[i] ?? '')) continue;
    const head = kept.slice(0, i + 1).join('').trimEnd();
    return `${head}${WORD_CHAR.test(head.at(-1) ?? '') ? ' ' : ''}…`;
  }
  return truncate(text, max);
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text from the service or a user, made fit for a card: lone surrogates become U+FFFD and control characters
 * are dropped (each would cost six bytes as a JSON escape and shows nothing), then cut to `max` characters.
 * Views pass every outside string through this so a card's size has a bound whatever the data.
 */
export function cardText(value: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const clean = value.replace(LONE_SURROGATE, '\ufffd').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
  return truncate(clean, max);
}
