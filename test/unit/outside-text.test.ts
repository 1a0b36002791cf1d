/**
 * Outside text (names, descriptions, failure messages from Azure DevOps, Graph or a user) is shown literally: no
 * markdown survives, hidden and look-alike characters are shown as code points. The browser test checks what the
 * Playground renders; these check the one function every view uses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inlineCode, outsideProse, outsideText, visibleText } from '../../src/cards/outside-text';
import { hostileName } from '../support/hostile-names';

/** Positions of characters a TextBlock could read as markdown: not escaped by an odd run of backslashes. */
function livePositions(text: string): number[] {
  const live: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    let slashes = 0;
    while (i - slashes - 1 >= 0 && text[i - slashes - 1] === '\\') slashes += 1;
    if (slashes % 2 === 0 && '*[]<>&`~'.includes(text[i] as string)) live.push(i);
  }
  return live;
}

/**
 * The live markup left once code spans of plain text (literal on every client, with or without code span
 * support) are set aside: a pair of live backticks around text with nothing live and not only spaces.
 */
function liveMarkup(text: string): string[] {
  const live = livePositions(text);
  const ticks = live.filter((i) => text[i] === '`');
  const spans = new Set<number>();
  for (let k = 0; k + 1 < ticks.length; k += 2) {
    const [open, close] = [ticks[k] as number, ticks[k + 1] as number];
    const inside = text.slice(open + 1, close);
    if (inside.trim() !== '' && !live.some((i) => i > open && i < close)) spans.add(open).add(close);
  }
  return live.filter((i) => !spans.has(i)).map((i) => text[i] as string);
}

describe('outside text', () => {
  it('neutralises links, emphasis, lists, entities and tags', () => {
    expect(outsideText('[Approve as admin](https://evil.example/approve)', 200)).toBe('\\[Approve as admin\\]\\(https://evil.example/approve)');
    expect(outsideText('**URGENT**', 80)).toBe('\\*\\*URGENT\\*\\*');
    expect(outsideText('_urgent_', 80)).toBe('\\_urgent\\_');
    expect(outsideText('sc_prod_eu', 80)).toBe('sc_prod_eu');
    expect(outsideText('sc&#45;prod', 80)).toBe('sc\\&#45;prod');
    expect(outsideText('sc-prod<i>', 80)).toBe('sc-prod\\<i\\>');
    expect(outsideText('- item', 80)).toBe('\\- item');
    expect(outsideText('1. item', 80)).toBe('1\\. item');
    expect(outsideText('# heading', 80)).toBe('\\# heading');
    expect(outsideText('line one\n- two\r\n1. three', 80)).toBe('line one - two 1. three');
  });

  it('shows hidden, reordering and look-alike characters as code points', () => {
    expect(visibleText('sc-prod\u200b', 80)).toBe('sc-prod⟨U+200B⟩');
    expect(visibleText('abc\u202edef', 80)).toBe('abc⟨U+202E⟩def');
    expect(visibleText('sc\u2010prod', 80)).toBe('sc⟨U+2010⟩prod');
    expect(visibleText('ѕс-prod', 80)).toBe('⟨U+0455⟩⟨U+0441⟩-prod');
    expect(visibleText('\uff53c-prod', 80)).toBe('⟨U+FF53⟩c-prod');
    expect(visibleText('a\u00a0b', 80)).toBe('a⟨U+00A0⟩b');
    expect(visibleText('bell\u0007', 80)).toBe('bell⟨U+0007⟩');
  });

  it('leaves ordinary names, prose dashes and whole words of one script as they are', () => {
    for (const name of ['sc-prod', 'sc prod — Zürich', 'прод-сервис', 'Zählerstand – 接続 – 🚀', 'Data Science']) expect(visibleText(name, 80)).toBe(name);
  });

  it('keeps a code span only when it is literal on every client', () => {
    expect(inlineCode('show sc-prod in Payments', 80)).toBe('`show sc-prod in Payments`');
    expect(inlineCode('show "[x](https://e)"', 80)).toBe('"show "\\[x\\]\\(https://e)""');
    expect(outsideProse('say `revert sc-prod` now', 80)).toBe('say `revert sc-prod` now');
    expect(outsideProse('say `revert **x**` now', 80)).toBe('say "revert \\*\\*x\\*\\*" now');
    expect(outsideProse('a `` b', 80)).toBe('a \\`\\` b');
    expect(inlineCode('', 80)).toBe('""');
  });

  it('no hostile name leaves live markup or a hidden character (fast-check)', () => {
    fc.assert(fc.property(fc.oneof(hostileName, fc.string({ maxLength: 60 })), (name) => {
      for (const shown of [outsideText(name, 300), outsideProse(name, 300), inlineCode(name, 300)]) {
        expect(liveMarkup(shown)).toEqual([]);
        expect(shown).not.toMatch(/[\p{Cc}\p{Cf}\u00a0\u2000-\u200a\u2028\u2029\u202f\u3000]/u);
        expect(shown).not.toMatch(/\]\(/);
      }
    }), { numRuns: 1_000 });
  });
});
