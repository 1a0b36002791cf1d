import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type LocalStack } from '../../bot/local-mode';
import { CARD_TEMPLATES, type CardTemplateName } from '../../src/cards/render';
import { isFailed, nameInProject } from '../../src/domain/endpoint';
import { DEMO_SEED_PATH, loadSeed, type Seed } from '@scbot/stand-ins';
import { createLogger } from '../../src/logging';
import { launchChromium, skipWithoutChromium, type Browser } from '../support/chromium';
import { sayInPlayground } from '../support/playground-page';
import { CARD_HEIGHT_BUDGET_PX, MID_WORD_CUT, RAW_CODE } from '../support/card-checks';

/**
 * One screenshot per Adaptive Card template, taken in the Agents Playground the way a user gets the card: type the
 * commands, wait for the card, photograph that card alone. They always land in test-artifacts/cards/; with
 * SCBOT_UPDATE_DOCS=1 also in docs/cards/, which the README shows (so CI never rewrites checked-in files).
 * Chromium rules as in playground-browser.test.ts.
 */
const ARTIFACTS_DIR = path.resolve('test-artifacts', 'cards');
const DOCS_DIR = path.resolve('docs', 'cards');
const UPDATE_DOCS = process.env.SCBOT_UPDATE_DOCS === '1';
/** About a Teams window: the playground shows cards ~450 px wide beside its log panel. */
const VIEWPORT = { width: 900, height: 1200 };
/** The playground's header, message box and margins around the chat pane, roughly. */
const CHROME_HEIGHT = 400;
/** How long the card may take after the last command (proactive cards come from a background scan). */
const CARD_TIMEOUT_MS = 15_000;

/** A command typed into the playground, or something done to the local stack between commands. */
type Step = string | ((stack: LocalStack) => Promise<unknown>);

interface CardShot {
  template: CardTemplateName;
  /** In order; each typed command waits for the bot's answer (a new card) before the next step. */
  say: readonly Step[];
  /** Text that identifies the card among those answering the last command. */
  expectText: string;
  /** More text the card must show (demo seed names); a function reads the seed. */
  contains: readonly string[] | ((seed: Seed) => readonly string[]);
  /** Which matching card when the last command brings several (proactive alerts); default 'last'. */
  pick?: 'first' | 'last';
}

const failedNames = (seed: Seed) => seed.endpoints.filter(isFailed).map((e) => nameInProject(e, e.serviceEndpointProjectReferences?.[0]?.projectReference.id ?? ''));

async function failStaging(stack: LocalStack): Promise<void> {
  const staging = stack.devops.state.endpoints().find((e) => e.name === 'sc-staging');
  if (!staging) throw new Error('no sc-staging in the demo seed');
  stack.devops.state.setStatus(staging.id, { isReady: false, state: 'Failed', statusMessage: 'Failed to obtain the Json Web Token(JWT) using service principal client ID.' });
}

