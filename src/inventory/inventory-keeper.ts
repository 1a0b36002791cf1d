/**
 * The inventory as the running app keeps it (issue 24): loaded from the Store at start (a restart and every new
 * instance start warm), kept up by one instance at a time, written out on close. Every minute each instance ticks:
 * the one holding the upkeep lease (`run-leases/inventory-upkeep`, held across ticks and renewed by each, so one
 * instance earns and spends the periodic refresh's share of the rate budget) runs the refresher's step; the others
 * take in what it stored. A holder that dies stops renewing, and another instance takes the lease over once it lapses.
 */
import type { Clock, Repeat } from '../domain/time';
import { errorCodeOf, isAppError } from '../domain/errors';
import type { Logger } from '../logging';
import { RunLeases, type RunLeaseRecord } from '../store/run-lease';
import { backgroundPass, type BackgroundPass } from '../background/background-job';
import type { Store, Versioned } from '../store/store.port';
import type { ConnectionInventory } from './connection-inventory';
import type { InventoryRefresher } from './inventory-refresher';

export const UPKEEP_LEASE = 'inventory-upkeep';
const MINUTE_MS = 60_000;
/** Ticks a holder may miss before another instance takes the upkeep over. */
const LEASE_TICKS = 3;

export interface InventoryKeeperOptions {
  inventory: ConnectionInventory;
  refresher: InventoryRefresher;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** This instance's lease identity (tests name instances); random per process by default. */
  owner?: string;
  /** The tick's timer (tests drive it by hand). */
  repeat?: Repeat;
  /** Between ticks; a minute by default. */
  everyMs?: number;
}

export type TickOutcome = 'stepped' | 'synced' | 'failed';

export class InventoryKeeper {
  private readonly leases: RunLeases;
  private held: Versioned<RunLeaseRecord> | undefined;
  /** The tick as a background pass: one in flight at a time, never thrown out of the timer. */
  private readonly upkeep: BackgroundPass<TickOutcome>;

  constructor(private readonly o: InventoryKeeperOptions) {
    const everyMs = o.everyMs ?? MINUTE_MS;
    // No renewal timer of its own: each tick renews the lease (holdWhile would give it up after every step).
    this.leases = new RunLeases({ store: o.store, clock: o.clock, leaseMs: everyMs * LEASE_TICKS, ...(o.owner ? { owner: o.owner } : {}) });
    this.upkeep = backgroundPass<TickOutcome>({
      name: 'inventory upkeep', pass: () => this.once(), otherwise: 'failed', logger: o.logger, ...(o.repeat ? { repeat: o.repeat } : {}),
    });
  }

  /** What the Store holds, taken in before the app answers anyone; a Store that fails leaves the inventory cold. */
  async load(): Promise<void> {
    try {
      const projects = await this.o.inventory.load();
      this.o.logger.info({ projects, connections: this.o.inventory.connections }, 'inventory loaded');
    } catch (error) {
      this.o.logger.warn({ err: error, code: errorCodeOf(error) }, 'inventory: the stored inventory could not be read; starting cold');
    }
  }

  /** Ticks every minute from now on; returns the stop function (idle() waits for a tick in flight). */
  start(): () => void {
    return this.upkeep.every(this.o.everyMs ?? MINUTE_MS);
  }

  /** One tick: the upkeep step when this instance holds (or takes) the lease, otherwise what others stored. */
  tick(): Promise<TickOutcome> {
    return this.upkeep.runOnce();
  }

  idle(): Promise<void> {
    return this.upkeep.idle();
  }

  /** Writes what is still queued for the Store and gives the lease up, so another instance takes the upkeep at once. */
  async close(): Promise<void> {
    await this.idle();
    await this.o.inventory.flush();
    const held = this.held;
    this.held = undefined;
    if (held) await this.leases.release(UPKEEP_LEASE, held).catch((error: unknown) => this.o.logger.warn({ err: error }, 'inventory: the upkeep lease could not be released; it lapses'));
  }

  private async once(): Promise<TickOutcome> {
    try {
      this.held = await this.leases.take(UPKEEP_LEASE);
      if (!this.held) {
        await this.o.inventory.sync();
        return 'synced';
      }
      const step = await this.o.refresher.step();
      if (step.calls > 0) this.o.logger.debug({ ...step }, 'inventory step');
      return 'stepped';
    } catch (error) {
      // Azure DevOps errors are the refresher's to report; this is the Store (or a bug): logged, tried next tick.
      this.o.logger.warn({ err: error, code: isAppError(error) ? error.code : undefined }, 'inventory upkeep failed; tried again next minute');
      return 'failed';
    }
  }
}
