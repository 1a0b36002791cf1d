import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommandContext, Reply } from '../../src/commands';
import { createCommandRegistry, normalizeText, tokenize } from '../../src/commands';
import { parseErrors, TEAMS_LIMIT_BYTES } from '../support/adaptive-cards';
import { looksLikeSecret } from '../../src/commands/secret-guard';
import { InMemoryPlanRepository } from '../support/in-memory-plan-repository';
import { commandContext } from './commands-fixture';
import { renderView } from '../../src/cards/presenter';

/**
 * Property-based fuzzing of what a user can type: whatever arrives, the parser does not throw and the registry
 * answers with a short, clear reply (no stack, no wall of echoed input, no secret). Runs are bounded so the file
 * stays well under a few seconds; fast-check prints the seed and the shrunk counterexample on failure.
 */
const registry = createCommandRegistry();
const REPLY_TEXT_MAX = 600;
/** The longest run of the user's own text a reply may repeat (names are echoed, walls of text are not). */
const ECHO_WINDOW = 200;

const VERBS = ['list', 'ls', 'show', 'get', 'describe', 'help', 'commands', 'rotate', 'delete', 'convert', 'revert', 'LIST', 'Show'];
const WORDS = ['in', 'type', 'page', 'from', 'keyvault', 'expires', 'failed', 'all', 'everywhere', 'deep', 'sc-prod', 'sc-common',
  'sc-broken', 'ml workspace', 'Payments', 'Platform', 'Data Science', 'azurerm', '2', '0', '-1', '99999', '90d', '9999d', 'kv/x'];
const NASTY = ['<at>scbot</at>', '<', '<at x', '</at>', '<a href="', '<at id="0">scbot</at>', '<p>', '</p>', '<br/>', '<div>', '&nbsp;', '&amp;', '&lt;', '&#39;', '&#0;',
  '&#x110000;', '&#99999999999;', '&#xD800;', '&#x1F680;', '"', "'", '\u201c', '\u201d', '\u2018', '\u2019', '\u201e', '${1+1}', '${',
  '$root', '{{', '}}', '{"type":"message"}', '[1,2]', '\u0000', '\u0007', '\u001b[31m', '\r\n', '\t', '\u200b', '\u202e', '\ud800',
  '\udfff', '🚀', '👩‍👩‍👧', 'ﷺ', 'مرحبا', '`', '**', '[x](https://example.com)', '\\', '%s', '%n', '__proto__', 'constructor'];

const fragment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 6 }) },
);
const separator = fc.constantFrom(' ', ' ', ' ', '', '  ', '\n', '\u00a0', '&nbsp;');

