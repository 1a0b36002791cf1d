/**
 * A rate-limiter-flexible limiter whose counters live in the shared Store, so every instance counts the same calls:
 * one record per key, `{ points, expiresAt }`, updated by compare-and-swap on its version (a create when there is
 * none), retried on a conflict, as other shared records are. A window that has expired is started again by the next
 * write. Anything but a conflict (the store down, a conflict that keeps coming back) rejects: the caller decides
 * what an unknown count means (src/mcp/caller-rate-limit.ts refuses the call: fail closed).
 *   rate-limits/<prefix>:<key>   one counter per key (a caller's object id), overwritten when its window ends
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import StoreAbstract from 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js';
import type { Clock } from '../domain/time';
import { VersionConflictError, type Store } from './store.port';

export const RATE_LIMIT_COLLECTION = 'rate-limits';

/** A counter as stored: points used in the window and when the window ends (epoch ms; -1 = never). */
interface Counter {
  points: number;
  expiresAt: number;
}

/** Several instances writing one key at once each retry; this many conflicts in a row is no longer contention. */
const MAX_ATTEMPTS = 16;

export class StoreCounterContentionError extends Error {
  readonly code = 'STORE.CONTENDED';
  constructor(key: string) {
    super(`rate-limit counter ${key} kept changing under ${MAX_ATTEMPTS} writes`);
    this.name = 'StoreCounterContentionError';
  }
}

export interface StoreRateLimiterOptions {
  store: Store;
  clock: Clock;
  points: number;
  /** Window length in seconds. */
  duration: number;
  keyPrefix: string;
  /** After the store refused a key, refuse it from memory until its window ends (no store call per refused call). */
  inMemoryBlockOnConsumed?: number;
}

export class StoreRateLimiter extends StoreAbstract {
  private readonly store: Store;
  private readonly clock: Clock;

  constructor(o: StoreRateLimiterOptions) {
    super({ storeClient: o.store, points: o.points, duration: o.duration, keyPrefix: o.keyPrefix, ...(o.inMemoryBlockOnConsumed ? { inMemoryBlockOnConsumed: o.inMemoryBlockOnConsumed } : {}) });
    this.store = o.store;
    this.clock = o.clock;
  }

  /** Adds `points` to the key's window (a new window if none is running, or `forceExpire`: set, as block() does). */
  protected async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<Counter> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const read = await this.store.get<Counter>(RATE_LIMIT_COLLECTION, rlKey);
      const now = this.now();
      const running = read && !forceExpire && !this.expired(read.value, now);
      const next: Counter = running
        ? { points: read.value.points + points, expiresAt: read.value.expiresAt }
        : { points, expiresAt: msDuration > 0 ? now + msDuration : -1 };
      try {
        await this.store.put(RATE_LIMIT_COLLECTION, rlKey, next, read?.version);
        return next;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
    throw new StoreCounterContentionError(rlKey);
  }

  protected async _get(rlKey: string): Promise<Counter | null> {
    const read = await this.store.get<Counter>(RATE_LIMIT_COLLECTION, rlKey);
    return read && !this.expired(read.value, this.now()) ? read.value : null;
  }

  protected async _delete(rlKey: string): Promise<boolean> {
    const existed = (await this.store.get<Counter>(RATE_LIMIT_COLLECTION, rlKey)) !== undefined;
    await this.store.delete(RATE_LIMIT_COLLECTION, rlKey);
    return existed;
  }

  protected _getRateLimiterRes(_rlKey: string, changedPoints: number, counter: Counter): RateLimiterRes {
    const consumed = counter.points;
    const msBeforeNext = counter.expiresAt === -1 ? -1 : Math.max(counter.expiresAt - this.now(), 0);
    return new RateLimiterRes(Math.max(this.points - consumed, 0), msBeforeNext, consumed, changedPoints === consumed);
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private expired(counter: Counter, now: number): boolean {
    return counter.expiresAt !== -1 && counter.expiresAt <= now;
  }
}
