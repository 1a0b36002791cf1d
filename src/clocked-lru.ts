/**
 * An lru-cache whose entries expire on the injected Clock (tests advance time instead of sleeping), with the rule
 * the bot's caches keep: an entry set at `at` is gone once `now - at >= ttlMs`. lru-cache counts an entry stale only
 * when strictly older than its ttl, and reads a start time of 0 as "no ttl" (a test clock at the epoch), so the clock
 * is read one ms late and the ttl is one ms shorter: the same rule, in whole milliseconds.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from './domain/time';

export function clockedLru<K extends object | string, V extends object | string>(o: { clock: Clock; ttlMs: number; max: number }): LRUCache<K, V> {
  return new LRUCache<K, V>({
    max: o.max, ttl: Math.max(1, o.ttlMs - 1), ttlResolution: 0,
    perf: { now: () => o.clock.now().getTime() + 1 },
  });
}
