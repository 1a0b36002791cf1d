import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import { randomUUID } from 'node:crypto';
import { DEMO_SEED_PATH, loadSeed, type Seed } from '@scbot/stand-ins';
import { skipWithoutChromium } from '../support/chromium';
import { openPlaygroundChat, type PlaygroundChat } from '../support/playground-chat';
import { botMessages, lowContrastTexts, sayInPlayground } from '../support/playground-page';
import { CARD_HEIGHT_BUDGET_PX } from '../support/card-checks';

/**
 * The whole flow by clicking, in the Agents Playground in headless Chromium: the welcome's first button, a "did
 * you mean" button, paging, an alert row and an alert button, "Approve as Ben" offered on the preview from the start
 * (no refused tap first) and the outcome card naming him. Each answer is one message, no markup shows
 * escaped, and every text in a card reads at WCAG AA contrast (4.5:1) on what is rendered behind it.
 */
const ARTIFACTS = path.resolve('test-artifacts');
/** The demo seed plus enough generic connections that `list all` has a second page to click to. */
const EXTRA_CONNECTIONS = 30;
/** One screen: a laptop's chat pane shows about 900 CSS px of a message. */
const PREVIEW_HEIGHT_BUDGET = 900;

async function seedWithMore(count: number): Promise<Seed> {
  const seed = await loadSeed(DEMO_SEED_PATH);
  const shape = seed.endpoints.find((e) => e.type === 'generic') ?? seed.endpoints[0]!;
  const extra = Array.from({ length: count }, (_, i) => {
    const name = `sc-extra-${String(i).padStart(2, '0')}`;
    const copy = structuredClone(shape);
    return { ...copy, id: randomUUID(), name, serviceEndpointProjectReferences: (copy.serviceEndpointProjectReferences ?? []).map((r) => ({ ...r, name })) };
  });
  return { ...seed, endpoints: [...seed.endpoints, ...extra] };
}

