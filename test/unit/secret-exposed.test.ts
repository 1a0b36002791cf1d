/**
 * Issue 27: the secret guard reads every message, not only a command's arguments. A token pasted into a sentence, a
 * greeting or a command gets one warning that says it is exposed and how to revoke it where it was issued; the
 * message is never echoed, and no log line, audit record or hint carries the token.
 */
import { describe, expect, it } from 'vitest';
import { createCommandRegistry, tokenize } from '../../src/commands';
import { SECRET_IN_CHAT, secretKinds } from '../../src/commands/secret-guard';
import { commandContext } from './commands-fixture';
import { renderView } from '../../src/cards/presenter';
import { cardTextProblems, visibleTexts } from '../support/card-checks';

const registry = createCommandRegistry();
const PAT = 'k3jz7q2mxw4v5bnc6dr7fsg2ht3ju4kv5lw6mx7nz2pa3qb4rc5s';
const CLIENT_SECRET = 'Abc8Q~Zq3vR7tY1uI9oP2aS5dF8gH1jK4lZ7xC0vB';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
/** A storage account key's shape: 86 base64 characters and "==". */
const ACCOUNT_KEY = `${'Q'.repeat(40)}${'x7Kp2'.repeat(9)}A==`;
const CONNECTION_STRING = `DefaultEndpointsProtocol=https;AccountName=contosodata;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net`;

async function said(text: string) {
  const ctx = commandContext();
  const reply = await registry.dispatch(tokenize(text), ctx);
  return { reply, json: JSON.stringify(reply), logs: ctx.lines.join(''), audit: JSON.stringify(await ctx.audit.query()) };
}

describe('a secret anywhere in a message: the exposed-token warning, nothing else', () => {
  it('a 52-character Azure DevOps PAT inside a sentence: how to revoke it, never "did you mean"', async () => {
    const { reply, json, logs, audit } = await said(`here is the PAT: ${PAT}`);
    expect(reply.text.startsWith(SECRET_IN_CHAT)).toBe(true);
    expect(reply.text).toContain('Revoke it now: Azure DevOps → User settings → Personal access tokens → Revoke, then create a new one');
    expect(reply.text).toContain('delete it if your Teams client lets you');
    expect(reply.text).toContain('Never paste secrets here');
    expect(json).not.toContain('Did you mean');
    // Not echoed: not the token, not the sentence around it.
    for (const text of [json, logs, audit]) expect(text).not.toContain(PAT);
    expect(json).not.toContain('here is the PAT');
    // A card a person reads: no raw codes, no mid-word cuts, and placeholders that survive its markdown.
    const card = renderView((reply as Extract<typeof reply, { kind: 'card' }>).view);
    expect(cardTextProblems(card)).toEqual([]);
    expect(visibleTexts(card).join('\n')).toContain('from keyvault ‹vault›/‹secret›');
  });

  it('in a greeting or after a command verb: the same warning, never the welcome or a usage line', async () => {
    for (const line of [`hi, my PAT is ${PAT}`, `show sc-prod ${PAT}`, `rotate sc-prod with this PAT ${PAT} please`, `"${PAT}"`]) {
      const { reply, json, logs } = await said(line);
      expect(reply.text, line).toContain('Personal access tokens → Revoke');
      expect(reply.text, line).not.toContain('Usage:');
      expect(reply.text, line).not.toMatch(/^Hi!/);
      expect(json + logs, line).not.toContain(PAT);
    }
  });

  it('a client secret, a JWT or a connection string in prose: the advice for that kind', async () => {
    const cases: Array<[string, string, string]> = [
      [`our client secret is ${CLIENT_SECRET} can you use it`, CLIENT_SECRET, 'Certificates & secrets'],
      [`this bearer ${JWT} works for me`, JWT, 'access token (a JWT)'],
      [`the storage connection string ${CONNECTION_STRING} is in the wiki`, ACCOUNT_KEY, 'Access keys or Shared access policies → Regenerate'],
    ];
    for (const [line, secret, advice] of cases) {
      const { reply, json, logs, audit } = await said(line);
      expect(reply.text, line).toContain(advice);
      expect(json, line).not.toContain('Did you mean');
      for (const text of [json, logs, audit]) expect(text, line).not.toContain(secret);
    }
  });

  it('names each kind found, the most specific first; a random-looking word alone is a secret of no known kind', () => {
    expect(secretKinds(`token ${JWT}`)).toEqual(['jwt', 'secret']);
    expect(secretKinds(`pat ${PAT} and ${CLIENT_SECRET}`)).toEqual(['devops-pat', 'client-secret']);
    expect(secretKinds(CONNECTION_STRING)).toEqual(['access-key']);
    expect(secretKinds('Zx9vQ2mN7pL4kR8sT1wY6bH3jF5dG0cA')).toEqual(['secret']);
    expect(secretKinds('rotate sc-prod from keyvault kv/secret expires 7d')).toEqual([]);
  });
});
