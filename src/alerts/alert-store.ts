/**
 * The radar's state in the shared Store, so every instance sees the same subscriptions and the same last scan:
 *   alert-subscriptions/<conversationId>  where to post (the conversation reference) and who subscribed it;
 *   alert-posted/<conversationId>         what was last posted there (so a finding is not posted twice);
 *   alert-scans/last                       the last scan: when, its findings, calls and notes (for `alerts status`).
 * The last two grow with the findings (~450 characters each: 1,500 of them are more than one Azure Table entity
 * holds), so they are headers whose findings (and a scan's notes and gaps) are in parts (src/store/record-parts.ts)
 * in `alert-posted-parts` and `alert-scan-parts`. Records saved whole before that are read as they are.
 */
import type { Finding } from '../domain/findings';
import type { Posted } from '../domain/alert-delivery';
import { hasParts, packBySize, PartedRecords } from '../store/record-parts';
import { scanFromParts, scanToParts, type ScanEntry, type ScanHeader, type ScanRecord } from './scan-record-parts';

export type { ScanRecord } from './scan-record-parts';
import { VersionConflictError, type Store, type Versioned } from '../store/store.port';

export const SUBSCRIPTIONS = 'alert-subscriptions';
export const POSTED = 'alert-posted';
export const POSTED_PARTS = 'alert-posted-parts';
export const SCANS = 'alert-scans';
export const SCAN_PARTS = 'alert-scan-parts';
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


const scopeOf = (s: Subscription): string => (s.projects ?? []).map((p) => p.toLowerCase()).sort().join('\n');

/** The findings a subscription wants: all, or those in its projects. */
export function inScope(subscription: Subscription, findings: readonly Finding[]): readonly Finding[] {
  if (!subscription.projects?.length) return findings;
  const wanted = new Set(subscription.projects.map((p) => p.toLowerCase()));
  return findings.filter((f) => wanted.has(f.project.toLowerCase()));
}

export class AlertStore {
  private readonly posts: PartedRecords<object, Posted>;
  private readonly scans: PartedRecords<ScanHeader, ScanEntry[]>;

  constructor(private readonly store: Store) {
    this.posts = new PartedRecords(store, POSTED, POSTED_PARTS);
    this.scans = new PartedRecords(store, SCANS, SCAN_PARTS);
  }

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
        if (current && scopeOf(current.value) !== scopeOf(subscription)) await this.posts.delete(subscription.conversationId);
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
        await this.posts.delete(conversationId);
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
    await this.posts.delete(conversationId);
    return true;
  }

  async posted(conversationId: string): Promise<Versioned<Posted> | undefined> {
    const read = await this.posts.read(conversationId);
    if (!read) return undefined;
    const value: Posted = hasParts(read.header.value) ? Object.assign({}, ...read.parts) : (read.header.value as Posted);
    return { value, version: read.header.version };
  }

  /**
   * Compare-and-swap on what the caller read; a conflict means another writer (an unsubscribe) got there first.
   * Returns the new version, for the next save of the same delivery.
   */
  async savePosted(conversationId: string, posted: Posted, version: string | undefined): Promise<string> {
    const parts = packBySize(Object.entries(posted), ([key, value]) => key.length + JSON.stringify(value).length + 4);
    return this.posts.save(conversationId, {}, parts.map((group): Posted => Object.fromEntries(group)), version);
  }

  async lastScan(): Promise<ScanRecord | undefined> {
    return (await this.lastScanVersioned())?.value;
  }

  /** The last scan with its version, for the lease holder that will replace it. */
  async lastScanVersioned(): Promise<Versioned<ScanRecord> | undefined> {
    const read = await this.scans.read(LAST);
    if (!read) return undefined;
    if (!hasParts(read.header.value)) return { value: read.header.value as ScanRecord, version: read.header.version };
    const { parts: _parts, ...header } = read.header.value;
    return { value: scanFromParts(header, read.parts), version: read.header.version };
  }

  /** When the last scan started, without its findings (read every tick; the findings only when a scan is due). */
  async lastScanStart(): Promise<string | undefined> {
    return (await this.scans.header(LAST))?.value.startedAt;
  }

  /**
   * Only the lease holder writes it, replacing the version it read (one read of a record that holds every finding,
   * not two). A conflict means the lease was lost mid-scan and another instance saved a newer scan: theirs stands.
   */
  async saveScan(record: ScanRecord, version: string | undefined): Promise<boolean> {
    const { header, parts } = scanToParts(record);
    try {
      await this.scans.save(LAST, header, parts, version);
      return true;
    } catch (error) {
      if (error instanceof VersionConflictError) return false;
      throw error;
    }
  }
}
