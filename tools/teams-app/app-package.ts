import { zipSync } from 'fflate';

/**
 * Builds the Teams app package: the manifest template with the bot id and the command lists filled in, zipped
 * with the two icons at the root (the layout Teams admin center and sideloading expect).
 */
export type JsonObject = { [key: string]: unknown };

export interface ListedCommand {
  id: string;
  summary: string;
}

export interface ManifestInputs {
  /** The bot's Entra app (client) id, or its user-assigned managed identity's client id. */
  appId: string;
  /** The Teams app id; default the bot id. The Agents Toolkit registers one of its own (TEAMS_APP_ID). */
  teamsAppId?: string;
  /** Semantic version of the package (package.json's). */
  version: string;
  /** Commands to suggest in the Teams compose box, in registry order. */
  commands: readonly ListedCommand[];
  /** Extra hosts the app may open (e.g. the bot's public host); empty is fine for a bot-only app. */
  validDomains?: readonly string[];
}

export interface AppIcons {
  color: Uint8Array;
  outline: Uint8Array;
}

export const BOT_SCOPES = ['personal', 'team', 'groupChat'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOSTNAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
// Schema limits (v1.24): a command title ≤ 32 characters, a description ≤ 128, at most 12 commands per list.
const MAX_DESCRIPTION = 128;
export const MAX_LISTED_COMMANDS = 12;

export const isGuid = (value: string): boolean => GUID.test(value);
export const isHostname = (value: string): boolean => HOSTNAME.test(value);

/** Chat markdown (backticks) means nothing in the compose-box hint; long summaries are cut at the schema limit. */
export function commandDescription(summary: string): string {
  const plain = summary.replace(/`/g, '').replace(/\s+/g, ' ').trim();
  return plain.length <= MAX_DESCRIPTION ? plain : `${plain.slice(0, MAX_DESCRIPTION - 1).trimEnd()}…`;
}

function commandLists(commands: readonly ListedCommand[]): JsonObject[] {
  if (commands.length > MAX_LISTED_COMMANDS) {
    throw new Error(`A Teams command list holds at most ${MAX_LISTED_COMMANDS} commands per scope; the registry has ${commands.length}`);
  }
  const entries = commands.map((c) => ({ title: c.id, description: commandDescription(c.summary) }));
  // One list per scope: the same verbs work in a personal chat, a channel and a group chat.
  return BOT_SCOPES.map((scope) => ({ scopes: [scope], commands: entries }));
}

/** Fills the template: `${MicrosoftAppId}` and `${version}` placeholders, validDomains, the bot's command lists. */
export function buildManifest(template: JsonObject, inputs: ManifestInputs): JsonObject {
  if (!isGuid(inputs.appId)) throw new Error('MicrosoftAppId must be a GUID (the bot\'s Entra app / managed identity client id)');
  if (inputs.teamsAppId !== undefined && !isGuid(inputs.teamsAppId)) throw new Error('TEAMS_APP_ID must be a GUID (the app id the Agents Toolkit registered)');
  const bad = (inputs.validDomains ?? []).find((d) => !isHostname(d));
  if (bad !== undefined) throw new Error(`"${bad}" is not a host name (validDomains take a host, no scheme or path)`);
  const text = JSON.stringify(template)
    .replaceAll('${MicrosoftAppId}', inputs.appId.toLowerCase())
    .replaceAll('${version}', inputs.version);
  const manifest = JSON.parse(text) as JsonObject;
  if (inputs.teamsAppId) manifest.id = inputs.teamsAppId.toLowerCase();
  const bots = manifest.bots as JsonObject[] | undefined;
  if (!bots?.[0]) throw new Error('The manifest template has no bot');
  bots[0].commandLists = commandLists(inputs.commands);
  manifest.validDomains = [...(inputs.validDomains ?? [])];
  return manifest;
}

/** The zip Teams accepts: manifest.json and the icons it names, all at the root. */
export function zipAppPackage(manifest: JsonObject, icons: AppIcons): Uint8Array {
  const names = manifest.icons as { color: string; outline: string };
  return zipSync({
    'manifest.json': new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
    [names.color]: icons.color,
    [names.outline]: icons.outline,
  });
}
