/**
 * The shapes of secrets people really paste into chat, as data: each pattern is global so the same table both
 * detects and masks. Kept apart from the guard so the table reads as a list of formats.
 */
import { isGuid } from '../domain/guid';

/**
 * What a pasted secret is, for the advice on what to do now that it is exposed (secret-guard.ts): `access-key` is a
 * storage, Service Bus or Event Hubs key or a connection string holding one; `secret` anything else (a password, a
 * hex API key, a long random word).
 */
export type SecretKind = 'private-key' | 'jwt' | 'github-token' | 'devops-pat' | 'access-key' | 'client-secret' | 'secret';

export interface SecretFormat {
  kind: SecretKind;
  /** Global, so the same table both detects and masks. */
  pattern: RegExp;
}

/**
 * Formats where the whole match is the secret, except a named group `keep` (what a token is glued to, shown as
 * typed). Boundaries are look-arounds, so a token glued to a dash is caught. Every pattern costs time linear in the
 * text, whatever it holds: anyone who can reach the bot can send 20,000 characters of the worst case, and the guard
 * reads every line. A run of characters is tried from one place only (a word start, or a fixed-length prefix), never
 * from each of its characters: "eyJeyJeyJ…" tried at every "eyJ" cost seconds per message.
 * (test/unit/secret-guard-cost.test.ts times each on 100 KB adversarial inputs against a plain message.)
 */
export const SECRET_FORMAT_KINDS: readonly SecretFormat[] = [
  // PEM blocks; to the end of the text when the END line was cut off by the paste.
  { kind: 'private-key', pattern: /-----BEGIN [A-Z0-9 ]{0,40}-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}-----|$)/g },
  // JWTs: header and payload are base64url JSON, so both start with "eyJ" (`{"`). Tried once per word: the look-ahead
  // finds the word's first "eyJ" and cannot be backtracked into (a later "eyJ" of the same word could only match less).
  { kind: 'jwt', pattern: /(?<![\w-])(?=(?<keep>[\w-]*?)eyJ)\k<keep>eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*/g },
  // GitHub tokens: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained.
  { kind: 'github-token', pattern: /gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}/g },
  // Azure DevOps PATs: the 84-character format carries the "AZDO" signature; the legacy one is 52 base32 characters.
  { kind: 'devops-pat', pattern: /(?<![A-Za-z0-9])[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}(?![A-Za-z0-9])/g },
  { kind: 'devops-pat', pattern: /(?<![A-Za-z0-9])[a-z2-7]{52}(?![A-Za-z0-9])/g },
  // Storage account keys: 64 bytes of base64.
  { kind: 'access-key', pattern: /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==/g },
  // Entra client secrets: 3 characters, a version digit, "Q~", then the rest.
  { kind: 'client-secret', pattern: /[\w.~-]{3}\dQ~[\w.~-]{20,}/g },
  // Hex tokens (40+ characters: GitHub's old tokens, API keys). A GUID's dashes keep it out.
  { kind: 'secret', pattern: /(?<![0-9A-Fa-f])[0-9A-Fa-f]{40,}(?![0-9A-Fa-f])/g },
];

export const SECRET_FORMATS: readonly RegExp[] = SECRET_FORMAT_KINDS.map((f) => f.pattern);

/**
 * Keyword, then value: only the value (group 2) is the secret, so "AccountName=x;AccountKey=…" keeps its name.
 * The `=`/`:` form covers connection strings and SAS query strings; the spaced form ("password hunter2") only
 * words that are never a command keyword, and not inside a path ("kv/secret expires 7d" is a key vault name).
 */
export const SECRET_ASSIGNMENT_KINDS: readonly SecretFormat[] = [
  { kind: 'access-key', pattern: /(\b(?:AccountKey|SharedAccessKey|SharedAccessSignature|sig)\s*[:=]\s*)([^\s;&"']+)/gi },
  { kind: 'secret', pattern: /(\b(?:secret|password|passwd|pwd|key|token|apikey|api_key|client_?secret|serviceprincipalkey|accesstoken)\s*[:=]\s*)([^\s;&"']+)/gi },
  { kind: 'secret', pattern: /((?:^|[\s"'“‘>_-])(?:password|passwd|pwd|passphrase|secret|token)\s+)(?!(?:in|from|expires|keyvault|everywhere|deep)(?:\s|$))([^\s"'”’<]+)/gi },
];

export const SECRET_ASSIGNMENTS: readonly RegExp[] = SECRET_ASSIGNMENT_KINDS.map((f) => f.pattern);

/** Separators inside names ("sc-prod-westeurope"): names are short words joined by them, tokens are long runs. */
const SEPARATORS = /[-_.]/;

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * A run of 24+ characters that reads as generated: several character classes and either very high entropy, or
 * high entropy with few vowels. Camel-case names ("ContosoPaymentsProductionWestEurope01") reach 4.0–4.3 bits
 * but are about 40% vowels (y counted); random base62 is about 23%, and above the length-dependent threshold in any case.
 */
function randomRun(run: string): boolean {
  if (run.length < 24) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[+/=!#$%^*~]/].filter((re) => re.test(run)).length;
  if (classes < 2) return false;
  const letters = run.match(/[a-z]/gi)?.length ?? 0;
  const vowels = run.match(/[aeiouy]/gi)?.length ?? 0;
  const bits = entropy(run);
  return bits >= (run.length >= 32 ? 4.2 : 4.35) || (bits >= 3.7 && vowels < letters * 0.3);
}

/**
 * Long, random-looking words (generated passwords, base64, tokens of formats not listed above). A word with
 * separators is judged by its runs, so "sc-prod-westeurope-aks-01" is five short words; GUIDs are ids, never
 * secrets; a random word of 34+ characters with "~" is an older Entra client secret (glued to a name or not).
 */
export function looksRandom(word: string): boolean {
  if (word.length < 24 || isGuid(word)) return false;
  // Generated secrets are printable ASCII: a word is judged by its ASCII runs, so a name in another script
  // ("Payments決済基盤チーム…", all distinct characters, hence high entropy) is not taken for one, while a token
  // glued to such characters still is.
  return word.split(NOT_TOKEN_CHARS).some(asciiLooksRandom);
}

/** Anything but printable ASCII: no token format above uses it. */
const NOT_TOKEN_CHARS = /[^\x21-\x7e]+/;

function asciiLooksRandom(word: string): boolean {
  if (word.length < 24 || isGuid(word)) return false;
  if (word.includes('~') && word.length >= 34 && entropy(word) >= 4) return true;
  const runs = word.split(SEPARATORS);
  return (runs.length <= 2 && randomRun(word)) || runs.some(randomRun);
}
