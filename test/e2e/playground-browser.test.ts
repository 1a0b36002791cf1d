import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type LocalStack } from '../../bot/local-mode';
import { isFailed, nameInProject } from '../../src/domain/endpoint';
import { DEMO_SEED_PATH, loadSeed } from '@scbot/stand-ins';
import { createLogger } from '../../src/logging';
import { launchChromium, skipWithoutChromium, type Browser } from '../support/chromium';
import { sayInPlayground } from '../support/playground-page';

/**
 * The whole local product as a user sees it: `npm start`'s stack, the Agents Playground in headless Chromium,
 * a typed command, and the Adaptive Card it answers with. Chromium is Debian's (/usr/bin/chromium), never a
 * downloaded one. Under CI=true a missing Chromium fails the run; on a laptop without it the suite is skipped.
 */
const SCREENSHOT = path.resolve('test-artifacts', 'playground-list-failed.png');

// In CI a missing browser is a broken machine, not a reason to skip: the suite runs and fails in beforeAll.
describe.skipIf(skipWithoutChromium('playground browser test'))('Agents Playground in a browser (local mode)', () => {
  let stack: LocalStack;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    context = browser.context;
    stack = await startLocal({ port: 0, playground: { port: 0, cwd: browser.playgroundDir }, logger: createLogger({ level: 'silent' }) });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await browser?.close();
  });

  it('answers "list failed" with a card naming the seed\'s failed connections', async () => {
    const seed = await loadSeed(DEMO_SEED_PATH);
    const failedNames = seed.endpoints.filter(isFailed).map((e) => nameInProject(e, e.serviceEndpointProjectReferences?.[0]?.projectReference.id ?? ''));
    expect(failedNames.length).toBeGreaterThan(0);

    const page = await context.newPage();
    await page.goto(stack.playground?.url ?? '');
    await sayInPlayground(page, 'list failed');
    const card = page.locator('.ac-adaptiveCard').last();
    await card.waitFor({ state: 'visible' });
    for (const name of failedNames) await expect.poll(() => card.innerText(), { timeout: 5_000 }).toContain(name);

    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }, 60_000);

  it('answers "rotate sc-prod" with the plan preview: the steps in plain words, then what changes and the calls behind Show details, no secret', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto(stack.playground?.url ?? '');
    await sayInPlayground(page, 'rotate sc-prod');
    const card = page.locator('.ac-adaptiveCard').last();
    await expect.poll(() => card.innerText(), { timeout: 10_000 }).toContain('What will happen');
    const steps = await card.innerText();
    expect(steps).toContain('Ask Microsoft Entra for a new secret');
    expect(steps).toContain('Convert instead');
    expect(steps).not.toContain('creationMode');
    await card.getByRole('button', { name: 'Show details' }).click();
    await expect.poll(() => card.innerText(), { timeout: 5_000 }).toContain('creationMode');
    const text = await card.innerText();
    expect(text).toContain('sc-prod');
    expect(text).toContain('Manual');
    expect(text).toMatch(/addPassword/i);
    expect(text).not.toContain('SEEDSECRET-');
    await page.screenshot({ path: path.resolve('test-artifacts', 'playground-rotate-preview.png'), fullPage: true });
  }, 60_000);
});
