import { describe, expect, it } from 'vitest';
import { errorText } from '../../src/cards/error-text';
import { refusalText } from '../../src/commands/request-gate';

/**
 * A refusal repeats the command that was not run inside its own code span. What was typed is outside text: a
 * right-to-left override or a zero-width space must show as what it is (a reader must not see `rotate sc-dev` where
 * `rotate sc-ved` was typed), and a backtick must not close the span and let the rest render as markdown.
 */
describe('the command a refusal or an error repeats', () => {
  const hostile = 'rotate sc-\u202Eved\u200B `[Approve](https://evil.example)`';

  it('shows hidden characters by code point and keeps the whole echo inside one code span (refusal)', () => {
    const text = refusalText('NOT_A_REQUESTER', hostile, 'ref-1');
    expect(text).toContain('⟨U+202E⟩');
    expect(text).toContain('⟨U+200B⟩');
    expect(text).not.toContain('\u202E');
    // Exactly the span's own two backticks around the echo.
    const echo = /\(`([^`]*)` was not run\.\)/.exec(text);
    expect(echo?.[1]).toContain("'[Approve](https://evil.example)'");
  });

  it('echoes the same way in an error reply', () => {
    const text = errorText('INTERNAL', hostile, 'ref-2');
    expect(text).toContain('⟨U+202E⟩');
    expect(text).not.toContain('\u200B');
    expect(/\(while running `([^`]*)`\)/.exec(text)?.[1]).toContain("'[Approve]");
  });
});
