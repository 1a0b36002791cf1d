/**
 * `npm run package`: writes dist/scbot-teams-app.zip for upload in Teams admin center or sideloading.
 * Reads MicrosoftAppId (required, a GUID) and BOT_DOMAIN (optional public host, added to validDomains).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCommandRegistry } from '../../src/commands';
import { buildManifest, isGuid, zipAppPackage, type JsonObject } from './app-package';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_PACKAGE_PATH = resolve(ROOT, 'dist/scbot-teams-app.zip');

export type PackageResult = { ok: true; path: string; manifest: JsonObject } | { ok: false; message: string };

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
  const read = (file: string) => readFileSync(resolve(ROOT, file));
  const template = JSON.parse(read('manifest/manifest.json').toString('utf8')) as JsonObject;
  const { version } = JSON.parse(read('package.json').toString('utf8')) as { version: string };
  // Teams lists at most 12 commands per scope: the registry marks the ones the menu leaves to `help`.
  const commands = createCommandRegistry().commands().filter((c) => c.menu !== false).map((c) => ({ id: c.id, summary: c.summary }));
  try {
    const manifest = buildManifest(template, { appId, version, commands, validDomains: domain ? [domain] : [] });
    const zip = zipAppPackage(manifest, { color: read('manifest/color.png'), outline: read('manifest/outline.png') });
    mkdirSync(dirname(outPath), { recursive: true });
    writeFileSync(outPath, zip);
    return { ok: true, path: outPath, manifest };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = packageTeamsApp(process.env, process.argv[2] ? resolve(process.argv[2]) : DEFAULT_PACKAGE_PATH);
  if (result.ok) console.log(`Wrote ${result.path}: upload it in Teams admin center (or sideload it in Teams).`);
  else {
    console.error(`npm run package: ${result.message}`);
    process.exitCode = 1;
  }
}
