/**
 * `npm run package [-- --bot-id <guid>] [--teams-app-id <guid>] [--domain <host>] [--out <zip>]`: writes
 * dist/scbot-teams-app.zip (or --out) for upload in Teams admin center, sideloading or the Agents Toolkit
 * (m365agents.yml passes the flags). Without flags it reads MicrosoftAppId (required, a GUID), TEAMS_APP_ID
 * (optional; default the bot id) and BOT_DOMAIN (optional public host, added to validDomains).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCommandRegistry } from '../../src/commands';
import { buildManifest, isGuid, placeholderWarnings, zipAppPackage, type JsonObject } from './app-package';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_PACKAGE_PATH = resolve(ROOT, 'dist/scbot-teams-app.zip');

export type PackageResult = { ok: true; path: string; manifest: JsonObject; warnings: string[] } | { ok: false; message: string };

/** Builds the package from the checked-in template and icons and the live command registry. */
export function packageTeamsApp(env: Readonly<Record<string, string | undefined>>, outPath = DEFAULT_PACKAGE_PATH): PackageResult {
  const appId = env.MicrosoftAppId?.trim() ?? '';
  if (!isGuid(appId)) {
    return {
      ok: false,
      message: appId
        ? 'MicrosoftAppId must be a GUID: the client id of the bot\'s Entra app or user-assigned managed identity.'
        : 'MicrosoftAppId is not set: run `MicrosoftAppId=<bot app client id> npm run package`.',
    };
  }
  const domain = env.BOT_DOMAIN?.trim();
  const teamsAppId = env.TEAMS_APP_ID?.trim();
  const read = (file: string) => readFileSync(resolve(ROOT, file));
  const template = JSON.parse(read('appPackage/manifest.json').toString('utf8')) as JsonObject;
  const { version } = JSON.parse(read('package.json').toString('utf8')) as { version: string };
  // Teams lists at most 12 commands per scope: the registry marks the ones the menu leaves to `help`.
  const commands = createCommandRegistry().commands().filter((c) => c.menu !== false).map((c) => ({ id: c.id, summary: c.summary, ...(c.menuText ? { menuText: c.menuText } : {}) }));
  try {
    const manifest = buildManifest(template, { appId, ...(teamsAppId ? { teamsAppId } : {}), version, commands, validDomains: domain ? [domain] : [] });
    const zip = zipAppPackage(manifest, { color: read('appPackage/color.png'), outline: read('appPackage/outline.png') });
    mkdirSync(dirname(outPath), { recursive: true });
    writeFileSync(outPath, zip);
    return { ok: true, path: outPath, manifest, warnings: placeholderWarnings(manifest) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Flags win over the environment, so a toolkit step can say exactly what it packages. */
function cliInputs(argv: string[]): { env: Record<string, string | undefined>; out: string } {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: { 'bot-id': { type: 'string' }, 'teams-app-id': { type: 'string' }, domain: { type: 'string' }, out: { type: 'string' } },
  });
  const env = { ...process.env };
  if (values['bot-id'] !== undefined) env.MicrosoftAppId = values['bot-id'];
  if (values['teams-app-id'] !== undefined) env.TEAMS_APP_ID = values['teams-app-id'];
  if (values.domain !== undefined) env.BOT_DOMAIN = values.domain;
  return { env, out: values.out ? resolve(values.out) : DEFAULT_PACKAGE_PATH };
}

function run(argv: string[]): PackageResult {
  try {
    const { env, out } = cliInputs(argv);
    return packageTeamsApp(env, out);
  } catch (error) {
    return { ok: false, message: `${error instanceof Error ? error.message : String(error)} (flags: --bot-id, --teams-app-id, --domain, --out)` };
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = run(process.argv.slice(2));
  if (result.ok) {
    console.log(`Wrote ${result.path}: upload it in Teams admin center (or sideload it in Teams).`);
    // Loud and last, so it is what the terminal shows: the package works, but is not ready to publish.
    for (const warning of result.warnings) console.warn(`\n⚠️  WARNING: ${warning}\n`);
  }
  else {
    console.error(`npm run package: ${result.message}`);
    process.exitCode = 1;
  }
}
