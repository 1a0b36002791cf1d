// The commands over the inventory (issue 24): `list` across projects answers from it with its age and is corrected
// in place by the fresh answer; names find their project through its index and are then read live; a name it does
// not know is searched for as before, and the answer says so. Changes here are made behind the bot's back (straight
// on the fake service), as a person in the portal would.
import { describe, expect, it } from 'vitest';
import type { CardMessage } from '../../src/cards/card';
import { renderView } from '../../src/cards/presenter';
import { createCommandRegistry, tokenize, type CommandContext, type Reply } from '../../src/commands';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { ListFilter } from '../../src/devops/service-endpoints.port';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { AppError } from '../../src/domain/errors';
import { createInventory } from '../../src/inventory/org-inventory';
import { INVENTORY_DEFAULTS } from '../../src/inventory/inventory-settings';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { TestClock } from '../support/inventory-fixtures';
import { ALL, commandContext, DATA, NOW, PAYMENTS, PLATFORM, SC_BROKEN, SC_DEV, SC_PROD } from './commands-fixture';

const registry = createCommandRegistry();
const run = (text: string, ctx: CommandContext) => registry.dispatch(tokenize(text), ctx);
const WINDOW_MS = INVENTORY_DEFAULTS.freshSeconds * 1000;

/** The demo data, every call named as "<method> <project>". */
class CountingService extends InMemoryServiceEndpoints {
  calls: string[] = [];
  failProjects = false;
  override async projects() {
    this.calls.push('projects');
    if (this.failProjects) throw new AppError('DEVOPS.UNAVAILABLE', 'HTTP 503', { status: 503 });
    return super.projects();
  }
  override async list(project: string, filter?: ListFilter) {
    this.calls.push(`list ${project}`);
    return super.list(project, filter);
  }
  override async getByName(project: string, name: string, options?: { includeFailed?: boolean }) {
    this.calls.push(`getByName ${project}`);
    return super.getByName(project, name, options);
  }
  override async get(project: string, id: string) {
    this.calls.push(`get ${project}`);
    return super.get(project, id);
  }
  /** A change made outside the bot: the service has it, the inventory does not. */
  async behindTheBotsBack(endpoint: ServiceEndpoint, change: Partial<ServiceEndpoint>): Promise<void> {
    const current = (await super.get(PAYMENTS.id, endpoint.id)) ?? endpoint;
    const names = change.name ? { serviceEndpointProjectReferences: current.serviceEndpointProjectReferences?.map((r) => ({ ...r, name: change.name as string })) } : {};
    await super.update({ ...structuredClone(endpoint), ...names, ...change });
  }
}

function setup(options: { projects?: string[] } = {}) {
  const clock = new TestClock(NOW.getTime());
  const service = new CountingService([PAYMENTS, PLATFORM, DATA], ALL.map((e) => structuredClone(e)));
  const base = commandContext();
  const parts = createInventory({ store: new EmbeddedStore(), clock, logger: base.logger, projects: options.projects ?? [], background: service, interactive: service });
  // The turn's reads go through the feed, as the app's do: what a command reads live lands in the inventory.
  const ctx = commandContext({ endpoints: parts.feed(service), inventory: parts.reads, clock, ...(options.projects ? { projects: options.projects } : {}) });
  return { clock, service, parts, ctx };
}

const cardJson = (reply: Reply | CardMessage) => JSON.stringify('view' in reply ? renderView(reply.view) : reply.text);
const names = (reply: Reply | CardMessage) => [...cardJson(reply).matchAll(/\*\*(.+?)\*\* ·/g)].map((m) => m[1]);

