import { describe, expect, it } from 'vitest';
import { createCommandRegistry, echo, tokenize } from '../../src/commands';
import { closestMatches } from '../../src/commands/closest';
import { MAX_INPUT_CHARS } from '../../src/commands/tokenizer';
import { echoArg, HIDDEN_ARG } from '../../src/commands/echo-arg';
import { REDACTED } from '../../src/commands/secret-guard';
import { buildDetailView } from '../../src/cards/connection-detail-view';
import { cardText } from '../../src/cards/format';
import type { ConnectionRow } from '../../src/cards/connection-list-view';
import { buildListView } from '../../src/cards/connection-list-view';
import { buildMessageView } from '../../src/cards/message-view';
import { buildPlanView } from '../../src/cards/plan-preview-view';
import type { CardTemplateName } from '../../src/cards/render';
import { renderCard } from '../../src/cards/render';
import { parseErrors, TEAMS_LIMIT_BYTES } from '../support/adaptive-cards';
import { commandContext, NOW, SC_BROKEN } from './commands-fixture';
import { bulkConvert } from './plan-card-fixture';
import { buildAlertView } from '../../src/cards/alert-view';
import { findingOf } from './alert-fixture';

/** The counterexamples the fuzz tests found, kept as plain examples so they never come back unnoticed. */
const registry = createCommandRegistry();
const run = (text: string) => registry.dispatch(tokenize(text), commandContext());
const SECRET = 'abc8Q~Zx9yW7vU5tS3rQ1pO-nM_lK.jI0hG2fE4d';
const EMOJI_WALL = '🚀'.repeat(6_000);

