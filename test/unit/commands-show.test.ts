import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/commands';
import { createCommandRegistry, tokenize } from '../../src/commands';
import { showCommand } from '../../src/commands/show.command';
import { commandContext, SC_PROD } from './commands-fixture';
import { renderView } from '../../src/cards/presenter';

const registry = createCommandRegistry();
const run = (text: string, ctx = commandContext()) => registry.dispatch(tokenize(text), ctx);
const cardText = (reply: Reply) => JSON.stringify(reply.kind === 'card' ? renderView(reply.view) : reply.text);

describe('show', () => {
  it('parses a name, quoted or not, and an optional project', () => {
    expect(showCommand.parse(tokenize('sc-prod'))).toEqual({ ok: true, value: { name: 'sc-prod' } });
    expect(showCommand.parse(tokenize('my connection in "Data Science"'))).toEqual({ ok: true, value: { name: 'my connection', project: 'Data Science' } });
    expect(showCommand.parse(tokenize('"in" in Payments'))).toEqual({ ok: true, value: { name: 'in', project: 'Payments' } });
    expect(showCommand.parse([])).toMatchObject({ ok: false });
  });

  it('shows every non-secret fact of a WIF connection, the retiring-issuer warning and the newest 5 runs', async () => {
    const reply = await run('show SC-PROD');
    expect(reply.kind).toBe('card');
    expect(reply.text).toBe('sc-prod: azurerm · WorkloadIdentityFederation · Ready · Payments');
    const json = cardText(reply);
    for (const fact of ['client-prod', 'tenant-1', 'Automatic', 'https://vstoken.dev.azure.com/org-1', 'sc://contoso/Payments/sc-prod', '2026-11-25 05:00 UTC', SC_PROD.id]) {
      expect(json).toContain(fact);
    }
    expect(json).toContain('retires on 2027-07-01');
    expect(json.match(/pipeline-\d/g)).toEqual(['pipeline-7', 'pipeline-6', 'pipeline-5', 'pipeline-4', 'pipeline-3']);
  });

  it('shows why a failed connection failed', async () => {
    const reply = await run('show sc-broken');
    expect(reply.text).toContain('failed: Failed to create an app in Microsoft Entra ID. Insufficient privileges.');
    expect(cardText(reply)).toContain('No pipeline has used this connection recently.');
  });

  it('never shows a secret', async () => {
    for (const name of ['sc-dev', 'sc-shared', 'github-contoso', 'sc-broken']) {
      expect(cardText(await run(`show ${name}`))).not.toContain('SEEDSECRET-');
    }
  });

  it('treats a connection shared into several projects as one', async () => {
    const reply = await run('show sc-shared');
    expect(reply.text).toMatch(/^sc-shared:/);
    expect(cardText(reply)).toContain('yes: Payments, Platform');
  });

  it('asks which project when the name is in several', async () => {
    const reply = await run('show sc-common');
    expect(reply.text).toContain('"sc-common" exists in 2 projects: which one?');
    expect(reply.text).toContain('Projects: Payments, Platform.');
    expect(cardText(reply)).toContain('"command":"show sc-common in Platform"');
    expect((await run('show sc-common in platform')).text).toMatch(/^sc-common: .* Platform$/);
  });

  it('suggests the closest names for an unknown connection', async () => {
    const reply = await run('show sc-prd');
    // The inventory had never listed these projects: every project was searched, and the answer says so.
    expect(reply.text).toBe('I can\'t find a connection called "sc-prd". Did you mean `sc-prod`? I had not seen this name before, so I looked for it in every project (that takes longer).');
    expect(cardText(reply)).toContain('"command":"show sc-prod in Payments"');
    expect((await run('show zzzz-unrelated')).text).toContain('Say `list all` to see the connections.');
  });

  it('finds names with spaces in a quoted project', async () => {
    expect((await run('show “ml workspace” in ‘Data Science’')).text).toMatch(/^ml workspace: /);
  });
});

describe('show: echoes', () => {
  it('an unclosed quote is echoed once, not doubled', async () => {
    const reply = await run('show "unterminated');
    expect(reply.text).toContain('I can\'t find a connection called "unterminated"');
    expect(reply.text).not.toContain('""');
  });
});
