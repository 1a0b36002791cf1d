/**
 * What a reply may repeat of the user's own words. A name is echoed so the user sees what was looked up, but a
 * pasted wall of text must not come back as a wall, and a secret typed by mistake must not come back at all
 * (replies are shown to the whole channel and may be logged by Teams clients).
 */
import { escapeMarkdown, inlineCode, visibleText } from '../cards/outside-text';
import { looksLikeSecret } from './secret-guard';

/** Characters of one user-supplied argument a reply repeats. */
export const ECHO_ARG_MAX = 80;
export const HIDDEN_ARG = '[hidden: looks like a secret]';

/** Quote characters a user may have left open (an unclosed quote is plain text to the tokenizer). */
const STRAY_QUOTES = /^["'\u201c\u201d\u2018\u2019\u201e]+|["'\u201c\u201d\u2018\u2019\u201e]+$/g;

/** The user's argument as plain text (a view escapes it where it is drawn): stray quotes dropped, a secret hidden. */
export function echoPlain(value: string, max = ECHO_ARG_MAX): string {
  const unquoted = value.replace(STRAY_QUOTES, '');
  // Any suspected secret hides the whole argument: the rest of it may be the secret's other half.
  return looksLikeSecret(unquoted) ? HIDDEN_ARG : visibleText(unquoted, max);
}

/**
 * The user's argument for a reply's markdown, inside quotes of the reply's own: shown literally (what a user types
 * is outside text too), a stray quote the user typed dropped, not doubled (`""name"`).
 */
export function echoArg(value: string, max = ECHO_ARG_MAX): string {
  const plain = echoPlain(value, max);
  return plain === HIDDEN_ARG ? plain : escapeMarkdown(plain);
}

/** The user's argument where a reply shows it as code: a code span when that is literal everywhere, else quoted. */
export function echoCode(value: string, max = ECHO_ARG_MAX): string {
  const plain = echoPlain(value, max);
  return plain === HIDDEN_ARG ? plain : inlineCode(plain, max);
}