describe('list across projects, from the inventory', () => {
  it('cold: waits for the one refresh, answers with its age, and ten people asking at once cost one refresh', async () => {
    const { service, ctx } = setup();
    const replies = await Promise.all(Array.from({ length: 10 }, () => run('list failed', ctx)));
    expect(service.calls.sort()).toEqual([`list ${PAYMENTS.id}`, `list ${PLATFORM.id}`, `list ${DATA.id}`, 'projects']);
    for (const reply of replies) {
      expect(names(reply).sort()).toEqual(['sc-broken', 'sc-old-failed']);
      expect(reply.text).toContain('· as of just now');
      expect(reply.kind === 'card' && reply.update).toBeFalsy();
    }
  });

  it('warm, within the window: answers from memory without a single call', async () => {
    const { service, ctx, clock } = setup();
    await run('list failed', ctx);
    clock.advance(WINDOW_MS - 1_000);
    service.calls = [];
    const reply = await run('list failed', ctx);
    expect(service.calls).toEqual([]);
    expect(names(reply).sort()).toEqual(['sc-broken', 'sc-old-failed']);
    expect(cardJson(reply)).toContain('From my inventory of connections, as of 1 min ago.');
    expect(reply.kind === 'card' && reply.update).toBeFalsy();
  });

  it('stale: answers at once with the age, then the fresh answer shows a connection that failed since, for the card in place', async () => {
    const { service, ctx, clock } = setup();
    await run('list failed', ctx);
    await service.behindTheBotsBack(SC_DEV, { isReady: false, operationStatus: { state: 'Failed', statusMessage: 'AADSTS7000222: expired' } });
    clock.advance(5 * 60_000);
    service.calls = [];
    const reply = await run('list failed', ctx);
    expect(names(reply).sort()).toEqual(['sc-broken', 'sc-old-failed']);
    expect(cardJson(reply)).toContain('as of 5 min ago. I\'m checking Azure DevOps now: this card changes if anything did.');
    const fresh = reply.kind === 'card' ? await reply.update : undefined;
    expect(fresh && names(fresh).sort()).toEqual(['sc-broken', 'sc-dev', 'sc-old-failed']);
    expect(fresh && cardJson(fresh)).toContain('as of just now: updated after checking Azure DevOps.');
    // One refresh: the three projects listed once; the organization's project list was older than the window too.
    expect(service.calls.sort()).toEqual(['list 11111111-1111-4111-8111-111111111111', 'list 22222222-2222-4222-8222-222222222222', 'list 33333333-3333-4333-8333-333333333333', 'projects']);
  });

  it('stale: a connection renamed since shows under its new name in the fresh answer', async () => {
    const { service, ctx, clock } = setup();
    await run('list all', ctx);
    await service.behindTheBotsBack(SC_PROD, { name: 'sc-production' });
    clock.advance(WINDOW_MS + 1);
    const reply = await run('list all', ctx);
    expect(names(reply)).toContain('sc-prod');
    const fresh = reply.kind === 'card' ? await reply.update : undefined;
    expect(fresh && names(fresh)).toContain('sc-production');
    expect(fresh && names(fresh)).not.toContain('sc-prod');
  });

  it('stale but unchanged: the fresh answer is the same, so the card stands (no update)', async () => {
    const { ctx, clock } = setup();
    await run('list', ctx);
    clock.advance(WINDOW_MS + 1);
    const reply = await run('list', ctx);
    expect(reply.kind === 'card' ? await reply.update : 'no card').toBeUndefined();
  });

  it('a refresh that cannot read Azure DevOps keeps the answer and its age, and says so with a reference', async () => {
    const { service, ctx, clock } = setup();
    await run('list failed', ctx);
    clock.advance(10 * 60_000);
    service.failProjects = true;
    const reply = await run('list failed', ctx);
    const fresh = reply.kind === 'card' ? await reply.update : undefined;
    expect(fresh && names(fresh).sort()).toEqual(['sc-broken', 'sc-old-failed']);
    expect(fresh && cardJson(fresh)).toMatch(/as of 10 min ago\. Azure DevOps could not be checked just now \(reference R-[2-9A-Z]{8}\)/);
    expect(ctx.lines.some((l) => l.includes('the inventory could not be refreshed'))).toBe(true);
  });

  it('`list … in <project>` stays a live read of that project', async () => {
    const { service, ctx } = setup();
    await run('list failed', ctx);
    service.calls = [];
    const reply = await run('list failed in Payments', ctx);
    expect(service.calls).toEqual(['projects', 'list Payments']);
    expect(names(reply)).toEqual(['sc-broken']);
    expect(reply.text).not.toContain('as of');
  });

  it('with configured projects, answers for those only', async () => {
    const { ctx } = setup({ projects: ['Platform'] });
    const reply = await run('list failed', ctx);
    expect(names(reply)).toEqual(['sc-old-failed']);
    expect(reply.text).toContain('in 1 project');
  });
});

