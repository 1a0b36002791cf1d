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
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

/** Pairs of opening → closing quote characters, including the smart quotes Teams and phones insert. */
const QUOTES: Record<string, string> = { '"': '"', "'": "'", '\u201c': '\u201d', '\u201d': '\u201d', '\u2018': '\u2019', '\u2019': '\u2019', '\u201e': '\u201c' };

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (m, dec: string) => ENTITIES[`#${dec}`] ?? String.fromCodePoint(Number(dec)))
    .replace(/&([a-z]+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m);
}

/** Plain text of a Teams message: mentions, tags and entities removed, whitespace collapsed. */
export function normalizeText(text: string, options: TokenizeOptions = {}): string {
  let out = text.replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ');
  out = out.replace(/<br\s*\/?>|<\/p>|<\/div>/gi, ' ').replace(/<[^>]+>/g, '');
  out = decodeEntities(out);
  for (const mention of options.mentionTexts ?? []) {
    const plain = decodeEntities(mention.replace(/<[^>]+>/g, '')).trim();
    if (plain) out = out.split(plain).join(' ');
  }
  return out.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/** Split normalized text on spaces, keeping quoted runs ("…", '…', “…”, ‘…’) together. */
export function tokenize(text: string, options: TokenizeOptions = {}): Token[] {
  const input = normalizeText(text, options);
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
      const end = findClosingQuote(input, i + 1, ch, close);
      if (end !== -1) {
        tokens.push({ value: input.slice(i + 1, end).trim(), quoted: true });
        i = end + 1;
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

function findClosingQuote(input: string, from: number, open: string, close: string): number {
  for (let j = from; j < input.length; j += 1) {
    const c = input[j];
    // Phones mix straight and smart quotes; accept the matching closer or the same character again.
    if (c === close || c === open) return j;
  }
  return -1;
}

/** The words the user typed, for echoing a command back (never more than a line). */
export function echo(tokens: readonly Token[]): string {
  const text = tokens.map((t) => (t.quoted || t.value.includes(' ') ? `"${t.value}"` : t.value)).join(' ');
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