describe.skipIf(skipWithoutChromium('playground walk test'))('every button, clicked in the Agents Playground (local mode)', () => {
  let chat: PlaygroundChat;
  let stack: LocalStack;
  let page: Page;

  beforeAll(async () => {
    // Opened once the greeting arrived: the Playground adds the bot to the chat, and the bot says what it can do.
    chat = await openPlaygroundChat(await seedWithMore(EXTRA_CONNECTIONS));
    ({ stack, page } = chat);
    await mkdir(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(() => chat?.close());

  /** Clicks and waits for exactly one new bot message; returns it. */
  async function clickForOneAnswer(button: Locator): Promise<Locator> {
    const before = await botMessages(page).count();
    await button.click();
    await expect.poll(() => botMessages(page).count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await page.waitForTimeout(300);
    expect(await botMessages(page).count()).toBe(before + 1);
    return botMessages(page).last();
  }

  async function sayForOneAnswer(text: string): Promise<Locator> {
    const before = await botMessages(page).count();
    await sayInPlayground(page, text);
    await expect.poll(() => botMessages(page).count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await page.waitForTimeout(300);
    expect(await botMessages(page).count()).toBe(before + 1);
    return botMessages(page).last();
  }

  it('the welcome is short; What\'s broken → a failed row\'s Rotate → the plan in plain words → the demo approver → an outcome whose next step opens the connection', async () => {
    const greeting = botMessages(page).first();
    expect(await greeting.innerText()).toContain('I keep your Azure DevOps service connections healthy');
    // The budget (test/support/card-checks.ts): the welcome fits a small window whole, since the chat opens at its end.
    const height = (await greeting.locator('.ac-adaptiveCard').boundingBox())?.height ?? Infinity;
    expect(height).toBeLessThanOrEqual(CARD_HEIGHT_BUDGET_PX.welcome);
    const answer = await clickForOneAnswer(greeting.getByRole('button', { name: "What's broken", exact: true }));
    await expect.poll(() => answer.innerText()).toMatch(/Failed service connections/i);
    const text = await answer.innerText();
    expect(text).toContain('sc-failed-secret');
    // Each failed row says why and offers the fix that fits: a new secret for the expired one.
    expect(text).toContain('Its client secret has expired: a new secret fixes it.');
    expect(await answer.getByRole('button', { name: 'Delete all failed', exact: true }).count()).toBe(1);
    const rotate = answer.getByRole('button', { name: 'Rotate', exact: true });
    expect(await rotate.count()).toBe(1);
    const preview = await clickForOneAnswer(rotate);
    await expect.poll(() => preview.innerText()).toContain('Rotate the secret of sc-failed-secret');
    // The plan in plain words: numbered steps up front, field paths and REST calls only behind Show details.
    const plan = await preview.innerText();
    expect(plan).toContain('What will happen');
    expect(await preview.locator('ol li').count()).toBeGreaterThanOrEqual(3);
    expect(plan).not.toMatch(/data\.creationMode|authorization\.parameters|REST calls|POST →/);
    // Approved by the demo approver straight away (no refused tap first); the outcome says the result first and offers
    // the next step, which opens the connection.
    await preview.getByRole('button', { name: 'Approve as Ben Approver (local demo)', exact: true }).click();
    await stack.approvals.idle();
    await expect.poll(() => preview.innerText(), { timeout: 15_000 }).toContain('✅ sc-failed-secret: secret rotated');
    const show = preview.getByRole('button', { name: /^Show sc-failed-secret/ });
    expect(await show.count()).toBe(1);
    const shown = await clickForOneAnswer(show);
    await expect.poll(() => shown.innerText()).toContain('sc-failed-secret');
    expect(await shown.innerText()).toContain('Recent runs');
  }, 90_000);

  it('"hello" gets the same welcome, not the help page', async () => {
    const answer = await sayForOneAnswer('hello');
    await expect.poll(() => answer.innerText()).toContain('I keep your Azure DevOps service connections healthy');
    expect(await answer.getByRole('button', { name: 'All commands', exact: true }).count()).toBe(1);
  }, 60_000);

  it('a "did you mean" button shows the connection it suggests', async () => {
    const missing = await sayForOneAnswer('show sc-prd');
    expect(await missing.innerText()).toContain('Did you mean');
    const answer = await clickForOneAnswer(missing.getByRole('button', { name: 'show sc-prod in Payments', exact: true }));
    await expect.poll(() => answer.innerText()).toContain('sc-prod');
    expect(await answer.innerText()).toContain('Recent runs');
  }, 60_000);

  it('a mistyped verb\'s "did you mean" keeps the rest of the line, its typos corrected with the verb', async () => {
    const unknown = await sayForOneAnswer('shwo sc-prd');
    expect(await unknown.innerText()).toContain('Did you mean');
    const answer = await clickForOneAnswer(unknown.getByRole('button', { name: 'show sc-prod', exact: true }));
    await expect.poll(() => answer.innerText()).toContain('Recent runs');
  }, 60_000);

  it('paging goes to the next page', async () => {
    const first = await sayForOneAnswer('list all');
    expect(await first.innerText()).toMatch(/Page 1 of 2/);
    const answer = await clickForOneAnswer(first.getByRole('button', { name: 'Next page' }));
    await expect.poll(() => answer.innerText()).toMatch(/Page 2 of 2/);
  }, 60_000);

  it('an alert row and an alert button each run their command', async () => {
    await sayForOneAnswer('alerts on');
    await sayInPlayground(page, 'alerts scan');
    await stack.alerts.idle();
    // The demo seed has more findings than one card each: they arrive as one digest, a row per finding.
    const digest = botMessages(page).filter({ hasText: 'new alerts' }).last();
    await digest.waitFor({ state: 'visible', timeout: 15_000 });
    // sc-failed-secret was rotated above, so its finding is already resolved: the digest starts from what is left.
    expect(await digest.getByRole('button', { name: /^rotate sc-failed-secret/ }).count()).toBe(0);
    const row = digest.getByRole('button', { name: /^rotate / }).first();
    const preview = await clickForOneAnswer(row);
    await expect.poll(() => preview.innerText()).toContain('Rotate the secret of');
    const failed = await clickForOneAnswer(digest.getByRole('button', { name: 'list failed', exact: true }));
    await expect.poll(() => failed.innerText()).toContain('sc-failed-rbac');
  }, 90_000);

  it('the preview offers the demo approver at once; Ben approves and the outcome names him', async () => {
    const preview = await sayForOneAnswer('rotate sc-prod');
    await expect.poll(() => preview.innerText()).toContain('Rotate the secret of sc-prod');
    // The budget: a typical preview (one rotation) fits one screen at Teams' chat width — at most 900 CSS px tall.
    const height = (await preview.locator('.ac-adaptiveCard').boundingBox())?.height ?? Infinity;
    expect(height).toBeLessThanOrEqual(PREVIEW_HEIGHT_BUDGET);
    // Local mode: the demo approvers are on the preview itself, so nobody taps Approve only to be refused.
    expect(await preview.getByRole('button', { name: 'Approve as Ben Approver (local demo)', exact: true }).count()).toBe(1);
    await preview.getByRole('button', { name: 'Approve as Ben Approver (local demo)', exact: true }).click();
    await stack.approvals.idle();
    await expect.poll(() => preview.innerText(), { timeout: 15_000 }).toMatch(/approved by Ben Approver/);
    await expect.poll(() => preview.innerText(), { timeout: 15_000 }).toContain('✅ sc-prod: secret rotated');
    const outcome = await preview.innerText();
    expect(outcome).toMatch(/Requested by Alex Wilber on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(outcome).toMatch(/Run by scbot, approved by Ben Approver, on .*; took (under a second|\d+ s)\./);
    expect(outcome).not.toContain('REST calls');
    await preview.getByRole('button', { name: 'Show details' }).click();
    await expect.poll(() => preview.innerText()).toContain('REST calls made: 4, and up to 2 more where needed');
    await preview.getByRole('button', { name: 'Show details' }).click();
    expect(await preview.getByRole('button', { name: /Approve|Reject|Cancel/ }).count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-walk.png'), fullPage: true });
    // The outcome card for the README (the template is plan-preview; card-screenshots.test.ts shows its preview).
    const shot = await preview.locator('.ac-adaptiveCard').screenshot();
    await mkdir(path.join(ARTIFACTS, 'cards'), { recursive: true });
    await writeFile(path.join(ARTIFACTS, 'cards', 'plan-outcome.png'), shot);
    if (process.env.SCBOT_UPDATE_DOCS === '1') await writeFile(path.resolve('docs', 'cards', 'plan-outcome.png'), shot);
  }, 90_000);

  it('shows no escaped markup and every card text reads at 4.5:1 or better', async () => {
    await sayForOneAnswer('rotate');
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/&lt;|&gt;|&amp;/);
    expect(body).toContain('rotate ‹name›');
    const low = await lowContrastTexts(page, 4.5);
    if (low.length) console.log(JSON.stringify(low, null, 1));
    expect(low).toEqual([]);
  }, 60_000);
});
