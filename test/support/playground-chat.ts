import type { Page } from 'playwright-core';
import type { Seed } from '@scbot/stand-ins';
import { startLocal, type LocalStack } from '../../bot/local-mode';
import { createLogger } from '../../src/logging';
import { launchChromium, type Browser } from './chromium';
import { botMessages } from './playground-page';

/** Local mode with the Agents Playground, and one Chromium page on its chat. */
export interface PlaygroundChat {
  stack: LocalStack;
  browser: Browser;
  page: Page;
  /** Lets running approvals finish, then stops the bot and the browser. */
  close(): Promise<void>;
}

/**
 * Local mode (a seed, else the demo seed) with the Playground in headless Chromium, a page on its chat at a laptop's
 * size, opened once the bot's greeting has arrived, so a test's first answer is never taken for the greeting.
 */
export async function openPlaygroundChat(seed?: Seed): Promise<PlaygroundChat> {
  const browser = await launchChromium();
  let stack: LocalStack | undefined;
  try {
    stack = await startLocal({ port: 0, ...(seed ? { seed } : {}), playground: { port: 0, cwd: browser.playgroundDir }, logger: createLogger({ level: 'silent' }) });
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 1600 });
    await page.goto(stack.playground?.url ?? '');
    await botMessages(page).first().waitFor({ state: 'visible' });
    const started = stack;
    return {
      stack: started, browser, page,
      close: async () => {
        await started.approvals.idle();
        await started.close();
        await browser.close();
      },
    };
  } catch (error) {
    await stack?.close();
    await browser.close();
    throw error;
  }
}
