/**
 * The inventory put together once (bot/compose.ts, the test harnesses): the inventory itself, the refresher over
 * two lanes (the upkeep in the background lane with the audit log; a refresh people wait on in the interactive
 * lane), the keeper that runs the upkeep under a lease, and `feed`, which wraps any ServiceEndpoints so its reads
 * fill the inventory and its changes correct it. Commands see only `reads` (OrgInventory): answers with their age
 * and the name → project index, never anything a plan is built from.
 */
import type { Clock } from '../domain/time';
import type { ConnectionChangeLog } from '../devops/connection-change-log.port';
import type { ProjectReference } from '../domain/endpoint';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import type { Logger } from '../logging';
import type { Repeat } from '../domain/time';
import type { Store } from '../store/store.port';
import { ConnectionInventory } from './connection-inventory';
import { InventoryFeed } from './inventory-feed';
import { InventoryKeeper } from './inventory-keeper';
import { InventoryRefresher, type FreshAnswer } from './inventory-refresher';
import { INVENTORY_DEFAULTS, type InventorySettings } from './inventory-settings';
import type { InventoryView } from './inventory-view';

/** What commands read of the inventory. */
export interface OrgInventory {
  /** What the bot last read, per project, with its age (never for plans: they read their targets live). */
  readonly view: InventoryView;
  /** The organization's projects as last read, else read now (once for everyone asking at that moment). */
  organization(): Promise<readonly ProjectReference[]>;
  /** Whether every project the bot answers for was listed within the freshness window. */
  isFresh(): boolean;
  /** Fresh lists of the bot's projects: at once, from the refresh in flight, or a new one (one for everyone asking). */
  fresh(): Promise<FreshAnswer>;
}

export interface InventoryOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  settings?: Readonly<InventorySettings>;
  /** Configured projects (names or ids); empty: every project the identity can see. */
  projects: readonly string[];
  /** Azure DevOps in the background lane (the upkeep) and in the interactive lane (refreshes people wait on). */
  background: ServiceEndpoints;
  interactive: ServiceEndpoints;
  /** The Azure DevOps audit log; absent: the periodic refresh only. */
  changes?: ConnectionChangeLog;
  owner?: string;
  repeat?: Repeat;
}

export interface InventoryParts {
  inventory: ConnectionInventory;
  refresher: InventoryRefresher;
  keeper: InventoryKeeper;
  reads: OrgInventory;
  /** `devops` whose reads feed the inventory and whose changes (the bot's own) correct it. */
  feed(devops: ServiceEndpoints): ServiceEndpoints;
}

/**
 * Lists in flight for a refresh a person waits on. Before the inventory, `list failed` had one per project in flight;
 * at 8 a cold answer (nothing stored yet) took 16.7 s where the search of every project took 9.9 s in the same run
 * (bench org-scale, 300 projects at 100 ms, a loaded machine); at 32, 11.4 s against 11.7 s. Bounded still, so one
 * refresh does not put 300 requests on the wire at once.
 */
export const ASKED_CONCURRENCY = 32;

export function createInventory(o: InventoryOptions): InventoryParts {
  const settings = o.settings ?? INVENTORY_DEFAULTS;
  const inventory = new ConnectionInventory({ store: o.store, clock: o.clock, logger: o.logger, maxConnections: settings.maxConnections });
  const feed = (devops: ServiceEndpoints): ServiceEndpoints => new InventoryFeed(devops, inventory, o.clock);
  const refresher = new InventoryRefresher({
    inventory, devops: feed(o.background), asked: feed(o.interactive), askedConcurrency: ASKED_CONCURRENCY,
    store: o.store, clock: o.clock, logger: o.logger, settings, projects: o.projects, ...(o.changes ? { changes: o.changes } : {}),
  });
  const keeper = new InventoryKeeper({
    inventory, refresher, store: o.store, clock: o.clock, logger: o.logger, ...(o.owner ? { owner: o.owner } : {}), ...(o.repeat ? { repeat: o.repeat } : {}),
  });
  const reads: OrgInventory = { view: inventory, organization: () => refresher.organization(), isFresh: () => refresher.isFresh(), fresh: () => refresher.fresh() };
  return { inventory, refresher, keeper, reads, feed };
}
