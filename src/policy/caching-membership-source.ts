import type { LRUCache } from 'lru-cache';
import { clockedLru } from '../clocked-lru';
import type { Clock } from '../domain/time';
import type { MembershipSource } from './membership-source.port';

export const DEFAULT_MEMBERSHIP_TTL_MS = 120_000;
const MAX_ENTRIES = 1_000;

/**
 * Remembers a user's groups briefly: a plan preview and its approval taps come in bursts, and Graph throttles.
 * Short on purpose: removing someone from the approvers group must take effect within minutes. Concurrent asks for
 * the same user share one call; a failed call is not remembered (the next turn asks again).
 */
export class CachingMembershipSource implements MembershipSource {
  /** The call per user, answered or not yet: the least recently asked go first past MAX_ENTRIES. */
  private readonly entries: LRUCache<string, Promise<string[]>>;

  constructor(private readonly inner: MembershipSource, clock: Clock, ttlMs = DEFAULT_MEMBERSHIP_TTL_MS) {
    this.entries = clockedLru({ clock, ttlMs, max: MAX_ENTRIES });
  }

  groupsOf(aadObjectId: string): Promise<string[]> {
    const key = aadObjectId.toLowerCase();
    const cached = this.entries.get(key);
    if (cached) return cached.then((g) => [...g]);
    const groups = this.inner.groupsOf(aadObjectId);
    this.entries.set(key, groups);
    groups.catch(() => {
      if (this.entries.peek(key) === groups) this.entries.delete(key);
    });
    return groups.then((g) => [...g]);
  }
}
