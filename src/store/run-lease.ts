/**
 * A run-level lease per plan, so only one bot instance executes a given plan at a time. Item leases (executor)
 * already stop two runs doing the same item; this one stops a second instance from resuming a plan another live
 * instance is still running at all. One Store record per plan (`run-leases/<planId>`): owner + expiry, taken and
 * renewed by compare-and-swap; an expired lease may be taken over (its owner crashed or lost the store).
 */
import { randomUUID } from 'node:crypto';
import { every, type Clock, type Repeat } from '../domain/time';
import { VersionConflictError, type Store, type Versioned } from './store.port';

export const RUN_LEASES = 'run-leases';
/** Short, renewed every lease/3 while the holder lives: a crashed holder's plan is taken over within this long. */
export const DEFAULT_RUN_LEASE_MS = 15_000;

export interface RunLeaseRecord {
  owner: string;
  /** ISO time after which another instance may take the lease over. */
  expiresAt: string;
}

export interface RunLeasesOptions {
  store: Store;
  clock: Clock;
  /** This instance's identity; a fresh random id per process by default. */
  owner?: string;
  leaseMs?: number;
  repeat?: Repeat;
  onRenewFailed?: (planId: string, error: unknown) => void;
}

export type Held<T> = { taken: true; value: T } | { taken: false };

export class RunLeases {
  readonly owner: string;
  readonly leaseMs: number;
  private readonly repeat: Repeat;
  /** The leases held now, each with the function that stops renewing and releases it. */
  private readonly holding = new Map<string, () => Promise<void>>();

  constructor(private readonly o: RunLeasesOptions) {
    this.owner = o.owner ?? randomUUID();
    this.leaseMs = o.leaseMs ?? DEFAULT_RUN_LEASE_MS;
    this.repeat = o.repeat ?? every;
  }

  /** The lease, or undefined when another owner holds a current one (or won the race for it). */
  async take(planId: string): Promise<Versioned<RunLeaseRecord> | undefined> {
    const current = await this.o.store.get<RunLeaseRecord>(RUN_LEASES, planId);
    if (current && current.value.owner !== this.owner && !this.expired(current.value)) return undefined;
    return this.write(planId, current?.version);
  }

  /** Extends a held lease; undefined when it was lost (taken over after expiry, or released elsewhere). */
  async renew(planId: string, held: Versioned<RunLeaseRecord>): Promise<Versioned<RunLeaseRecord> | undefined> {
    return this.write(planId, held.version);
  }

  /** Gives the lease up; a lease already taken over or gone is left as it is. */
  async release(planId: string, held: Versioned<RunLeaseRecord>): Promise<void> {
    try {
      await this.o.store.delete(RUN_LEASES, planId, held.version);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }

  /**
   * Runs `work` while holding the lease (renewed every lease/3), then releases it; leaves the plan alone if taken.
   * `work` gets a signal that aborts when the lease is lost (taken over after it lapsed): the work should start
   * nothing new from then on, since another instance now owns the run. A renewal that merely fails (store
   * unreachable) keeps going: the lease may still be ours, and item leases still stop double work.
   */
  async holdWhile<T>(planId: string, work: (lost: AbortSignal) => Promise<T>): Promise<Held<T>> {
    let held = await this.take(planId);
    if (!held) return { taken: false };
    const lost = new AbortController();
    let renewing = Promise.resolve();
    const stop = this.repeat(() => {
      renewing = renewing.then(async () => {
        if (!held) return;
        held = await this.renew(planId, held).catch((error: unknown) => {
          this.o.onRenewFailed?.(planId, error);
          return held;
        });
        if (!held) {
          this.o.onRenewFailed?.(planId, new VersionConflictError(`${RUN_LEASES}/${planId}`));
          lost.abort();
        }
      });
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
    let given: Promise<void> | undefined;
    const giveUp = () => (given ??= (async () => {
      stop();
      await renewing;
      if (held) await this.release(planId, held);
      held = undefined;
    })());
    this.holding.set(planId, giveUp);
    try {
      return { taken: true, value: await work(lost.signal) };
    } finally {
      this.holding.delete(planId);
      await giveUp();
    }
  }

  /**
   * Releases every run lease this instance holds, work still running or not: a drain whose grace ran out, right
   * before the process exits. Another instance takes the plans over at once; the items still in flight stay
   * claimed by their own item leases, so none is done twice.
   */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.holding.values()].map((giveUp) => giveUp()));
  }

  private expired(lease: RunLeaseRecord): boolean {
    return Date.parse(lease.expiresAt) <= this.o.clock.now().getTime();
  }

  private async write(planId: string, version: string | undefined): Promise<Versioned<RunLeaseRecord> | undefined> {
    const value = { owner: this.owner, expiresAt: new Date(this.o.clock.now().getTime() + this.leaseMs).toISOString() };
    try {
      return await this.o.store.put<RunLeaseRecord>(RUN_LEASES, planId, value, version);
    } catch (error) {
      if (error instanceof VersionConflictError) return undefined;
      throw error;
    }
  }
}