/** Mostly command-shaped lines (a verb, then a mix of keywords, names and junk), sometimes pure junk. */
const commandLine = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...VERBS), fc.array(fc.tuple(separator, fragment), { maxLength: 8 }))
    .map(([verb, parts]) => `${verb}${parts.map(([s, f]) => `${s}${f}`).join('')}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
);

/** ~2–10 KB: a command followed by a long run of text (pasted logs, a JSON blob, a held-down key). */
const longLine = fc.tuple(fc.constantFrom(...VERBS, 'xyzzy'), fc.array(fragment, { minLength: 1, maxLength: 6 }), fc.integer({ min: 2_000, max: 10_000 }))
  .map(([verb, parts, size]) => {
    const block = parts.join(' ') || 'x';
    return `${verb} ${block.repeat(Math.ceil(size / block.length)).slice(0, size)}`;
  });

/** Slices of the normalized input that are random enough that seeing them in a reply means they were echoed. */
function windowsOf(input: string): string[] {
  const text = normalizeText(input);
  const out: string[] = [];
  for (let i = 0; i + ECHO_WINDOW <= text.length; i += 50) {
    const window = text.slice(i, i + ECHO_WINDOW);
    if (new Set(window).size >= 12) out.push(window);
  }
  return out;
}

function expectClearReply(reply: Reply, input: string): void {
  expect(typeof reply.text).toBe('string');
  expect(reply.text.length).toBeGreaterThan(0);
  expect(reply.text.length).toBeLessThanOrEqual(REPLY_TEXT_MAX);
  const all = reply.kind === 'card' ? `${reply.text}\n${JSON.stringify(renderView(reply.view))}` : reply.text;
  expect(all).not.toContain('    at ');
  expect(all).not.toMatch(/\.ts:\d/);
  for (const window of windowsOf(input)) expect(all).not.toContain(window);
  if (reply.kind === 'card') {
    expect(Buffer.byteLength(JSON.stringify(renderView(reply.view)), 'utf8')).toBeLessThan(TEAMS_LIMIT_BYTES);
    expect(parseErrors(renderView(reply.view))).toEqual([]);
  }
}

/** One shared fake per property run is enough: only mutating commands write, and only plans. */
async function dispatch(input: string, ctx: CommandContext): Promise<Reply> {
  return registry.dispatch(tokenize(input, { mentionTexts: ['<at>scbot</at>'] }), ctx);
}

describe('fuzz: tokenizer and dispatch', () => {
  it('tokenize never throws and yields no empty unquoted token', () => {
    fc.assert(fc.property(fc.oneof(commandLine, fc.string({ unit: 'binary', maxLength: 200 })), (input) => {
      const tokens = tokenize(input, { mentionTexts: ['<at>scbot</at>', input.slice(0, 5)] });
      for (const token of tokens) if (!token.quoted) expect(token.value).not.toBe('');
    }), { numRuns: 1_500 });
  });

  it('dispatch always resolves to a short, clear reply for command-shaped and junk input', async () => {
    const ctx = commandContext();
    await fc.assert(fc.asyncProperty(commandLine, async (input) => {
      expectClearReply(await dispatch(input, ctx), input);
    }), { numRuns: 800 });
  });

  it('dispatch stays short and does not echo walls of text (2-10 KB input)', async () => {
    const ctx = commandContext();
    await fc.assert(fc.asyncProperty(longLine, async (input) => {
      expectClearReply(await dispatch(input, ctx), input);
    }), { numRuns: 60 });
  });
});

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENTRA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-';
const chars = (alphabet: string, min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: alphabet.length - 1 }), { minLength: min, maxLength: max }).map((ix) => ix.map((i) => alphabet[i]).join(''));

/** Secret-shaped canaries: an Entra client secret ("abc8Q~…") or a generated base64 password. */
const canary = fc.oneof(
  fc.tuple(chars(ENTRA.slice(0, 62), 3, 3), fc.integer({ min: 0, max: 9 }), chars(ENTRA, 31, 34)).map(([a, d, b]) => `${a}${d}Q~${b}`),
  // Generated passwords are high-entropy; the shrinker would otherwise walk towards "AAAA…", which is no secret.
  chars(BASE64, 32, 44).filter(looksLikeSecret),
);

/** Where a user might paste it: as an argument, glued to a name, quoted, in Teams HTML, after a keyword. */
const withCanary = fc.tuple(fc.constantFrom(...VERBS), canary, fc.array(fragment, { maxLength: 4 }), fc.integer({ min: 0, max: 6 }))
  .map(([verb, secret, words, shape]) => {
    const placed = [secret, `sc-prod${secret}`, `"${secret}"`, `<p>${secret}</p>`, `in ${secret}`, `password=${secret}`, `from keyvault kv/${secret}`][shape] as string;
    const at = words.length ? secret.length % (words.length + 1) : 0;
    return { secret, input: [verb, ...words.slice(0, at), placed, ...words.slice(at)].join(' ') };
  });

describe('fuzz: a secret typed in chat', () => {
  it('never reaches a reply, a saved plan or a log line', async () => {
    await fc.assert(fc.asyncProperty(withCanary, async ({ secret, input }) => {
      const ctx = commandContext();
      const reply = await dispatch(input, ctx);
      expect(JSON.stringify(reply)).not.toContain(secret);
      expect(JSON.stringify((ctx.plans as InMemoryPlanRepository).all())).not.toContain(secret);
      expect(ctx.lines.join('\n')).not.toContain(secret);
    }), { numRuns: 300 });
  });
});
