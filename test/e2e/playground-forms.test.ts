import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutChromium } from '../support/chromium';
import { botMessages, sayInPlayground } from '../support/playground-page';
import { openPlaygroundChat, type PlaygroundChat } from '../support/playground-chat';

/**
 * Issue 27's `create` form, in the Agents Playground in headless Chromium: `create` typed alone answers with a form
 * (Input.Text, Input.ChoiceSet, Input.Toggle), filled in by typing and picking as a person would; "Preview the
 * plan" sends it, and the ordinary plan card comes back.
 */
const ARTIFACTS = path.resolve('test-artifacts');
const SUB = '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';
const APP = '3e7a9c1b-5d2f-5a8e-b4c6-1f0d2e3a4b5c';

describe.skipIf(skipWithoutChromium('playground forms test'))('the create form, filled in the Agents Playground (local mode)', () => {
  let chat: PlaygroundChat;
  let page: Page;

  beforeAll(async () => {
    chat = await openPlaygroundChat();
    ({ page } = chat);
    await mkdir(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(() => chat?.close());

  async function nextAnswer(act: () => Promise<void>, text: string): Promise<Locator> {
    const before = await botMessages(page).count();
    await act();
    await expect.poll(() => botMessages(page).count(), { timeout: 15_000 }).toBeGreaterThan(before);
    const answer = botMessages(page).last();
    await expect.poll(() => answer.innerText(), { timeout: 15_000 }).toContain(text);
    return answer;
  }

  /** A field by the start of its label (the Playground adds a required marker after it). */
  const field = (form: Locator, label: string, role: 'textbox' | 'combobox' = 'textbox') => form.getByRole(role, { name: new RegExp(`^${label}`) });

  /** A filtered ChoiceSet, as the Playground draws it: a combobox; typing narrows its list, a click picks. */
  async function choose(form: Locator, label: string, title: string): Promise<void> {
    const box = field(form, label, 'combobox');
    await box.click();
    await box.fill(title);
    await page.getByRole('option', { name: title, exact: true }).click();
  }

  it('`create` → the form → filled in and sent → the plan card', async () => {
    const form = await nextAnswer(() => sayInPlayground(page, 'create'), 'Create: fill in what is missing');
    await writeFile(path.join(ARTIFACTS, 'playground-create-form.html'), await form.innerHTML());
    await field(form, 'Name of the new connection').fill('sc-form-browser');
    await choose(form, 'Project', 'Payments');
    await choose(form, 'Azure subscription', `payments-deploy (${SUB})`);
    await field(form, 'Existing app registration').fill(APP);
    await choose(form, 'Azure role on the scope', 'Contributor');
    await field(form, 'Pipelines that may use it').fill('payments-deploy');
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-create-form.png'), fullPage: true });
    const plan = await nextAnswer(() => form.getByRole('button', { name: 'Preview the plan', exact: true }).click(), 'sc-form-browser');
    const text = await plan.innerText();
    expect(text).toContain('Payments');
    expect(await plan.getByRole('button', { name: /Approve/ }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-create-plan.png'), fullPage: true });
  }, 90_000);
});
