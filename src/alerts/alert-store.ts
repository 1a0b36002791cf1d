/**
 * The radar's state in the shared Store, so every instance sees the same subscriptions and the same last scan:
 *   alert-subscriptions/<conversationId>  where to post (the conversation reference) and who subscribed it;
 *   alert-posted/<conversationId>         what was last posted there (so a finding is not posted twice);
 *   alert-scans/last                       the last scan: when, its findings, calls and notes (for `alerts status`).
 */
import type { Finding } from '../domain/findings';
import type { Posted } from '../domain/alert-delivery';
import { VersionConflictError, type Store, type Versioned } from '../store/store.port';
import type { ScanGaps, ScanStats } from './scanner';

export const SUBSCRIPTIONS = 'alert-subscriptions';
export const POSTED = 'alert-posted';
export const SCANS = 'alert-scans';
const LAST = 'last';

export interface Subscription {
  conversationId: string;
  /** The Bot Framework conversation reference, as JSON (serviceUrl, conversation, bot, tenant). */
  reference: Record<string, unknown>;
  tenantId?: string;
  subscribedBy: { name: string; aadObjectId?: string };
  subscribedAt: string;
  /** Only findings in these projects are posted here (`alerts on in <project>`); absent = every watched project. */
  projects?: string[];
  /** Scans in a row whose post the connector refused as gone or forbidden (the bot was removed); reset by a post. */
  refusedPosts?: number;
}

export interface ScanRecord {
  startedAt: string;
  finishedAt: string;
  /** False when the scan failed as a whole (nothing posted, previous findings kept). */
  ok: boolean;
  errorCode?: string;
  /** The open findings after this scan (gaps carried over from the previous one). */
  findings: Finding[];
  stats?: ScanStats;
  gaps?: ScanGaps;
  /** Subscriptions posted to, and posts that failed. */
  delivered?: { conversations: number; posts: number; failedPosts: number };
  /** Failed scans in a row, up to and including this one (0 or absent when this one worked). */
  failedInARow?: number;
  /** When the last scan that worked started (carried through failed scans). */
  lastOkAt?: string;
  /** Set while subscribers have been told the radar cannot scan; cleared (and announced) when a scan works again. */
  blindSince?: string;
}

const scopeOf = (s: Subscription): string => (s.projects ?? []).map((p) => p.toLowerCase()).sort().join('\n');

/** The findings a subscription wants: all, or those in its projects. */
export function inScope(subscription: Subscription, findings: readonly Finding[]): readonly Finding[] {
  if (!subscription.projects?.length) return findings;
  const wanted = new Set(subscription.projects.map((p) => p.toLowerCase()));
  return findings.filter((f) => wanted.has(f.project.toLowerCase()));
}

export class AlertStore {
  constructor(private readonly store: Store) {}

  async subscriptions(): Promise<Subscription[]> {
    return (await this.store.list<Subscription>(SUBSCRIPTIONS)).map((r) => r.value);
  }

  async subscription(conversationId: string): Promise<Subscription | undefined> {
    return (await this.store.get<Subscription>(SUBSCRIPTIONS, conversationId))?.value;
  }

  /**
   * Creates or refreshes (a newer reference, a new subscriber, another scope); true when it is new. A new scope
   * starts the conversation afresh: what it was told about other projects must not come back as "resolved".
   */
  async subscribe(subscription: Subscription): Promise<boolean> {
    for (;;) {
      const current = await this.store.get<Subscription>(SUBSCRIPTIONS, subscription.conversationId);
      try {
        await this.store.put(SUBSCRIPTIONS, subscription.conversationId, current ? { ...subscription, subscribedAt: current.value.subscribedAt } : subscription, current?.version);
        if (current && scopeOf(current.value) !== scopeOf(subscription)) await this.store.delete(POSTED, subscription.conversationId);
        return !current;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
  }

  /**
   * Counts a refused post (or resets the count after a good one); at `limit` in a row the subscription is removed.
   * Returns true when it was removed.
   */
  async countRefusal(conversationId: string, refused: boolean, limit: number): Promise<boolean> {
    const current = await this.store.get<Subscription>(SUBSCRIPTIONS, conversationId);
    if (!current) return false;
    const count = refused ? (current.value.refusedPosts ?? 0) + 1 : 0;
    if (count === (current.value.refusedPosts ?? 0)) return false;
    try {
      if (count >= limit) {
        await this.store.delete(SUBSCRIPTIONS, conversationId, current.version);
        await this.store.delete(POSTED, conversationId);
        return true;
      }
      const { refusedPosts: _old, ...rest } = current.value;
      await this.store.put(SUBSCRIPTIONS, conversationId, count > 0 ? { ...rest, refusedPosts: count } : rest, current.version);
    } catch (error) {
      // Someone re-subscribed or unsubscribed meanwhile: their action wins.
      if (!(error instanceof VersionConflictError)) throw error;
    }
    return false;
  }

  /** Removes the subscription and what was posted there; false when there was none. */
  async unsubscribe(conversationId: string): Promise<boolean> {
    const current = await this.store.get<Subscription>(SUBSCRIPTIONS, conversationId);
    if (!current) return false;
    await this.store.delete(SUBSCRIPTIONS, conversationId);
    await this.store.delete(POSTED, conversationId);
    return true;
  }

  async posted(conversationId: string): Promise<Versioned<Posted> | undefined> {
    return this.store.get<Posted>(POSTED, conversationId);
  }

  /**
   * Compare-and-swap on what the caller read; a conflict means another writer (an unsubscribe) got there first.
   * Returns the new version, for the next save of the same delivery.
   */
  async savePosted(conversationId: string, posted: Posted, version: string | undefined): Promise<string> {
    return (await this.store.put(POSTED, conversationId, posted, version)).version;
  }

  async lastScan(): Promise<ScanRecord | undefined> {
    return (await this.store.get<ScanRecord>(SCANS, LAST))?.value;
  }

  /** The last scan with its version, for the lease holder that will replace it. */
  async lastScanVersioned(): Promise<Versioned<ScanRecord> | undefined> {
    return this.store.get<ScanRecord>(SCANS, LAST);
  }

  /**
   * Only the lease holder writes it, replacing the version it read (one read of a record that holds every finding,
   * not two). A conflict means the lease was lost mid-scan and another instance saved a newer scan: theirs stands.
   */
  async saveScan(record: ScanRecord, version: string | undefined): Promise<boolean> {
    try {
      await this.store.put(SCANS, LAST, record, version);
      return true;
    } catch (error) {
      if (error instanceof VersionConflictError) return false;
      throw error;
    }
  }
}
