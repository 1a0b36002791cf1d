/**
 * Secrets are never typed in chat. A command line that seems to carry one is refused before anything else
 * reads it, and nothing the bot writes (reply, card, log, audit) ever repeats it: every echo goes through
 * redactSecrets, which masks each suspected secret with REDACTED.
 */
import { looksRandom, SECRET_ASSIGNMENT_KINDS, SECRET_ASSIGNMENTS, SECRET_FORMAT_KINDS, SECRET_FORMATS, type SecretKind } from './secret-patterns';
import { warningReply } from '../cards/message-view';
import type { Reply } from '../cards/card';

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

/** The first words of every answer to a message that carries a secret (a test reads it to know the guard answered). */
export const SECRET_IN_CHAT = 'That looks like a secret value, so I ignored the whole message: I did not run, store, log or repeat any of it.';

/** What to do now, per kind: where it was issued and how it is revoked there. The most specific kinds come first. */
const EXPOSED: Readonly<Record<SecretKind, string>> = {
  'devops-pat': 'It reads like an Azure DevOps personal access token. Revoke it now: Azure DevOps → User settings → Personal access tokens → Revoke, then create a new one if you still need it.',
  'client-secret': 'It reads like a Microsoft Entra client secret. Delete it now: Entra admin center → App registrations → the app → Certificates & secrets; for a service connection, `rotate ‹name›` gives it a new one.',
  jwt: 'It reads like an access token (a JWT). It works until it expires (an Entra access token lives 60 to 90 minutes); if it may be misused before then, revoke the sessions of the account it was issued to (Entra admin center → Users → Revoke sessions).',
  'github-token': 'It reads like a GitHub token. Revoke it now: GitHub → Settings → Developer settings → Personal access tokens.',
  'access-key': 'It reads like an access key or a connection string holding one. Rotate that key now (Azure portal → the resource → Access keys or Shared access policies → Regenerate), then update what uses it.',
  'private-key': 'It reads like a private key. Replace the certificate or key pair it belongs to and remove the old one wherever it is trusted.',
  secret: 'If it was a real secret, treat it as exposed and rotate it where it was issued.',
};

const ALL_PATTERNS = [...SECRET_FORMAT_KINDS, ...SECRET_ASSIGNMENT_KINDS];

/** The kinds of secret in a text (the same patterns as redactSecrets; `secret` for a random-looking word alone). */
export function secretKinds(text: string): SecretKind[] {
  // `search` ignores a global pattern's lastIndex, so the shared tables keep no state between calls.
  const found = new Set(ALL_PATTERNS.filter(({ pattern }) => text.search(pattern) >= 0).map((f) => f.kind));
  if (found.size === 0 && looksLikeSecret(text)) found.add('secret');
  return (Object.keys(EXPOSED) as SecretKind[]).filter((kind) => found.has(kind));
}

/**
 * The answer to any message that carries a secret, whatever it was meant to be (a command, a greeting, a sentence):
 * the message is exposed to everyone in the chat now, so the answer says how to revoke what it held. It never
 * repeats a word of the message, so nothing of the secret reaches a card, a log or the audit.
 */
export function exposedSecretReply(tokens: readonly { value: string }[]): Reply {
  const kinds = secretKinds(tokens.map((t) => t.value).join(' '));
  const specific = kinds.filter((k) => k !== 'secret');
  const advice = (specific.length > 0 ? specific : ['secret' as const]).map((k) => EXPOSED[k]);
  return warningReply(SECRET_IN_CHAT, [
    ...advice,
    'Anyone in this chat can read your message: delete it if your Teams client lets you (… on the message → Delete).',
    // ‹…›, not <…>: a card's markdown drops `<vault>` as an unknown HTML tag.
    'Never paste secrets here: I create new secrets myself (Microsoft Graph) or read them from Key Vault (`from keyvault ‹vault›/‹secret›`).',
  ]);
}

/** The same refusal for a structured call (an agent's tool input): the schema check and the MCP call wrapper say it. */
export const SECRET_IN_INPUT = 'An argument looks like a secret value, so I ignored the whole call and kept nothing of it. '
  + 'Never send secrets to scbot: it creates new secrets itself (Microsoft Graph) or reads them from Key Vault. '
  + 'If it was a real secret, treat it as exposed and rotate it.';

/** Tokens as the tokenizer makes them (only their values are read). */
export function carriesSecret(tokens: readonly { value: string }[]): boolean {
  return tokens.some((t) => looksLikeSecret(t.value)) || looksLikeSecret(tokens.map((t) => t.value).join(' '));
}
