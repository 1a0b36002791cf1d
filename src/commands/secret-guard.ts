/**
 * Secrets are never typed in chat. A command line that seems to carry one is refused before anything else
 * reads it, and the refusal never repeats it.
 */
/** Entra client secrets: 3 characters, a version digit, "Q~", then 31+ characters (e.g. "abc8Q~…"). */
const ENTRA_SECRET = /[A-Za-z0-9_.~-]{3}\dQ~[A-Za-z0-9_.~-]{20,}/;
const ASSIGNMENT = /\b(secret|password|passwd|pwd|key|token|clientsecret|client_secret|serviceprincipalkey)\s*[:=]\s*\S+/i;
const PEM = /-----BEGIN [A-Z ]+-----/;

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * Long, random-looking tokens with mixed case and digits (base64 / generated passwords). Connection names
 * are words joined by dashes, so they have far lower entropy and rarely mix case inside long runs.
 */
function looksRandom(value: string): boolean {
  if (value.length < 24 || /\s/.test(value)) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((re) => re.test(value)).length;
  return classes === 3 && entropy(value) >= 4.2;
}

export function looksLikeSecret(value: string): boolean {
  return ENTRA_SECRET.test(value) || ASSIGNMENT.test(value) || PEM.test(value) || looksRandom(value);
}

export const SECRET_IN_CHAT = 'That looks like a secret value, so I ignored the whole command and did not store it. '
  + 'Never type secrets in chat: I create new secrets myself (Microsoft Graph) or read them from Key Vault (`from keyvault <vault>/<secret>`). '
  + 'If it was a real secret, treat it as exposed and rotate it.';

/** Tokens as the tokenizer makes them (only their values are read). */
export function carriesSecret(tokens: readonly { value: string }[]): boolean {
  return tokens.some((t) => looksLikeSecret(t.value)) || looksLikeSecret(tokens.map((t) => t.value).join(' '));
}