function cardBytes(name: CardTemplateName, view: object): number {
  const card = renderCard(name, view);
  expect(parseErrors(card)).toEqual([]);
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

describe('fuzz findings: tokenizer and replies', () => {
  it('an out-of-range numeric entity becomes U+FFFD instead of throwing RangeError', () => {
    expect(tokenize('list &#99999999999;').map((t) => t.value)).toEqual(['list', '\ufffd']);
    expect(tokenize('&#x110000; &#x1F680;').map((t) => t.value)).toEqual(['\ufffd', '🚀']);
  });

  it('tags without a closing bracket cost linear time (">"-less "<" × 1,000,000 used to take minutes)', () => {
    // No timing assertion: before the fix these calls alone ran far past the test timeout.
    expect(tokenize('<'.repeat(1_000_000))).toEqual([{ value: '<'.repeat(MAX_INPUT_CHARS), quoted: false }]);
    expect(tokenize('<at x'.repeat(200_000)).length).toBeGreaterThan(0);
    expect(tokenize(`</at>${'<at>'.repeat(100_000)}`).length).toBeLessThanOrEqual(1);
    expect(tokenize('<p><at>scbot</at>&nbsp;show <b>sc-prod</b> <at id="1">Other Bot</at></p>').map((t) => t.value)).toEqual(['show', 'sc-prod']);
  });

  it('"did you mean" skips candidates whose length alone rules them out', () => {
    const names = Array.from({ length: 500 }, (_, i) => `connection-number-${i}-${'y'.repeat(40)}`);
    expect(closestMatches('q'.repeat(20_000), names)).toEqual([]);
    expect(closestMatches(`${'q'.repeat(2_000)} sc-prod`, ['sc-prod', 'sc-dev'])).toEqual(['sc-prod']);
    expect(closestMatches('sc-prd', ['sc-prod', 'sc-pr', 'sc-dev', 'other'])).toEqual(['sc-pr', 'sc-prod']);
  });

  it('a pasted wall of text is not echoed back as a wall', async () => {
    const wall = 'abcdefghij'.repeat(500);
    for (const input of [`show ${wall}`, `list ${wall} ${wall}`, `list in ${wall}`, `rotate ${wall}`, `${wall}`]) {
      const reply = await run(input);
      expect(reply.text.length).toBeLessThanOrEqual(600);
      expect(JSON.stringify(reply)).not.toContain('abcdefghij'.repeat(10));
    }
  });

  it('a secret typed after a read-only verb is not echoed (`list <secret>` used to repeat it)', async () => {
    for (const input of [`list ${SECRET}`, `show ${SECRET}`, `show x in ${SECRET}`, `${SECRET}`, `list all type x ${SECRET}`]) {
      const reply = JSON.stringify(await run(input));
      expect(reply).not.toContain(SECRET);
      expect(reply).not.toContain(SECRET.slice(0, 20));
    }
  });

  it('echo() and echoArg() hide secret-looking words and cut long ones', () => {
    expect(echo(tokenize(`show ${SECRET}`))).toBe(`show ${REDACTED}`);
    expect(echoArg(SECRET)).toBe(HIDDEN_ARG);
    expect(echoArg(`my ${SECRET} conn`)).toBe(HIDDEN_ARG);
    expect(echoArg('x'.repeat(500))).toHaveLength(80);
    expect(echoArg('sc-prod')).toBe('sc-prod');
  });
});

describe('fuzz findings: card sizes and text', () => {
  it('cardText drops control characters, repairs lone surrogates and cuts by characters', () => {
    expect(cardText('a\u0000b\u001bc\nd', 10)).toBe('abc\nd');
    expect(cardText('x\ud800y\udfffz', 10)).toBe('x\ufffdy\ufffdz');
    expect(cardText('🚀🚀🚀', 2)).toBe('🚀…');
  });

  it('a page of 40 rows whose every field is 6,000 emoji still fits Teams', () => {
    const rows: ConnectionRow[] = Array.from({ length: 500 }, (_, i) => ({
      project: `${EMOJI_WALL}${i % 40}`, name: EMOJI_WALL, type: EMOJI_WALL, scheme: EMOJI_WALL, mode: EMOJI_WALL, state: 'Failed', sharedWith: 3,
    }));
    const view = buildListView({ rows, filter: 'all', hiddenFailed: 0, projectCount: 40, page: 2, command: `list all in ${EMOJI_WALL}` });
    expect(cardBytes('connection-list', view)).toBeLessThan(TEAMS_LIMIT_BYTES);
  });

  it('a detail card with a 6 KB failure message (control characters included) fits Teams', () => {
    const endpoint = { ...SC_BROKEN, name: EMOJI_WALL, url: EMOJI_WALL, operationStatus: { state: 'Failed', statusMessage: '\u0000'.repeat(3_000) + EMOJI_WALL } };
    expect(cardBytes('connection-detail', buildDetailView({ endpoint, project: EMOJI_WALL, executions: [], now: NOW }))).toBeLessThan(TEAMS_LIMIT_BYTES);
  });

  it('a message card with six 6,000-emoji lines and five long buttons fits Teams', () => {
    const lines = Array.from({ length: 10 }, () => EMOJI_WALL);
    const actions = Array.from({ length: 10 }, () => ({ title: EMOJI_WALL, command: EMOJI_WALL }));
    expect(cardBytes('message', buildMessageView(EMOJI_WALL, lines, actions))).toBeLessThan(TEAMS_LIMIT_BYTES);
  });

  it('a 500-connection plan with long project names and skip reasons fits Teams', () => {
    const plan = bulkConvert(500, (i) => `${EMOJI_WALL.slice(0, 400)}${i}`);
    const fuzzed = { ...plan, items: plan.items.map((item) => ({ ...item, projectName: EMOJI_WALL })), skipped: plan.skipped.map((s) => ({ ...s, projectName: EMOJI_WALL, reason: EMOJI_WALL })) };
    expect(cardBytes('plan-preview', buildPlanView(fuzzed))).toBeLessThan(TEAMS_LIMIT_BYTES);
  });

  it('template syntax in data is shown literally, never evaluated', () => {
    const row: ConnectionRow = { project: '${$root.title}', name: '${1+1}', type: '{{x}}', scheme: '$root', mode: '-', state: 'Ready', sharedWith: 1 };
    const json = JSON.stringify(renderCard('connection-list', buildListView({ rows: [row], filter: 'all', hiddenFailed: 0, projectCount: 1, page: 1, command: 'list all' })));
    expect(json).toContain('**${1+1}** · {{x}} · $root');
    expect(json).toContain('${$root.title} (1)');
    expect(json).not.toContain('**2**');
  });

  it('an alert whose dates do not parse (shown as given) still fits Teams: the dates are bounded too', () => {
    const wall = '\ud800'.repeat(9_000);
    const finding = findingOf('secret-expiring', 1, { name: EMOJI_WALL, project: EMOJI_WALL, detail: EMOJI_WALL, dueAt: wall, since: `\${1+1}${wall}` });
    expect(cardBytes('alert', buildAlertView(finding))).toBeLessThan(TEAMS_LIMIT_BYTES);
  });
});
