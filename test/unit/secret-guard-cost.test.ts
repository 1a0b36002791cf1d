import { describe, expect, it } from 'vitest';
import { createCommandRegistry, tokenize } from '../../src/commands';
import { REDACTED, redactSecrets, secretKinds } from '../../src/commands/secret-guard';
import { SECRET_ASSIGNMENTS, SECRET_FORMATS } from '../../src/commands/secret-patterns';
import { DENY_ALL_POLICY, type PolicyConfig } from '../../src/domain/policy';
import { mutatingContext } from './commands-mutating-fixture';

/**
 * Issue 20, finding 8: what the secret guard costs cannot be steered by what is sent. Every pattern, and the guard
 * as a whole, on 100 KB built to make a regular expression backtrack, against the guard on a plain message of the
 * same size. A ratio, never an absolute time: the bound is far above what a linear pattern costs on a loaded
 * machine (about 4x at worst here) and far below the blow-up it replaces (20 KB of "eyJ" took 1.3 s; 100 KB, ~40 s).
 */
const SIZE = 100_000;
const RATIO = 30;
const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
const spaced = (head: string): string => `${head}${' '.repeat(SIZE - head.length)}`;

/** Runs of each pattern's own pieces, never completing a match (or completing one and running on). */
const ADVERSARIAL: Record<string, string> = {
  'eyJ without a dot': fill('eyJ'), 'eyJ after dashes': fill('-eyJ'), 'JWT headers': fill('eyJaaaa.'), 'JWT header and payload, no dot': fill('eyJaaaa.eyJbbbb'),
  'one long word': fill('a'), 'one long hex run': fill('0'), 'base32 pairs': fill('a2'), 'dashed word': fill('a-'), 'base64 with = ': fill(`${'A'.repeat(85)}= `),
  'keyword then spaces': spaced('key'), 'keyword= then spaces': spaced('key='), 'keywords': fill('key '), 'AccountKey=': fill('AccountKey='),
  'password then spaces': spaced('password'), 'passwords': fill('password '), 'PEM headers': fill('-----BEGIN A-----'), 'PEM, END never closed': `-----BEGIN A-----${fill('-----END ')}`,
  'Entra prefixes': fill('aaa1Q~'), 'GitHub prefixes': fill('ghp_'), 'fine-grained prefixes': fill('github_pat_'), 'AZDO signatures': fill('AZDO'),
};
const PLAIN = fill('show sc-prod in Payments, then list the failed ones please ');

/** The fastest of a few runs: a loaded machine only ever adds time, so the minimum is the steadiest reading. */
function cost(work: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('the secret guard costs time linear in what it reads', () => {
  it(`every pattern, and the whole guard, on 100 KB adversarial inputs: under ${RATIO}x the guard on a plain message`, () => {
    const patterns = [...SECRET_FORMATS, ...SECRET_ASSIGNMENTS];
    redactSecrets(PLAIN); // compiled and warm before anything is timed
    const plain = Math.max(cost(() => redactSecrets(PLAIN)), 0.5);
    const ratios: Record<string, number> = {};
    for (const [name, text] of Object.entries(ADVERSARIAL)) {
      patterns.forEach((pattern, i) => {
        ratios[`${name} / pattern ${i}`] = cost(() => text.replace(pattern, REDACTED)) / plain;
      });
      ratios[`${name} / whole guard`] = cost(() => redactSecrets(text)) / plain;
      ratios[`${name} / kinds for the warning`] = cost(() => secretKinds(text)) / plain;
    }
    const slow = Object.entries(ratios).filter(([, ratio]) => ratio > RATIO).map(([what, ratio]) => `${what}: ${ratio.toFixed(0)}x`);
    expect(slow).toEqual([]);
  }, 120_000);

  it('still catches a JWT glued to a name, and keeps the name', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(redactSecrets(`convert sc-prod-${jwt}`)).toBe(`convert sc-prod-${REDACTED}`);
    expect(redactSecrets(`token_${jwt} and ${jwt}`)).toBe(`token_${REDACTED} and ${REDACTED}`);
    expect(redactSecrets(`x-eyJeyJ-eyJabcd.eyJabcd.sig`)).toBe(`x-${REDACTED}`);
  });
});

describe('the tenant gate runs before anything reads the line', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const STRANGER = '99999999-9999-4999-8999-999999999999';
  const policy: PolicyConfig = { ...DENY_ALL_POLICY, tenants: [TENANT] };
  const stranger = () => mutatingContext({ place: { conversationId: '19:x@thread.tacv2', tenantId: STRANGER }, policy }).ctx;
  const registry = createCommandRegistry();

  it('a stranger\'s unknown verb gets the tenant refusal, not suggestions (20 KB of "eyJ" used to be read by the guard first)', async () => {
    const reply = await registry.dispatch(tokenize('eyJ'.repeat(6_000)), stranger());
    expect(reply.text).toMatch(/^Your organization \(tenant\) is not allowed to use this bot\. \(`…` was not run\.\)/);
    expect(JSON.stringify(reply)).not.toContain('eyJeyJ');
  });

  it('a long line from a stranger echoes only the verb; a short one is echoed, masked', async () => {
    const long = await registry.dispatch(tokenize(`rotate ${'sc-prod-'.repeat(100)}`), stranger());
    expect(long.text).toMatch(/\(`rotate …` was not run\.\)/);
    const short = await registry.dispatch(tokenize('delete sc-prod abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv'), stranger());
    expect(short.text).toContain(`(\`delete sc-prod ${REDACTED}\` was not run.)`);
  });

  it('an allowed tenant still gets "did you mean" for an unknown verb', async () => {
    const ctx = mutatingContext({ place: { conversationId: '19:x@thread.tacv2', tenantId: TENANT }, policy }).ctx;
    expect((await registry.dispatch(tokenize('lsit'), ctx)).text).toMatch(/I don't know the command/);
  });
});
