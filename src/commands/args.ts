import type { Result } from '../domain/errors';
import { err, ok } from '../domain/errors';
import type { UsageError } from './command';
import type { Token } from './tokenizer';

/** Options written as `<keyword> <value>` anywhere after the verb: `in <project>`, `type <t>`, `page <n>`. */
export interface ParsedOptions {
  options: Map<string, string>;
  /** Tokens that are not options, in order. */
  rest: Token[];
}

const isKeyword = (token: Token, keywords: readonly string[]): boolean => !token.quoted && keywords.includes(token.value.toLowerCase());

export function parseOptions(tokens: readonly Token[], keywords: readonly string[]): Result<ParsedOptions, UsageError> {
  const options = new Map<string, string>();
  const rest: Token[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as Token;
    if (!isKeyword(token, keywords)) {
      rest.push(token);
      continue;
    }
    const key = token.value.toLowerCase();
    const value = tokens[i + 1];
    if (value === undefined || value.value === '') return err({ message: `\`${key}\` needs a value.` });
    if (options.has(key)) return err({ message: `\`${key}\` is given twice.` });
    options.set(key, value.value);
    i += 1;
  }
  return ok({ options, rest });
}

/**
 * The words as one name: a single quoted token exactly as quoted (a button's command names a connection that way,
 * spaces included), else the words joined and trimmed (`show my connection` means "my connection").
 */
export function nameOf(tokens: readonly Token[]): string {
  const [only] = tokens;
  return tokens.length === 1 && only?.quoted ? only.value : tokens.map((t) => t.value).join(' ').trim();
}

/**
 * `<name> [in <project>]`, the arguments of the commands about one connection. Unquoted names with spaces are
 * forgiven: `show my connection` means "my connection". `missing` is the answer when no name is given.
 */
export function parseConnectionName(tokens: readonly Token[], missing: string): Result<{ name: string; project: string | undefined }, UsageError> {
  const parsed = parseOptions(tokens, ['in']);
  if (!parsed.ok) return parsed;
  const name = nameOf(parsed.value.rest);
  if (name === '') return err({ message: missing });
  return ok({ name, project: parsed.value.options.get('in') });
}

export function parsePage(raw: string | undefined): Result<number, UsageError> {
  if (raw === undefined) return ok(1);
  return /^[1-9]\d{0,4}$/.test(raw) ? ok(Number(raw)) : err({ message: '`page` needs a number, e.g. `page 2`.' });
}

/**
 * True when the words are exactly one bare keyword, e.g. `failed` in `delete failed` or `all` in `convert all`:
 * a quoted "failed" names a connection called failed instead.
 */
export function isBareKeyword(words: readonly Token[], keyword: string): boolean {
  const [only] = words;
  return words.length === 1 && only !== undefined && !only.quoted && only.value.toLowerCase() === keyword;
}
