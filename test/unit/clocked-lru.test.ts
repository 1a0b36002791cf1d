import { describe, expect, it } from 'vitest';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { clockedLru } from '../../src/clocked-lru';

/** The caches' shared rule on lru-cache: gone once `now - at >= ttl`, on the injected clock, even at the epoch. */
describe('clockedLru', () => {
  it.each([['at the epoch', new Date(0)], ['on a real date', new Date('2026-12-07T05:00:00Z')]])('an entry lives exactly ttl ms (%s)', (_when, start) => {
    const clock = new ManualClock(start);
    const cache = clockedLru<string, string[]>({ clock, ttlMs: 60_000, max: 10 });
    cache.set('a', ['x']);
    clock.advance(59_999);
    expect(cache.get('a')).toEqual(['x']);
    clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps at most max entries, the least recently used going first', () => {
    const cache = clockedLru<string, string>({ clock: new ManualClock(), ttlMs: 60_000, max: 2 });
    cache.set('a', '1');
    cache.set('b', '2');
    cache.get('a');
    cache.set('c', '3');
    expect([...cache.keys()].sort()).toEqual(['a', 'c']);
  });
});
