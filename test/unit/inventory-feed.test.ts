// Every live read feeds the inventory and every change the bot makes corrects it; filtered lists and failed reads
// leave it as it was.
import { describe, expect, it } from 'vitest';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import { AppError } from '../../src/domain/errors';
import { ConnectionInventory } from '../../src/inventory/connection-inventory';
import { InventoryFeed } from '../../src/inventory/inventory-feed';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { connection, failed, project, recordingLogger, TestClock } from '../support/inventory-fixtures';

const ALPHA = project('Alpha');
const BETA = project('Beta');

function setup(endpoints = [connection('sc-prod', [ALPHA]), failed(connection('sc-broken', [ALPHA])), connection('sc-beta', [BETA])]) {
  const clock = new TestClock();
  const inventory = new ConnectionInventory({ store: new EmbeddedStore(), clock, logger: recordingLogger().logger, maxConnections: 1000 });
  const service = new InMemoryServiceEndpoints([ALPHA, BETA], endpoints);
  return { clock, inventory, service, feed: new InventoryFeed(service, inventory, clock), endpoints };
}

describe('InventoryFeed', () => {
  it('keeps a full list of a project (failed ones included), named by name or id, and the project list', async () => {
    const { feed, inventory } = setup();
    await feed.projects();
    await feed.list('alpha', { includeFailed: true });
    await feed.list(BETA.id, { includeFailed: true });
    expect(inventory.project('Alpha')?.entries.map((e) => e.name).sort()).toEqual(['sc-broken', 'sc-prod']);
    expect(inventory.project('Beta')?.projectName).toBe('Beta');
    expect(inventory.organizationProjects()?.projects).toHaveLength(2);
  });

  it('finds the project of a list from its connections when the project list was never read', async () => {
    const { feed, inventory } = setup();
    await feed.list('Alpha', { includeFailed: true });
    expect(inventory.project(ALPHA.id)?.projectName).toBe('Alpha');
  });

  it('does not keep a list that hides failed connections or is filtered', async () => {
    const { feed, inventory } = setup();
    await feed.list('Alpha');
    await feed.list('Alpha', { includeFailed: true, type: 'azurerm' });
    await feed.list('Alpha', { includeFailed: true, authSchemes: ['ServicePrincipal'] });
    expect(inventory.project('Alpha')).toBeUndefined();
  });

  it('records single reads and the answers to the bot\'s own changes; a delete removes, a share adds', async () => {
    const { feed, inventory, service, clock } = setup();
    await feed.projects();
    await feed.list('Alpha', { includeFailed: true });
    await feed.list('Beta', { includeFailed: true });
    const prod = inventory.lookup('sc-prod')[0]?.entry;
    const live = await service.get('Alpha', prod?.id ?? '');
    if (!live) throw new Error('sc-prod is not in the fake');
    clock.advance(1_000);
    await feed.update({ ...live, name: 'sc-prod-renamed', serviceEndpointProjectReferences: [{ projectReference: ALPHA, name: 'sc-prod-renamed' }] });
    expect(inventory.lookup('sc-prod')).toEqual([]);
    expect(inventory.lookup('sc-prod-renamed')).toHaveLength(1);
    await feed.share(prod?.id ?? '', [{ projectReference: BETA, name: 'prod-in-beta' }]);
    expect(inventory.lookup('prod-in-beta')[0]?.projectName).toBe('Beta');
    await feed.delete(prod?.id ?? '', [ALPHA.id]);
    expect(inventory.connection(prod?.id ?? '').map((m) => m.projectName)).toEqual(['Beta']);
    const created = await feed.create(connection('sc-new', [BETA]));
    expect(inventory.lookup('sc-new')[0]?.entry.id).toBe(created.id);
  });

  it('a miss by name with failed ones included drops the name; without them it proves nothing', async () => {
    const { feed, inventory, service } = setup();
    await feed.list('Alpha', { includeFailed: true });
    const broken = inventory.lookup('sc-broken')[0]?.entry.id ?? '';
    await service.delete(broken, [ALPHA.id]);
    await feed.getByName('Alpha', 'sc-broken');
    expect(inventory.lookup('sc-broken')).toHaveLength(1);
    await feed.getByName('Alpha', 'sc-broken', { includeFailed: true });
    expect(inventory.lookup('sc-broken')).toEqual([]);
  });

  it('a read that fails records nothing and fails as it did', async () => {
    const { inventory, clock } = setup();
    const refusing: ServiceEndpoints = Object.assign(new InMemoryServiceEndpoints([ALPHA]), { list: async () => { throw new AppError('DEVOPS.FORBIDDEN', 'no'); } });
    const feed = new InventoryFeed(refusing, inventory, clock);
    await expect(feed.list('Alpha', { includeFailed: true })).rejects.toMatchObject({ code: 'DEVOPS.FORBIDDEN' });
    expect(inventory.project('Alpha')).toBeUndefined();
  });
});
