import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type LocalStack } from '../../bot/local-mode';
import { startPlayground, type PlaygroundHandle } from '../../bot/playground';
import { createLogger } from '../../src/logging';
import { launchChromium, skipWithoutChromium, type Browser } from '../support/chromium';
import { sayInPlayground } from '../support/playground-page';

/**
 * Approval seen in the Agents Playground: the playground's user asks `rotate sc-prod`, taps Approve on their own
 * plan and is refused (four-eyes); a second user approves, and the card in the browser turns into the outcome.
 * The playground has no way to switch user inside a personal chat, so the second user's tap is the browser's own
 * invoke replayed over HTTP with another `from` (same serviceUrl, conversation and replyToId, so the bot updates
 * the very card the browser shows). The playground talks to the bot through a recording pass-through, which is
 * how the test learns that invoke without editing the bot. Chromium rules as in playground-browser.test.ts.
 */
const ARTIFACTS = path.resolve('test-artifacts');
/** A second person: one of the playground's built-in demo users (not the current user, Alex Wilber). */
const SECOND_USER = { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: '00000000-0000-0000-0000-0000000000021' };


interface Invoke { type: string; name?: string; from?: { id?: string }; value?: { action?: { verb?: string } } }

/** Forwards every POST to the bot unchanged and keeps the activity bodies it saw. */
async function startRecorder(target: string): Promise<{ url: string; seen: Invoke[]; server: Server }> {
  const seen: Invoke[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (body) seen.push(JSON.parse(body) as Invoke);
      fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        .then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(await answer.text());
        })
        .catch(() => { res.writeHead(502); res.end(); });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`, seen, server };
}

describe.skipIf(skipWithoutChromium('playground approval test'))('approval in the Agents Playground (local mode)', () => {
  let stack: LocalStack;
  let playground: PlaygroundHandle;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    context = browser.context;
    stack = await startLocal({ port: 0, playground: false, logger: createLogger({ level: 'silent' }) });
    recorder = await startRecorder(stack.botEndpoint);
    playground = await startPlayground({ botEndpoint: recorder.url, port: 0, cwd: browser.playgroundDir });
  }, 60_000);

  afterAll(async () => {
    await stack?.approvals.idle();
    await playground?.close();
    await new Promise((resolve) => (recorder ? recorder.server.close(resolve) : resolve(undefined)));
    await stack?.close();
    await browser?.close();
  });

  it('refuses the requester\'s own approval, then a second user approves and the card shows the outcome', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto(playground.url);
    await sayInPlayground(page, 'rotate sc-prod');

    const card = page.locator('.ac-adaptiveCard').last();
    await expect.poll(() => card.innerText(), { timeout: 10_000 }).toContain('What will happen');
    const approve = card.getByRole('button', { name: 'Approve', exact: true });
    await approve.waitFor({ state: 'visible' });
    await expect(card.getByRole('button', { name: 'Reject' }).isVisible()).resolves.toBe(true);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-approval-waiting.png'), fullPage: true });

    // The playground's user is the requester: four-eyes refuses, and the browser shows why.
    await approve.click();
    await expect.poll(() => page.locator('body').innerText(), { timeout: 10_000 }).toContain('cannot approve your own request');
    const tap = recorder.seen.find((a) => a.type === 'invoke' && a.value?.action?.verb === 'approve');
    expect(tap).toBeDefined();

    // The same tap by a second person, straight to the bot: it answers at once and executes in the background.
    const rotations = () => stack.devops.requests.entries().filter((r) => r.method === 'PUT').length;
    const before = rotations();
    const answer = await fetch(stack.botEndpoint, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...tap, id: `pg-${randomUUID()}`, from: SECOND_USER }),
    });
    expect(answer.status).toBe(200);
    await stack.approvals.idle();
    expect(rotations() - before).toBe(1);

    const outcome = page.locator('.ac-adaptiveCard', { hasText: '✅ sc-prod: secret rotated' });
    await outcome.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await outcome.innerText()).toContain('Run by scbot');
    expect(await page.locator('body').innerText()).not.toContain('SEEDSECRET-');
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-approval-done.png'), fullPage: true });
  }, 90_000);

  it('in the browser alone: the requester taps "Approve as Ben Approver (local demo)" on the preview and the card shows the outcome', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto(playground.url);
    await sayInPlayground(page, 'rotate sc-staging');
    const card = page.locator('.ac-adaptiveCard', { hasText: 'Rotate the secret of sc-staging' }).last();
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    // Offered on the preview itself: no refused tap on Approve first.
    const demo = card.getByRole('button', { name: 'Approve as Ben Approver (local demo)' });
    await demo.waitFor({ state: 'visible', timeout: 10_000 });
    const rotations = () => stack.devops.requests.entries().filter((r) => r.method === 'PUT').length;
    const before = rotations();
    await demo.click();
    const outcome = page.locator('.ac-adaptiveCard', { hasText: 'Rotate the secret of sc-staging' }).filter({ hasText: '✅ sc-staging: secret rotated' });
    await outcome.first().waitFor({ state: 'visible', timeout: 15_000 });
    await stack.approvals.idle();
    expect(rotations() - before).toBe(1);
    expect(await page.locator('body').innerText()).not.toContain('SEEDSECRET-');
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-approval-demo-approver.png'), fullPage: true });
  }, 90_000);
});
