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

/** The bot's messages in the Playground's chat, oldest first: each is one output card (holding a card or a text). */
export function botMessages(page: Page) {
  return page.locator('.fai-OutputCard');
}

/** Relative luminance and contrast ratio (WCAG 2.x), run inside the page on computed colours. */
const CONTRAST_PROBE = `(() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null; const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => { for (let n = el; n; n = n.parentElement) { const c = parse(getComputedStyle(n).backgroundColor); if (c && c.a > 0.5) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
  const out = [];
  for (const el of document.querySelectorAll('.ac-adaptiveCard .ac-textBlock, .ac-adaptiveCard .ac-textRun, .ac-adaptiveCard .ac-fact-title, .ac-adaptiveCard .ac-fact-value')) {
    const text = el.innerText.trim(); if (!text || el.offsetParent === null) continue;
    const fg = parse(getComputedStyle(el).color); if (!fg) continue;
    const bg = background(el);
    const mix = { r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a) };
    const [hi, lo] = [lum(mix), lum(bg)].sort((x, y) => y - x);
    out.push({ text: text.slice(0, 60), ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100, color: getComputedStyle(el).color, background: 'rgb(' + bg.r + ',' + bg.g + ',' + bg.b + ')' });
  }
  return out;
})()`;

/** Card texts on the page whose contrast with what is rendered behind them is below `min` (WCAG AA: 4.5). */
export async function lowContrastTexts(page: Page, min: number): Promise<Array<{ text: string; ratio: number; color: string; background: string }>> {
  const all = (await page.evaluate(CONTRAST_PROBE)) as Array<{ text: string; ratio: number; color: string; background: string }>;
  return all.filter((t) => t.ratio < min);
}
