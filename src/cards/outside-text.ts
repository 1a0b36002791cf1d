/**
 * Text the bot did not write — connection, project, pipeline and app names, descriptions, failure messages, what a
 * user typed — shown literally. Anyone with Endpoint Creator names a connection, so a name must not become a link
 * (`[Approve](https://evil.example)`), emphasis (`**URGENT**`), a list or an entity (`sc&#45;prod` shown as
 * `sc-prod`), and characters that hide or look like others (bidi overrides, zero-width, `‐` for `-`, Cyrillic `с`
 * for `c`) are shown as what they are: ⟨U+202E⟩. Every view passes outside text through here, and only here.
 *
 * Markdown: Adaptive Cards' TextBlock and Fact values render a CommonMark subset (bold, italic, lists, links;
 * msteams-docs cards-format.md). CommonMark's backslash escapes neutralise it; renderers built on the older shared
 * parser ignore `\[` but need `](` adjacent for a link, so `(` after `]` is escaped too and a link can form in
 * neither. [infer] Teams desktop and mobile honour the escapes as the Agents Playground does (the browser test
 * checks the Playground: no <a>, <strong> or <em> from a hostile name).
 */
import { cutAtWord, truncate } from './format';

/** A character shown by its code point: it is invisible, reorders text, or passes for another one. */
const shown = (ch: string): string => `⟨U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Line breaks and tabs: one space (a newline would start a markdown list or paragraph). */
const LAYOUT = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
/**
 * Invisible, reordering or passing for ASCII: controls, format characters (bidi embeddings, overrides and
 * isolates, zero-width space and joiners, word joiner, soft hyphen, BOM, tag characters), every space but the
 * ASCII one, blank fillers (combining grapheme joiner, Hangul fillers, braille blank, variation selectors but the
 * emoji one), full-width forms and mathematical letters and digits.
 */
// eslint-disable-next-line no-misleading-character-class -- the joiner and variation selectors are matched alone, on purpose
const HIDDEN = /[\p{Cc}\p{Cf}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0\ufe00-\ufe0e\uff01-\uff5e\u{1d400}-\u{1d7ff}]/gu;
/** Dashes and hyphens that pass for `-`: shown when they join two characters (`sc‐prod`), not as prose dashes. */
const DASHES = /(?<=\S)[\u2010-\u2015\u2212\u2043\u02d7\u058a\u05be\u1400\u1806\u2e1a\ufe58\ufe63\uff0d](?=\S)/gu;
/** A word, and the scripts whose letters pass for Latin ones (`ѕс-prod` is Cyrillic ѕ and с, then Latin). */
const WORD = /[\p{L}\p{M}\p{N}_-]+/gu;
const LATIN = /\p{Script=Latin}/u;
const LOOKALIKE_SCRIPT = '\\p{Script=Cyrillic}\\p{Script=Greek}\\p{Script=Armenian}\\p{Script=Cherokee}\\p{Script=Coptic}';
const HAS_LOOKALIKE = new RegExp(`[${LOOKALIKE_SCRIPT}]`, 'u');
const LOOKALIKE_LETTER = new RegExp(`[${LOOKALIKE_SCRIPT}]`, 'gu');

/** Letters of a look-alike script inside a word that also has Latin letters; a word in one script stays as it is. */
function markMixedScripts(text: string): string {
  return text.replace(WORD, (word) => (LATIN.test(word) && HAS_LOOKALIKE.test(word) ? word.replace(LOOKALIKE_LETTER, shown) : word));
}

/**
 * Outside text for a plain-text place (a button title, a notification, the card's fallback): every hidden or
 * look-alike character made visible, cut to `max` characters (lone surrogates become U+FFFD).
 */
export function visibleText(value: string, max: number, cut: (text: string, max: number) => string = truncate): string {
  // Every character shows as at least one: beyond a few times `max` nothing can be shown (a 6,000-character
  // description costs what its first few hundred do). Printable ASCII has nothing to show: only the cut.
  const head = value.slice(0, max * 4 + 16);
  if (PRINTABLE_ASCII.test(head)) return cut(head, max);
  const spaced = head.replace(LONE_SURROGATE, '\ufffd').replace(LAYOUT, ' ');
  return cut(markMixedScripts(spaced.replace(DASHES, shown)).replace(HIDDEN, shown), max);
}

/**
 * CommonMark's escapable punctuation that can start markup in a TextBlock, anywhere in the text; `_` only at a word
 * edge (inside a word, as in `sc_prod_eu`, it is never emphasis, so such names stay unescaped).
 */
const MARKUP = /[\\`*[\]<>&~]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/** At the start: a list item, heading or quote marker, or an ordered-list number (`1.`, `1)`). */
const LEADING = /^( *)([-+#]|\d+(?=[.)]))/;

/** Markdown that shows `text` literally: the escapes above, `(` after `]`, and a leading block marker. */
export function escapeMarkdown(text: string): string {
  const escaped = text.replace(MARKUP, '\\$&').replace(/\]\(/g, ']\\(');
  return escaped.replace(LEADING, (_, space: string, marker: string) => (/^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`));
}

/** Outside text for a markdown place (TextBlock text, FactSet values): visible, cut to `max`, then escaped. */
export function outsideText(value: string, max: number): string {
  return escapeMarkdown(visibleText(value, max, cutAtWord));
}

/**
 * Outside text (or a command line holding some) where the bot shows a command or name in a code span: the span
 * when the text has nothing markdown could read (a code span is literal in CommonMark, but clients without code
 * spans read its inside as markdown), else the escaped text in quotes.
 */
export function inlineCode(value: string, max: number): string {
  const visible = visibleText(value, max);
  const escaped = escapeMarkdown(visible);
  return visible.trim() !== '' && escaped === visible && !visible.includes('`') ? `\`${visible}\`` : `"${escaped}"`;
}

/**
 * Text the bot composed around outside values (a plan warning, an outcome, a skip reason) whose only markup is its
 * own code spans: shown literally, the spans kept through inlineCode. A backtick inside a name can only unbalance
 * the spans, and every part is escaped or quoted either way.
 */
export function outsideProse(value: string, max: number): string {
  // Prose is cut between words, never inside one.
  const parts = visibleText(value, max, cutAtWord).split('`');
  if (parts.length % 2 === 0) return escapeMarkdown(parts.join('`'));
  return parts.map((part, i) => (i % 2 === 0 ? escapeMarkdown(part) : part === '' ? '\\`\\`' : inlineCode(part, max))).join('');
}
