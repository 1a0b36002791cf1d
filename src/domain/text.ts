/** Cutting prose for a card: a reader sees "…" after a whole word, never "'Micr…" (a word cut in two reads as a typo). */

/** Spaces before this share of `max` are too early to cut at: a long word (a URL, an id) is cut inside instead. */
const EARLIEST_CUT = 0.6;

/** `text` in at most `max` characters, cut after the last whole word that fits (with "…"); unchanged when it fits. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, Math.max(0, max - 1));
  const space = head.search(/\s\S*$/);
  const whole = space >= max * EARLIEST_CUT ? head.slice(0, space) : head;
  return `${whole.replace(/[\s,;:(—–-]+$/u, '')}…`;
}
