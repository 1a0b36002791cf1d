import { zipSync } from 'fflate';
import { cutAtWord } from '../../src/domain/text';

/**
 * Builds the Teams app package: the manifest template with the bot id and the command lists filled in, zipped
 * with the two icons at the root (the layout Teams admin center and sideloading expect).
 */
export type JsonObject = { [key: string]: unknown };

export interface ListedCommand {
  id: string;
  summary: string;
  /** Written for the menu (the registry's `menuText`); without it the summary is shortened. */
  menuText?: string;
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
const MAX_TITLE = 32;
const MAX_DESCRIPTION = 128;
export const MAX_LISTED_COMMANDS = 12;

export const isGuid = (value: string): boolean => GUID.test(value);
export const isHostname = (value: string): boolean => HOSTNAME.test(value);

const plain = (text: string): string => text.replace(/`/g, '').replace(/\s+/g, ' ').trim();

/**
 * The compose-box hint under a command: its menu text, which must fit (a packaging error otherwise: it was written
 * for this place), or the summary's whole sentences that fit, or the summary cut after a whole word. Chat markdown
 * (backticks) means nothing there.
 */
export function commandDescription(command: Pick<ListedCommand, 'id' | 'summary' | 'menuText'>): string {
  if (command.menuText !== undefined) {
    const text = plain(command.menuText);
    if (text.length > MAX_DESCRIPTION) throw new Error(`The menu text of "${command.id}" has ${text.length} characters; Teams shows at most ${MAX_DESCRIPTION}`);
    return text;
  }
  const summary = plain(command.summary);
  if (summary.length <= MAX_DESCRIPTION) return summary;
  const sentences = summary.split(/(?<=\.) /);
  let fits = '';
  for (const sentence of sentences) {
    const next = fits ? `${fits} ${sentence}` : sentence;
    if (next.length > MAX_DESCRIPTION) break;
    fits = next;
  }
  return fits || cutAtWord(summary, MAX_DESCRIPTION);
}

function commandLists(commands: readonly ListedCommand[]): JsonObject[] {
  if (commands.length > MAX_LISTED_COMMANDS) {
    throw new Error(`A Teams command list holds at most ${MAX_LISTED_COMMANDS} commands per scope; the registry has ${commands.length}`);
  }
  const long = commands.find((c) => c.id.length > MAX_TITLE);
  if (long) throw new Error(`The command "${long.id}" is longer than the ${MAX_TITLE} characters a Teams menu title holds`);
  const entries = commands.map((c) => ({ title: c.id, description: commandDescription(c) }));
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

/**
 * The `developer` block as shipped: an organization's own name and pages belong there before the app is published
 * (Teams shows them on the app's page). Packaging still works, with a warning naming what to change.
 */
export const DEVELOPER_PLACEHOLDERS: Readonly<Record<string, string>> = {
  name: 'Platform Engineering',
  websiteUrl: 'https://learn.microsoft.com/azure/devops/pipelines/library/service-endpoints',
  privacyUrl: 'https://privacy.microsoft.com/privacystatement',
  termsOfUseUrl: 'https://www.microsoft.com/legal/terms-of-use',
};

/** The `developer` fields that still hold the shipped placeholders, as warnings for whoever packages the app. */
export function placeholderWarnings(manifest: JsonObject): string[] {
  const developer = (manifest.developer ?? {}) as Record<string, unknown>;
  const left = Object.entries(DEVELOPER_PLACEHOLDERS).filter(([field, value]) => developer[field] === value).map(([field]) => `developer.${field}`);
  return left.length
    ? [`appPackage/manifest.json still has placeholder ${left.join(', ')}: Teams shows them on the app's page. Put your organization's name and its website, privacy and terms-of-use pages there before you publish.`]
    : [];
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
