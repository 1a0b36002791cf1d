/**
 * Outside text (names, descriptions, failure messages from Azure DevOps, Graph or a user) is shown literally: no
 * markdown survives, hidden and look-alike characters are shown as code points. The browser test checks what the
 * Playground renders; these check the one function every view uses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inlineCode, outsideProse, outsideText, visibleText } from '../../src/cards/outside-text';
import { hostileName } from '../support/hostile-names';

/** Markdown a TextBlock could read, left unescaped (a backslash before it is its own escape only if unescaped). */
function liveMarkup(text: string): string[] {
  const live: string[] = [];
  for (let i = 0; i < text.length; i += 1) {
    let slashes = 0;
    while (i - slashes - 1 >= 0 && text[i - slashes - 1] === '\\') slashes += 1;
    const ch = text[i] as string;
    if (slashes % 2 === 0 && '*[]<>&`~'.includes(ch)) live.push(ch);
  }
  return live;
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
  });

  it('no hostile name leaves live markup or a hidden character (fast-check)', () => {
    fc.assert(fc.property(fc.oneof(hostileName, fc.string({ maxLength: 60 })), (name) => {
      for (const shown of [outsideText(name, 300), outsideProse(name, 300), inlineCode(name, 300).replace(/^`([^`]*)`$/, '$1')]) {
        expect(liveMarkup(shown)).toEqual([]);
        expect(shown).not.toMatch(/[\p{Cc}\p{Cf}\u00a0\u2000-\u200a\u2028\u2029\u202f\u3000]/u);
        expect(shown).not.toMatch(/\]\(/);
      }
    }), { numRuns: 1_000 });
  });
});
