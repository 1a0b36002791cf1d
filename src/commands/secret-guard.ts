/**
 * Secrets are never typed in chat. A command line that seems to carry one is refused before anything else
 * reads it, and nothing the bot writes (reply, card, log, audit) ever repeats it: every echo goes through
 * redactSecrets, which masks each suspected secret with REDACTED.
 */
import { looksRandom, SECRET_ASSIGNMENTS, SECRET_FORMATS } from './secret-patterns';

export const REDACTED = '‹redacted›';

/** Words of a line, cut at whitespace and at the quotes, brackets and separators that surround a pasted token. */
const WORD = /[^\s"'“”‘’<>()[\]{},;&|`]+/g;

/** A format's match masked, but what the token was glued to (its `keep` group) kept as typed. */
function masked(...args: unknown[]): string {
  const groups = args.at(-1);
  const keep = typeof groups === 'object' && groups !== null ? (groups as { keep?: string }).keep : undefined;
  return `${keep ?? ''}${REDACTED}`;
}

/** The text with every suspected secret replaced by REDACTED (formats, keyword values, random-looking words). */
export function redactSecrets(text: string): string {
  let out = text;
  for (const format of SECRET_FORMATS) out = out.replace(format, masked);
  for (const assignment of SECRET_ASSIGNMENTS) {
    out = out.replace(assignment, (match, keyword: string, value: string) => (value === REDACTED ? match : `${keyword}${REDACTED}`));
  }
  return out.replace(WORD, (word) => (looksRandom(word) ? REDACTED : word));
}

export function looksLikeSecret(value: string): boolean {
  return redactSecrets(value) !== value;
}

export const SECRET_IN_CHAT = 'That looks like a secret value, so I ignored the whole command and did not store it. '
  + 'Never type secrets in chat: I create new secrets myself (Microsoft Graph) or read them from Key Vault (`from keyvault <vault>/<secret>`). '
  + 'If it was a real secret, treat it as exposed and rotate it.';

/** The same refusal for a structured call (an agent's tool input): the schema check and the MCP call wrapper say it. */
export const SECRET_IN_INPUT = 'An argument looks like a secret value, so I ignored the whole call and kept nothing of it. '
  + 'Never send secrets to scbot: it creates new secrets itself (Microsoft Graph) or reads them from Key Vault. '
  + 'If it was a real secret, treat it as exposed and rotate it.';

/** Tokens as the tokenizer makes them (only their values are read). */
export function carriesSecret(tokens: readonly { value: string }[]): boolean {
  return tokens.some((t) => looksLikeSecret(t.value)) || looksLikeSecret(tokens.map((t) => t.value).join(' '));
}
