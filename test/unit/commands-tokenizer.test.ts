import { describe, expect, it } from 'vitest';
import { echo, normalizeText, tokenize } from '../../src/commands';

const values = (text: string, mentionTexts?: string[]) => tokenize(text, { mentionTexts }).map((t) => t.value);

describe('tokenizer', () => {
  it('removes the bot mention Teams puts in a channel message', () => {
    expect(values('<at>scbot</at> list failed')).toEqual(['list', 'failed']);
    expect(values('<at id="0">scbot</at>&nbsp;show sc-prod')).toEqual(['show', 'sc-prod']);
  });

  it('removes the text of mention entities addressed to the bot', () => {
    expect(values('@scbot list all', ['@scbot'])).toEqual(['list', 'all']);
    expect(values('list @scbot failed', ['<at>@scbot</at>'])).toEqual(['list', 'failed']);
  });

  it('strips the HTML and entities Teams adds and collapses whitespace', () => {
    expect(normalizeText('<p>show&nbsp;&nbsp;sc-prod</p><p>in&#160;Payments</p>')).toBe('show sc-prod in Payments');
    expect(normalizeText('  list \t\n  all\u200b ')).toBe('list all');
    expect(normalizeText('show a&amp;b')).toBe('show a&b');
  });

  it('keeps quoted names together and marks them quoted', () => {
    expect(tokenize('show "my connection" in \'Data Science\'')).toEqual([
      { value: 'show', quoted: false }, { value: 'my connection', quoted: true },
      { value: 'in', quoted: false }, { value: 'Data Science', quoted: true },
    ]);
  });

  it('accepts smart quotes from phones and Teams', () => {
    expect(values('show “my connection” in ‘Data Science’')).toEqual(['show', 'my connection', 'in', 'Data Science']);
    expect(values('show &quot;a b&quot;')).toEqual(['show', 'a b']);
  });

  it('treats an unclosed quote and apostrophes inside words as plain text', () => {
    expect(values('show "half open')).toEqual(['show', '"half', 'open']);
    expect(values("show don't")).toEqual(['show', "don't"]);
  });

  it('keeps case (verbs are matched case-insensitively by the registry, names as typed)', () => {
    expect(values('LIST Failed')).toEqual(['LIST', 'Failed']);
  });

  it('keeps "blacklist" one word: it is not "list"', () => {
    expect(values('blacklist')).toEqual(['blacklist']);
  });

  it('returns nothing for a bare mention', () => {
    expect(tokenize('<at>scbot</at>&nbsp;')).toEqual([]);
  });

  it('echoes a command back in one short line, re-quoting names with spaces', () => {
    expect(echo(tokenize('show "my conn" in Payments'))).toBe('show "my conn" in Payments');
    expect(echo(tokenize(`show ${'x'.repeat(300)}`))).toHaveLength(120);
  });
});