/** One entry per template in CARD_TEMPLATES (checked below). Add a row when you add a template. */
const CARD_SHOTS: readonly CardShot[] = [
  { template: 'help', say: ['help'], expectText: 'Type a command, or mention me in a channel.', contains: ['What I can do', 'Look', 'Fix', 'rotate', 'audit', 'How to type them'] },
  { template: 'connection-list', say: ['list failed'], expectText: 'Failed service connections', contains: failedNames },
  { template: 'connection-detail', say: ['show sc-prod'], expectText: 'Recent runs', contains: ['sc-prod', 'Payments', 'ServicePrincipal', 'payments-prod'] },
  { template: 'connection-access', say: ['access sc-staging'], expectText: 'Access to sc-staging', contains: ['Open to ALL pipelines', 'payments-deploy', 'Payments', 'restrict sc-staging'] },
  { template: 'message', say: ['lst'], expectText: "I don't know the command", contains: ['lst', 'Did you mean', 'list', 'help'] },
  { template: 'plan-preview', say: ['rotate sc-prod'], expectText: 'Plan: Rotate the secret of sc-prod', contains: ['What will happen', 'Ask Microsoft Entra for a new secret', 'Manual', 'Convert instead', 'Approve', 'Reject'] },
  // The audit trail needs an event: this rotate request is one (the trail is the bot's, so earlier rows add theirs).
  { template: 'audit', say: ['rotate sc-prod', 'audit'], expectText: 'Audit trail', contains: ['Requested · rotate', 'sc-prod', 'Alex Wilber', 'Show details'] },
  // Alerts, in this order: the playground is one conversation, and the bot posts each finding there once.
  // alert-list must be the stack's first scan (the demo seed's 28 findings are more than SCBOT_ALERT_DIGEST_OVER: a digest).
  { template: 'alert-list', say: ['alerts on', 'alerts scan'], expectText: 'Tap a row to start its fix', contains: ['new alerts', 'sc-failed-secret', 'sc-failed-rbac', 'sc-failed-mi'] },
  { template: 'alert-status', say: ['alerts on', 'alerts scan', (stack) => stack.alerts.idle(), 'alerts status'], expectText: 'Alerts are on in this conversation', contains: ['Turned on by Alex Wilber', 'Open findings', 'sc-failed-secret'] },
  // One new finding (not more than SCBOT_ALERT_DIGEST_OVER) is posted as its own card: fail sc-staging between scans.
  { template: 'alert', say: ['alerts on', 'alerts scan', (stack) => stack.alerts.idle(), failStaging, 'alerts scan'], expectText: 'Connection failed: sc-staging', contains: ['New alert', 'Payments', 'Rotate', 'Show'] },
  // The Playground draws Teams' Chart.Donut and Chart.HorizontalBar (as Teams does); a host without charts shows their tables.
  // `create` with the name and project typed: the form fills them in and offers the project's pipelines.
  { template: 'form', say: ['create sc-payments-release in Payments'], expectText: 'Create: fill in what is missing', contains: ['Name of the new connection', 'Azure subscription', 'Register a new app for it', 'Preview the plan'] },
  { template: 'health', say: ['alerts scan', (stack) => stack.alerts.idle(), 'health'], expectText: 'Health of your service connections', contains: ['Open findings by severity', 'Critical', 'Without a secret', 'Azure DevOps issuer'] },
];

describe('card screenshot table', () => {
  it('has an entry for every card template, so a new template cannot ship without its screenshot', () => {
    const missing = CARD_TEMPLATES.filter((name) => !CARD_SHOTS.some((shot) => shot.template === name));
    expect(missing, 'add a row to CARD_SHOTS in test/e2e/card-screenshots.test.ts').toEqual([]);
  });

  it('has one entry per template and nothing else', () => {
    const names = CARD_SHOTS.map((shot) => shot.template);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => (CARD_TEMPLATES as readonly string[]).includes(name))).toBe(true);
  });
});

/** Without a colour emoji font Chromium draws the cards' ✅ as empty boxes: not for the README. */
function haveEmojiFont(): boolean {
  if (process.platform !== 'linux') return true;
  try {
    return /emoji/i.test(execFileSync('fc-list', { encoding: 'utf8' }));
  } catch {
    return true; // no fontconfig tool to ask: trust the machine
  }
}

/** Top-level cards only: a ShowCard action nests an .ac-adaptiveCard inside its card. */
const CARDS = '.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)';

/** The cards that arrived after the first `from` ones and contain `text`, in conversation order. */
async function newCardsWith(page: Page, from: number, text: string): Promise<Locator[]> {
  const cards = page.locator(CARDS);
  const found: Locator[] = [];
  for (let i = from; i < await cards.count(); i++) if ((await cards.nth(i).innerText()).includes(text)) found.push(cards.nth(i));
  return found;
}

/**
 * The card alone, whole. A card taller than the chat pane would come out with the playground's header over it and
 * blank above, so the window grows to hold it first (the chat pane fills the window's height).
 */
