import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/**
 * Debian's Chromium (apt-get install -y chromium), never a downloaded browser; CHROMIUM_PATH names another system
 * one (e.g. on a laptop). Under CI=true a missing browser fails the suite; elsewhere it is skipped with a reason.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const haveChromium = existsSync(CHROMIUM);

/** True when the suite should be skipped (no Chromium, not in CI); says why once. */
export function skipWithoutChromium(suite: string): boolean {
  const skip = !haveChromium && process.env.CI !== 'true';
  if (skip) console.warn(`${suite} skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);
  return skip;
}

export interface Browser {
  context: BrowserContext;
  /** A fresh directory for the playground's own files (it writes devTools/ logs beside its config). */
  playgroundDir: string;
  close(): Promise<void>;
}

/** A fresh profile, headless, loopback-only flags; fails loudly in CI when Chromium is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs it with apt-get install -y chromium`);
  const [playgroundDir, profileDir] = await Promise.all([mkdtemp(path.join(tmpdir(), 'scbot-pg-')), mkdtemp(path.join(tmpdir(), 'scbot-chromium-'))]);
  const context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  context.setDefaultTimeout(20_000);
  return {
    context, playgroundDir,
    close: async () => {
      await context.close();
      await Promise.all([playgroundDir, profileDir].map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}
