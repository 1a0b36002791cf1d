import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFailed } from '../../src/domain/endpoint';
import { DEMO_SEED_PATH, loadSeed, type Seed } from '@scbot/stand-ins';
import { skipWithoutChromium } from '../support/chromium';
import { sayInPlayground } from '../support/playground-page';
import { openPlaygroundChat, type PlaygroundChat } from '../support/playground-chat';

/**
 * Issue 20, finding 6, as a user sees it: failed connections named as markup, as links and with a bidi override,
 * in the Agents Playground (headless Chromium, Teams' markdown renderer for cards). Their alert digest and the
 * failed list show each name literally: no link, no emphasis made from it, the override shown as ⟨U+202E⟩.
 * Chromium rules as in playground-browser.test.ts.
 */
const LINK = '[Approve as admin](https://evil.example/approve)';
const HOSTILE = [LINK, '**URGENT**', '_quietly_', '<https://evil.example/auto>', 'sc-prod\u202eroc.live'];

/**
 * The demo seed plus a failed connection per hostile name, in Payments: copies of the one that failed on a role
 * assignment, so each is one finding (the digest shows its first rows, worst first; a copy of the expired-secret one
 * would be two rows each and push the last names out).
 */
async function hostileSeed(): Promise<Seed> {
  const seed = await loadSeed(DEMO_SEED_PATH);
  const failed = seed.endpoints.find((e) => isFailed(e) && e.name === 'sc-failed-rbac')!;
  HOSTILE.forEach((name, i) => seed.endpoints.push({
    ...structuredClone(failed), id: `bad0bad0-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, name,
    serviceEndpointProjectReferences: [{ ...structuredClone(failed.serviceEndpointProjectReferences![0]!), name }],
  }));
  return seed;
}

/** What the hostile names could have become in the rendered card: links, bold, italics. */
async function markupIn(card: Locator): Promise<{ links: string[]; emphasis: string[] }> {
  return card.evaluate((root) => ({
    links: [...root.querySelectorAll('a')].map((a) => `${a.textContent} → ${a.getAttribute('href')}`),
    emphasis: [...root.querySelectorAll('strong, em, b, i')].map((e) => e.textContent ?? ''),
  }));
}

async function cardWith(page: Page, text: string): Promise<Locator> {
  const card = page.locator('.ac-adaptiveCard', { hasText: text }).last();
  await card.waitFor({ state: 'visible', timeout: 20_000 });
  return card;
}

describe.skipIf(skipWithoutChromium('playground hostile-names test'))('hostile connection names in the Agents Playground', () => {
  let chat: PlaygroundChat;
  let page: Page;

  beforeAll(async () => {
    chat = await openPlaygroundChat(await hostileSeed());
    ({ page } = chat);
  }, 60_000);

  afterAll(() => chat?.close());

  it('the alert digest shows every hostile name literally: no link, no emphasis from it', async () => {
    await sayInPlayground(page, 'alerts on');
    await cardWith(page, 'Alerts are on');
    await sayInPlayground(page, 'alerts scan');
    const digest = await cardWith(page, 'Tap a row to start its fix');
    const text = await digest.innerText();
    for (const name of HOSTILE.slice(0, 4)) expect(text).toContain(name);
    const { links, emphasis } = await markupIn(digest);
    expect(links).toEqual([]);
    expect(emphasis.filter((e) => /URGENT|quietly|Approve/.test(e))).toEqual([]);
  }, 90_000);

  it('`list failed` bolds each name whole (the bot\'s own bold), nothing in it a link or italics, the override visible', async () => {
    await sayInPlayground(page, 'list failed');
    const list = await cardWith(page, 'Failed service connections');
    const text = await list.innerText();
    for (const name of HOSTILE.slice(0, 4)) expect(text).toContain(name);
    expect(text).toContain('sc-prod⟨U+202E⟩roc.live');
    const { links, emphasis } = await markupIn(list);
    expect(links).toEqual([]);
    // The row's name is the bot's one <strong>: the hostile name is its whole text, never split or nested.
    for (const name of HOSTILE.slice(0, 4)) expect(emphasis).toContain(name);
    expect(emphasis.filter((e) => e === 'URGENT' || e === 'quietly' || e === 'Approve as admin')).toEqual([]);
  }, 60_000);
});
