import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildManifest, commandDescription, MAX_LISTED_COMMANDS, placeholderWarnings } from '../../tools/teams-app/app-package';
import { colorIcon, outlineIcon } from '../../tools/teams-app/icons';
import { packageTeamsApp } from '../../tools/teams-app/package-cli';

const template = () => JSON.parse(readFileSync(new URL('../../appPackage/manifest.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const APP_ID = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const commands = [{ id: 'list', summary: 'List `failed` ones.' }];

describe('npm run package refuses without a bot id', () => {
  it.each([
    [{}, /MicrosoftAppId is not set/],
    [{ MicrosoftAppId: '   ' }, /MicrosoftAppId is not set/],
    [{ MicrosoftAppId: 'my-bot' }, /MicrosoftAppId must be a GUID/],
  ])('%j', (env, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'scbot-package-'));
    try {
      const result = packageTeamsApp(env, join(dir, 'app.zip'));
      expect(result).toEqual({ ok: false, message: expect.stringMatching(message) });
      expect(existsSync(join(dir, 'app.zip'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a validDomains entry that is a URL, not a host', () => {
    const result = packageTeamsApp({ MicrosoftAppId: APP_ID, BOT_DOMAIN: 'https://scbot.example.com/api' }, join(tmpdir(), 'never.zip'));
    expect(result).toEqual({ ok: false, message: expect.stringContaining('is not a host name') });
  });
});

describe('buildManifest', () => {
  it('fills the placeholders and leaves the template untouched', () => {
    const source = template();
    const manifest = buildManifest(source, { appId: APP_ID.toUpperCase(), version: '1.2.3', commands });
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.version).toBe('1.2.3');
    expect(source.id).toBe('${MicrosoftAppId}');
  });

  it('takes the Teams app id the Agents Toolkit registered apart from the bot id, when given', () => {
    const teamsAppId = '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f';
    const manifest = buildManifest(template(), { appId: APP_ID, teamsAppId: teamsAppId.toUpperCase(), version: '1.0.0', commands });
    expect(manifest.id).toBe(teamsAppId);
    expect((manifest.bots as Array<{ botId: string }>)[0]?.botId).toBe(APP_ID);
    expect(() => buildManifest(template(), { appId: APP_ID, teamsAppId: 'scbot-dev', version: '1.0.0', commands })).toThrow(/TEAMS_APP_ID must be a GUID/);
  });

  it('turns summaries into plain compose-box hints within the schema limit, never cut inside a word', () => {
    expect(commandDescription({ id: 'list', summary: 'List `failed` ones.' })).toBe('List failed ones.');
    // Whole sentences that fit, else whole words.
    const sentences = commandDescription({ id: 'x', summary: `List service connections. ${'Failed ones are hidden unless you say so; '.repeat(4)}` });
    expect(sentences).toBe('List service connections.');
    const words = commandDescription({ id: 'x', summary: 'alpha beta gamma '.repeat(20) });
    expect(words.length).toBeLessThanOrEqual(128);
    // A whole word, then " …": the space says nothing was cut inside it.
    expect(words).toMatch(/(alpha|beta|gamma) …$/);
    expect(words.slice(0, -1)).toBe('alpha beta gamma '.repeat(20).slice(0, words.length - 1));
    // One long "word" (no space to cut at) is cut at the limit, never longer.
    expect(commandDescription({ id: 'x', summary: 'x'.repeat(300) })).toHaveLength(128);
  });

  it('takes a command\'s menu text as written, and refuses one that does not fit the menu', () => {
    expect(commandDescription({ id: 'health', summary: 'A very long summary '.repeat(10), menuText: 'See the `health` of all connections.' })).toBe('See the health of all connections.');
    expect(() => commandDescription({ id: 'health', summary: 's', menuText: 'y'.repeat(129) })).toThrow(/"health" has 129 characters; Teams shows at most 128/);
    expect(() => buildManifest(template(), { appId: APP_ID, version: '1.0.0', commands: [{ id: 'c'.repeat(33), summary: 's' }] })).toThrow(/longer than the 32 characters/);
  });

  it('warns while the developer block holds the shipped placeholders, naming each field left', () => {
    const manifest = buildManifest(template(), { appId: APP_ID, version: '1.0.0', commands });
    expect(placeholderWarnings(manifest)).toEqual([expect.stringContaining('placeholder developer.name, developer.websiteUrl, developer.privacyUrl, developer.termsOfUseUrl')]);
    const own = { ...manifest, developer: { ...(manifest.developer as object), name: 'Contoso Platform', websiteUrl: 'https://contoso.example/scbot' } };
    expect(placeholderWarnings(own)).toEqual([expect.stringMatching(/placeholder developer\.privacyUrl, developer\.termsOfUseUrl:/)]);
    const done = { ...own, developer: { name: 'Contoso', websiteUrl: 'https://contoso.example', privacyUrl: 'https://contoso.example/privacy', termsOfUseUrl: 'https://contoso.example/terms' } };
    expect(placeholderWarnings(done)).toEqual([]);
  });

  it('npm run package says so, after writing a working package', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scbot-package-'));
    try {
      const result = packageTeamsApp({ MicrosoftAppId: APP_ID }, join(dir, 'app.zip'));
      expect(result.ok && result.warnings).toEqual([expect.stringContaining('appPackage/manifest.json still has placeholder developer.name')]);
      expect(existsSync(join(dir, 'app.zip'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses more commands than a Teams command list holds', () => {
    const many = Array.from({ length: MAX_LISTED_COMMANDS + 1 }, (_, i) => ({ id: `c${i}`, summary: 's' }));
    expect(() => buildManifest(template(), { appId: APP_ID, version: '1.0.0', commands: many })).toThrow(/at most 12/);
  });
});

describe('icons', () => {
  // The PNGs are generated (src/teams-app/make-icons.ts); this keeps the checked-in files and the code in step.
  it('are what make-icons generates', () => {
    expect(colorIcon()).toEqual(readFileSync(new URL('../../appPackage/color.png', import.meta.url)));
    expect(outlineIcon()).toEqual(readFileSync(new URL('../../appPackage/outline.png', import.meta.url)));
  });
});
