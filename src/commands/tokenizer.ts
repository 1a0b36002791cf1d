import { redactSecrets } from './secret-guard';

/**
 * Turns what a user typed in Teams into tokens. Teams wraps text in HTML (`<p>`, `&nbsp;`) and puts the bot's
 * mention in the text (`<at>scbot</at>`), so both are removed before any verb is matched.
 */
export interface Token {
  value: string;
  /** Quoted tokens are never keywords: `show "in"` names a connection called "in". */
  quoted: boolean;
}

export interface TokenizeOptions {
  /** Texts of mentions addressed to the bot (from `mention` entities), removed wherever they appear. */
  mentionTexts?: readonly string[];
  /**
   * A command a card button carries, written by the bot (src/domain/command-line.ts): read exactly as written. No
   * tag, entity or whitespace clean-up (`sc&#45;prod` stays that name) and quoted names are not trimmed.
   */
  verbatim?: boolean;
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

/** Pairs of opening → closing quote characters, including the smart quotes Teams and phones insert. */
const QUOTES: Record<string, string> = { '"': '"', "'": "'", '\u201c': '\u201d', '\u201d': '\u201d', '\u2018': '\u2019', '\u2019': '\u2019', '\u201e': '\u201c' };

/** A numeric entity's character; out-of-range numbers (`&#99999999999;`) become U+FFFD, as browsers do, instead of throwing. */
function codePoint(value: number): string {
  return Number.isInteger(value) && value >= 0 && value <= 0x10ffff ? String.fromCodePoint(value) : '\ufffd';
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => codePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (m, dec: string) => ENTITIES[`#${dec}`] ?? codePoint(Number(dec)))
    .replace(/&([a-z]+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m);
}

/**
 * Characters of a message that are read at all. Teams caps a message near 28 KB, and no command is longer than
 * a line: the cap keeps a pasted megabyte from costing more than a normal message.
 */
export const MAX_INPUT_CHARS = 20_000;

/**
 * Tags and mentions. Neither pattern may scan past a "<" it did not start at (`[^<>]`, and a mention stops at the
 * next `<at`): with `[^>]` and no closing bracket, every "<" rescanned the rest, so "<" × 100,000 took 10 s.
 */
const MENTION = /<at\b[^<>]*>(?:(?!<at\b)[\s\S])*?<\/at>/gi;
const TAG = /<[^<>]+>/g;

/** Plain text of a Teams message: mentions, tags and entities removed, whitespace collapsed. */
export function normalizeText(text: string, options: TokenizeOptions = {}): string {
  let out = text.slice(0, MAX_INPUT_CHARS).replace(MENTION, ' ');
  out = out.replace(/<br\s*\/?>|<\/p>|<\/div>/gi, ' ').replace(TAG, '');
  out = decodeEntities(out);
  for (const mention of options.mentionTexts ?? []) {
    const plain = decodeEntities(mention.slice(0, MAX_INPUT_CHARS).replace(TAG, '')).trim();
    if (plain) out = out.split(plain).join(' ');
  }
  return out.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/**
 * Split normalized text on spaces, keeping quoted runs ("…", '…', “…”, ‘…’) together. Inside a straight-quoted
 * run `""` is one `"`, so every name can be written (the bot's own command lines quote that way).
 */
export function tokenize(text: string, options: TokenizeOptions = {}): Token[] {
  const input = options.verbatim ? text.slice(0, MAX_INPUT_CHARS) : normalizeText(text, options);
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (ch === ' ') {
      i += 1;
      continue;
    }
    const close = QUOTES[ch];
    if (close !== undefined) {
      const run = quotedRun(input, i + 1, ch, close);
      if (run !== undefined) {
        tokens.push({ value: options.verbatim ? run.value : run.value.trim(), quoted: true });
        i = run.end + 1;
        continue;
      }
    }
    const next = input.indexOf(' ', i);
    const end = next === -1 ? input.length : next;
    tokens.push({ value: input.slice(i, end), quoted: false });
    i = end;
  }
  return tokens;
}

/** The text of a quoted run opened before `from`, and where it closes; undefined when it never closes. */
function quotedRun(input: string, from: number, open: string, close: string): { value: string; end: number } | undefined {
  let value = '';
  for (let j = from; j < input.length; j += 1) {
    const c = input[j] as string;
    if (open === '"' && c === '"' && input[j + 1] === '"') {
      value += '"';
      j += 1;
      continue;
    }
    // Phones mix straight and smart quotes; accept the matching closer or the same character again.
    if (c === close || c === open) return { value, end: j };
    value += c;
  }
  return undefined;
}

/**
 * The words the user typed, for echoing a command back (never more than a line). A secret typed by mistake is
 * masked before anything else sees the line: errorText echoes it, replyForError logs it, refusals audit it.
 * Masked before cutting, so a cut can never leave half a token unrecognised.
 */
export function echo(tokens: readonly Token[]): string {
  const text = redactSecrets(tokens.map((t) => (t.quoted || t.value.includes(' ') ? `"${t.value}"` : t.value)).join(' '));
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
