import type { Clock } from '../domain/time';
import type { MembershipSource } from './membership-source.port';

export const DEFAULT_MEMBERSHIP_TTL_MS = 120_000;
const MAX_ENTRIES = 1_000;

interface Entry {
  at: number;
  groups: Promise<string[]>;
}

/**
 * Remembers a user's groups briefly: a plan preview and its approval taps come in bursts, and Graph throttles.
 * Short on purpose: removing someone from the approvers group must take effect within minutes. Concurrent asks for
 * the same user share one call; a failed call is not remembered (the next turn asks again).
 */
export class CachingMembershipSource implements MembershipSource {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly inner: MembershipSource, private readonly clock: Clock, private readonly ttlMs = DEFAULT_MEMBERSHIP_TTL_MS) {}

  groupsOf(aadObjectId: string): Promise<string[]> {
    const key = aadObjectId.toLowerCase();
    const now = this.clock.now().getTime();
    const cached = this.entries.get(key);
    if (cached && now - cached.at < this.ttlMs) return cached.groups.then((g) => [...g]);
    const groups = this.inner.groupsOf(aadObjectId);
    this.entries.delete(key);
    this.entries.set(key, { at: now, groups });
    this.evictOldest();
    groups.catch(() => {
      if (this.entries.get(key)?.groups === groups) this.entries.delete(key);
    });
    return groups.then((g) => [...g]);
  }

  private evictOldest(): void {
    // Maps iterate in insertion order, and every refresh re-inserts: the first key is the oldest.
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) return;
      this.entries.delete(oldest);
    }
  }
}
