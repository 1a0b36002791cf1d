import { describe, expect, it } from 'vitest';
import { renderView } from '../../src/cards/presenter';
import type { CardJson, Reply } from '../../src/commands';
import { createCommandRegistry, tokenize } from '../../src/commands';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { AppError } from '../../src/domain/errors';
import { listCommand, listCommandLine } from '../../src/commands/list.command';
import { commandContext, PAYMENTS, PLATFORM } from './commands-fixture';

const registry = createCommandRegistry();
const run = (text: string, ctx = commandContext()) => registry.dispatch(tokenize(text), ctx);

/** Connection names as a user reads them in the card (the bold part of each row). */
function namesIn(reply: Reply): string[] {
  const json = JSON.stringify(reply.kind === 'card' ? renderView(reply.view) : {});
  return [...json.matchAll(/\*\*(.+?)\*\* ·/g)].map((m) => m[1] as string);
}
const card = (reply: Reply): CardJson => (reply.kind === 'card' ? renderView(reply.view) : {});

describe('list', () => {
  it('parses filters and options in any order, with quoted projects', () => {
    const parse = (text: string) => listCommand.parse(tokenize(text));
    expect(parse('')).toEqual({ ok: true, value: { filter: 'usable', page: 1 } });
    expect(parse('FAILED in "Data Science" page 2 type azurerm')).toEqual({ ok: true, value: { filter: 'failed', project: 'Data Science', type: 'azurerm', page: 2 } });
    expect(parse('in')).toMatchObject({ ok: false, error: { message: '`in` needs a value.' } });
    expect(parse('page zero')).toMatchObject({ ok: false });
    expect(parse('failed all')).toMatchObject({ ok: false });
  });

  it('lists usable connections in every visible project, hides failed ones and says how many', async () => {
    const reply = await run('list');
    expect(namesIn(reply)).toEqual(['ml workspace', 'sc-common', 'sc-dev', 'sc-prod', 'sc-shared', 'github-contoso', 'sc-common', 'sc-shared']);
    expect(reply.text).toBe('Service connections: 8 connections in 3 projects (one shared connection is listed under each of its projects) · 2 failed connections not shown (say `list failed`) · as of just now');
  });

  it('`list failed` shows exactly the failed ones', async () => {
    const reply = await run('list failed');
    expect(namesIn(reply).sort()).toEqual(['sc-broken', 'sc-old-failed']);
    expect(JSON.stringify(card(reply))).toContain('❌ Failed');
  });

  it('`list all` shows both, grouped by project', async () => {
    const reply = await run('list all');
    expect(namesIn(reply)).toHaveLength(10);
    const headings = JSON.stringify(card(reply)).match(/(Data Science|Payments|Platform) \(\d+\)/g);
    expect(headings).toEqual(['Data Science (1)', 'Payments (5)', 'Platform (4)']);
  });

  it('narrows to one project (case-insensitive, quoted) and by type', async () => {
    expect(namesIn(await run('list all in platform type github'))).toEqual(['github-contoso']);
    expect(namesIn(await run('list in "Data Science"'))).toEqual(['ml workspace']);
  });

  it('stays inside the configured projects', async () => {
    const ctx = commandContext({ projects: ['Platform'] });
    expect(namesIn(await run('list', ctx))).toEqual(['github-contoso', 'sc-common', 'sc-shared']);
    const refused = await run('list in Payments', ctx);
    expect(refused.text).toContain('I don\'t look at a project called "Payments"');
    expect(refused.text).toContain('Projects I look at: Platform.');
  });

  it('suggests the closest project for a typo', async () => {
    const reply = await run('list in Paymnts');
    expect(reply.text).toContain('Did you mean `Payments`?');
    expect(JSON.stringify(card(reply))).toContain('"command":"list in Payments"');
  });

  it('pages 200 connections 40 at a time with a Next page button', async () => {
    const many: ServiceEndpoint[] = Array.from({ length: 200 }, (_, i) => ({
      id: `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `conn-${String(i).padStart(3, '0')}`, type: 'azurerm', isReady: true,
      authorization: { scheme: 'WorkloadIdentityFederation' }, serviceEndpointProjectReferences: [{ projectReference: { id: PAYMENTS.id, name: 'Payments' }, name: `conn-${String(i).padStart(3, '0')}` }],
    }));
    const ctx = commandContext({ endpoints: new InMemoryServiceEndpoints([PAYMENTS, PLATFORM], many) });
    const first = await run('list in Payments', ctx);
    expect(namesIn(first)).toHaveLength(40);
    expect(first.text).toContain('200 connections in 1 project');
    expect(first.text).toContain('(page 1 of 5)');
    expect(JSON.stringify(card(first))).toContain('"command":"list in Payments page 2"');
    const last = await run('list in Payments page 5', ctx);
    expect(namesIn(last)).toEqual(Array.from({ length: 40 }, (_, i) => `conn-${160 + i}`));
    expect(JSON.stringify(card(last))).not.toContain('Next page');
  });

  it('builds the command line the paging buttons send back', () => {
    expect(listCommandLine({ filter: 'failed', project: 'Data Science', type: 'azurerm' })).toBe('list failed in "Data Science" type azurerm');
    expect(listCommandLine({ filter: 'usable' })).toBe('list');
  });

  it('turns an Azure DevOps failure into the translated message with a reference id, logged with its code', async () => {
    const ctx = commandContext();
    ctx.endpoints.list = async () => { throw new AppError('DEVOPS.UNAVAILABLE', 'HTTP 500 from serviceendpoint', { status: 500 }); };
    const reply = await run('list failed', ctx);
    expect(reply.kind).toBe('text');
    expect(reply.text).toMatch(/^Azure DevOps is not answering properly right now\. \(while running `list failed`\) Try again in a few minutes\. Reference: R-[2-9A-Z]{8}$/);
    const referenceId = /R-[2-9A-Z]{8}/.exec(reply.text)?.[0];
    const logged = ctx.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.referenceId === referenceId);
    expect(logged).toMatchObject({ code: 'DEVOPS.UNAVAILABLE', command: 'list failed', msg: 'command failed' });
  });
});

describe('list: paging past the end', () => {
  it('says there is no such page instead of silently showing another', async () => {
    const reply = await run('list page 2');
    expect(reply.text).toContain('There is only 1 page: this is page 1 of 1');
    expect(JSON.stringify(card(reply))).toContain('There is only 1 page');
  });
});
