import type { Page } from 'playwright-core';

/** Types a message into the Agents Playground's compose box and sends it. */
export async function sayInPlayground(page: Page, text: string): Promise<void> {
  // The playground has two contenteditable areas (message box and its log panel): the box is the textbox.
  const box = page.locator('[contenteditable="true"][role="textbox"]');
  await box.waitFor({ state: 'visible' });
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}