async function shoot(page: Page, card: Locator): Promise<Buffer> {
  const height = (await card.boundingBox())?.height ?? 0;
  if (height > VIEWPORT.height - CHROME_HEIGHT) await page.setViewportSize({ width: VIEWPORT.width, height: Math.ceil(height) + CHROME_HEIGHT });
  await card.scrollIntoViewIfNeeded();
  const box = await card.boundingBox();
  const viewport = page.viewportSize();
  expect(box && viewport && box.y >= 0 && box.y + box.height <= viewport.height, 'the card fits in the window').toBe(true);
  return card.screenshot({ animations: 'disabled' });
}

describe.skipIf(skipWithoutChromium('card screenshot test'))('a screenshot of each Adaptive Card (Agents Playground, local mode)', () => {
  let stack: LocalStack;
  let browser: Browser;
  let seed: Seed;

  beforeAll(async () => {
    if (UPDATE_DOCS && !haveEmojiFont()) throw new Error('SCBOT_UPDATE_DOCS=1 needs a colour emoji font (apt-get install -y fonts-noto-color-emoji)');
    browser = await launchChromium();
    stack = await startLocal({ port: 0, playground: { port: 0, cwd: browser.playgroundDir }, logger: createLogger({ level: 'silent' }) });
    seed = await loadSeed(DEMO_SEED_PATH);
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    if (UPDATE_DOCS) await mkdir(DOCS_DIR, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await browser?.close();
  });

  const title = (shot: CardShot) => `${shot.template} ← ${shot.say.map((step) => (typeof step === 'string' ? step : '…')).join(' → ')}`;
  it.each(CARD_SHOTS.map((shot) => [title(shot), shot] as const))('%s', async (_name, shot) => {
    // A fresh page per card: an empty chat view. The playground keeps one conversation id, though, so the bot's
    // state carries over between rows (the audit trail, the alert subscription and what it already posted).
    const page = await browser.context.newPage();
    try {
      await page.setViewportSize(VIEWPORT);
      await page.goto(stack.playground?.url ?? '');
      const cards = page.locator(CARDS);
      // The bot greets a new conversation with a card: let it arrive first, so it is never taken for an answer.
      await cards.first().waitFor({ state: 'visible' });
      let before = 0;
      for (const [i, step] of shot.say.entries()) {
        if (typeof step === 'function') {
          await step(stack);
          continue;
        }
        before = await cards.count();
        await sayInPlayground(page, step);
        // Each command is answered before the next is typed (the audit needs the rotate request recorded).
        if (i < shot.say.length - 1) await expect.poll(() => cards.count(), { timeout: CARD_TIMEOUT_MS }).toBeGreaterThan(before);
      }
      await expect.poll(async () => (await newCardsWith(page, before, shot.expectText)).length, { timeout: CARD_TIMEOUT_MS }).toBeGreaterThan(0);
      const matches = await newCardsWith(page, before, shot.expectText);
      const card = (shot.pick === 'first' ? matches[0] : matches.at(-1)) as Locator;

      const text = await card.innerText();
      const expected = typeof shot.contains === 'function' ? shot.contains(seed) : shot.contains;
      expect(expected.length).toBeGreaterThan(0);
      for (const part of expected) expect(text).toContain(part);
      expect(await page.locator('body').innerText()).not.toContain('SEEDSECRET-');
      // What a person reads as the Playground draws it (hidden details excluded): no internal code, no word cut in two.
      expect(text.match(RAW_CODE) ?? [], 'raw codes up front').toEqual([]);
      expect(text.split('\n').filter((line) => MID_WORD_CUT.test(line)), 'words cut in two').toEqual([]);

      const height = (await card.boundingBox())?.height ?? Infinity;
      const png = await shoot(page, card);
      await writeFile(path.join(ARTIFACTS_DIR, `${shot.template}.png`), png);
      // The height budget at Teams' chat width (card-checks.ts): a chat opens at a card's end, so its start stays in reach.
      expect(height, `${shot.template} is ${Math.round(height)} px tall`).toBeLessThanOrEqual(CARD_HEIGHT_BUDGET_PX.default);
      if (UPDATE_DOCS) await writeFile(path.join(DOCS_DIR, `${shot.template}.png`), png);
    } finally {
      await page.close();
    }
  }, 60_000);
});
