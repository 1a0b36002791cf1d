import { describe, expect, it } from 'vitest';
import { chatText, present } from '../../src/cards/presenter';
import { messageCard } from '../../src/cards/message-view';

describe('chat text for Teams markdown', () => {
  it('turns <placeholders> into ‹placeholders›, which Teams would drop or show as &lt;name&gt;', () => {
    expect(chatText('Usage: `rotate <name> [in <project>]`.')).toBe('Usage: `rotate ‹name› [in ‹project›]`.');
  });

  it('leaves a lone < or > alone', () => {
    expect(chatText('a < b and c > d, 1 → 2')).toBe('a < b and c > d, 1 → 2');
  });

  it('a text reply and a card reply\'s summary both get it', () => {
    expect(present({ kind: 'text', text: 'show <name>' }).text).toBe('show ‹name›');
    expect(present({ kind: 'card', text: 'show <name>', view: messageCard('t', []) }).text).toBe('show ‹name›');
  });
});
