import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CARD_TEMPLATES } from '../../src/cards/render';

/**
 * docs/commands.md shows every Adaptive Card as a screenshot in docs/cards/, taken by test/e2e/card-screenshots.test.ts
 * (regenerate: SCBOT_UPDATE_DOCS=1 npx vitest run test/e2e/card-screenshots.test.ts). No browser here: the files
 * must be there, be real PNGs of a card's size, and be linked from docs/commands.md (the README shows a few).
 */
const root = new URL('../../', import.meta.url);
const REGENERATE = 'SCBOT_UPDATE_DOCS=1 npx vitest run test/e2e/card-screenshots.test.ts';

/** Width and height from the IHDR chunk, which a PNG must start with right after its 8-byte signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG (signature)');
  if (bytes.length < 33 || bytes.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG (no IHDR first)');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('card screenshots in docs/', () => {
  it.each(CARD_TEMPLATES)('docs/cards/%s.png is a PNG of a card', (name) => {
    const file = new URL(`docs/cards/${name}.png`, root);
    expect(existsSync(file), `docs/cards/${name}.png is missing: ${REGENERATE}`).toBe(true);
    const bytes = readFileSync(file);
    const { width, height } = pngSize(bytes);
    // A card in a ~900 px window: a few hundred pixels wide, from one line to a long plan preview.
    expect(width).toBeGreaterThanOrEqual(200);
    expect(width).toBeLessThanOrEqual(1000);
    expect(height).toBeGreaterThanOrEqual(60);
    expect(height).toBeLessThanOrEqual(4000);
    expect(bytes.length).toBeGreaterThan(2_000);
  });

  it.each(CARD_TEMPLATES)('docs/commands.md shows docs/cards/%s.png', (name) => {
    const page = readFileSync(new URL('docs/commands.md', root), 'utf8');
    const image = new RegExp(`!\\[[^\\]\\n]+\\]\\(cards/${name}\\.png\\)`);
    expect(image.test(page), `docs/commands.md has no ![${name} card](cards/${name}.png): add it under ## Cards`).toBe(true);
  });

  it('rejects what is not a PNG', () => {
    expect(() => pngSize(Buffer.from('GIF89a not a png at all, just some bytes'))).toThrow(/signature/);
  });
});
