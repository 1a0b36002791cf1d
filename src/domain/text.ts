/**
 * Cutting prose for a card: a reader sees "…" after a whole word, never "'Micr…" (a word cut in two reads as a typo).
 * The one cutter for prose (src/cards/format.ts re-exports it for the views).
 */

/** Places before this share of `max` are too early to cut at: a long word (a URL, an id) is cut inside instead. */
const EARLIEST_CUT = 0.6;
const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Separators a cut must not leave dangling before the "…". */
const DANGLING = /[\s,;:(—–\-'"“‘]+$/u;

/**
 * `text` in at most `max` characters (code points), unchanged when it fits; else cut after the last whole word that
 * fits, a dangling separator dropped, and " …" — the space says the word before it is whole, which is also how the
 * card checks tell a clean cut from a word cut in two. A text with no place late enough is cut inside, with "…".
 */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const kept = chars.slice(0, max - 2);
  for (let i = kept.length - 1; i >= Math.floor(kept.length * EARLIEST_CUT); i--) {
    if (WORD_CHAR.test(kept[i] ?? '')) continue;
    const head = kept.slice(0, i + 1).join('').replace(DANGLING, '');
    if (head === '') break;
    return `${head}${WORD_CHAR.test(head.at(-1) ?? '') ? ' ' : ''}…`;
  }
  return `${chars.slice(0, max - 1).join('')}…`;
}
