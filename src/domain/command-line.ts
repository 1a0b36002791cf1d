/**
 * The chat command language as the bot WRITES it: buttons, "did you mean" suggestions and "plan again" resend a
 * command line, so a name must come back from the tokenizer exactly as it went in. Names come from Azure DevOps
 * (anyone with Endpoint Creator picks them), so `sc-prod"`, `all` or `failed` must stay one quoted name, never a
 * shorter name or a keyword (the tokenizer reads `""` inside a quoted run as one `"`).
 */

/**
 * Every word a command's arguments treat specially (each literal word of every usage line, and the aliases the
 * parsers accept). A name spelled like one is always quoted; test/unit/command-line.test.ts checks the usages.
 */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'in', 'all', 'failed', 'disabled', 'everywhere', 'deep', 'issuer', 'to', 'for', 'with', 'from', 'keyvault', 'key-vault',
  'kv', 'expires', 'subscription', 'resource-group', 'app', 'identity', 'new', 'role', 'on', 'off', 'status', 'scan',
  'plan', 'last', 'type', 'page', 'command',
]);

/** A word the tokenizer keeps as it is and no parser reads as anything but a name. */
const PLAIN_WORD = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Quote an argument for a command line the bot writes: anything but a plain, non-keyword word is quoted exactly. */
export function quoteArg(value: string): string {
  return PLAIN_WORD.test(value) && !KEYWORDS.has(value.toLowerCase()) ? value : `"${value.replace(/"/g, '""')}"`;
}

/** ` in <project>` as a command line says it (quoted when it must be), or nothing: bulk commands and their buttons. */
export function inProject(project: string | undefined): string {
  return project === undefined || project === '' ? '' : ` in ${quoteArg(project)}`;
}

/** Azure DevOps connection and project ids are GUIDs; a button carries no other id. */
export { isGuid } from './guid';

/** The connection a button acts on: its id (never reused) and, when known, the project it was drawn in. */
export interface ConnectionPin {
  connectionId: string;
  projectId?: string;
}

/** A button that runs a command, as the use cases describe it; `target` pins it to one connection. */
export interface CommandButton {
  title: string;
  command: string;
  target?: ConnectionPin;
}