describe('names through the inventory\'s index', () => {
  it('`show <name>` reads only the project the index places it in, and no project list', async () => {
    const { service, ctx } = setup();
    await run('list', ctx);
    service.calls = [];
    const reply = await run('show sc-broken', ctx);
    expect(reply.text).toMatch(/^sc-broken: .* Payments/);
    expect(service.calls).toEqual([`getByName ${PAYMENTS.name}`]);
    expect(cardJson(reply)).not.toContain('I had not seen this name before');
  });

  it('a name the index does not know is searched for in every project, and the answer says it took longer', async () => {
    const { service, ctx } = setup();
    await run('list', ctx);
    await service.behindTheBotsBack(SC_PROD, { name: 'sc-production' });
    service.calls = [];
    const reply = await run('show sc-production', ctx);
    expect(reply.text).toMatch(/^sc-production: /);
    expect(cardJson(reply)).toContain('I had not seen this name before, so I looked for it in every project (that takes longer).');
    expect(service.calls.filter((c) => c.startsWith('getByName')).sort()).toEqual([`getByName ${DATA.name}`, `getByName ${PAYMENTS.name}`, `getByName ${PLATFORM.name}`]);
  });

  it('a name the index knew but that is gone since falls back to the search, which finds nothing', async () => {
    const { service, ctx } = setup();
    await run('list', ctx);
    await service.behindTheBotsBack(SC_PROD, { name: 'sc-production' });
    const reply = await run('show sc-prod', ctx);
    expect(reply.text).toContain('I can\'t find a connection called "sc-prod". Did you mean `sc-production`?');
  });

  it('a mutating command plans from the live read, not from the inventory', async () => {
    const { service, ctx } = setup();
    await run('list failed', ctx);
    // The inventory holds sc-broken as failed; it was fixed in the portal since.
    await service.behindTheBotsBack(SC_BROKEN, { isReady: true, operationStatus: { state: 'Ready', statusMessage: '' } });
    service.calls = [];
    const reply = await run('delete failed', ctx);
    // `delete failed` reads every project live: sc-broken is not failed any more, so it is not in the plan.
    expect(service.calls.filter((c) => c.startsWith('list ')).length).toBeGreaterThan(0);
    expect(cardJson(reply)).not.toContain('sc-broken');
    expect(cardJson(reply)).toContain('sc-old-failed');
  });

  it('a button pinned to a connection reads it by id in the project the index has it in', async () => {
    const { service, ctx } = setup();
    await run('list', ctx);
    service.calls = [];
    const reply = await run('show sc-prod', { ...ctx, pinned: { connectionId: SC_PROD.id, projectId: PAYMENTS.id } });
    expect(reply.text).toMatch(/^sc-prod: /);
    expect(service.calls).toEqual([`get ${PAYMENTS.name}`]);
  });

  it('within configured projects only: a name the index has elsewhere is searched for where the bot looks', async () => {
    const { service, ctx } = setup({ projects: ['Platform'] });
    await run('list', ctx);
    service.calls = [];
    const reply = await run('show sc-prod', ctx);
    expect(reply.text).toContain('I can\'t find a connection called "sc-prod"');
    expect(service.calls.every((c) => !c.includes(PAYMENTS.name ?? '') && !c.includes(PAYMENTS.id))).toBe(true);
  });

  it('`show` says who changed the connection outside the bot, as the audit log told the inventory', async () => {
    const { ctx, parts, clock } = setup();
    await run('list', ctx);
    parts.inventory.noteChange({
      entryId: 'a-1', at: new Date(clock.now().getTime() - 3 * 86_400_000).toISOString(), actionId: 'Library.ServiceConnectionPropertyChanged', action: 'disabled',
      connectionId: SC_DEV.id, connectionName: 'sc-dev', projectId: PAYMENTS.id, projectName: 'Payments', actor: { kind: 'service', name: undefined }, portal: false,
    });
    const reply = await run('show sc-dev', ctx);
    expect(cardJson(reply)).toContain('Changed outside the bot');
    expect(cardJson(reply)).toContain('disabled by Azure DevOps after 100 days without use, 3 d ago');
  });
});
