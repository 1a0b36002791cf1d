/**
 * Follows the Azure DevOps audit log for the inventory: reads the window since its cursor (kept in the Store, so a
 * restart continues where it stopped), turns the new changes into the projects to list again
 * (src/domain/inventory-refresh.ts), notes who changed what outside the bot, and says whether the log can be
 * relied on (readable, and live: it shows entries, the bot's own reads at least). One instance follows at a time
 * (the caller's lease); a read that fails is tried again at the next step.
 */
import type { Clock } from '../domain/time';
import { afterRead, auditIsLive, auditWindow, planFromChanges, type AuditCursor, type ChangePlan } from '../domain/inventory-refresh';
import type { ConnectionChangeLog } from '../devops/connection-change-log.port';
import type { Store } from '../store/store.port';
import type { ConnectionInventory } from './connection-inventory';
import { INVENTORY_COLLECTION } from './inventory-store';

const CURSOR_KEY = 'audit-cursor';
/** A log the bot may not read (403, no audit service) is asked again after this long: permissions change. */
const UNAVAILABLE_RETRY_MS = 24 * 3_600_000;
/** Pages one read may take (each a call); a busier window is left to the periodic sweep. */
const MAX_PAGES = 20;

export type AuditState = 'live' | 'silent' | 'forbidden' | 'not-found' | 'failed';

export interface FollowOutcome {
  state: AuditState;
  /** Calls the read made (pages). */
  calls: number;
  plan: ChangePlan | undefined;
  /** Everything listed before this instant (ms) may have missed a change the log could not place. */
  sweepBefore: number | undefined;
  /**
   * Moves the cursor past what was read: call it once the plan's projects were listed, so a process that dies in
   * between reads the same changes again (relisting twice is harmless; missing a change is not).
   */
  commit(): Promise<void>;
}

const nothingToCommit = async (): Promise<void> => undefined;

export class AuditFollower {
  private lastEntrySeenAt: number | undefined;
  private unavailable: { reason: 'forbidden' | 'not-found'; at: number } | undefined;

  constructor(private readonly o: { log: ConnectionChangeLog; inventory: ConnectionInventory; store: Store; clock: Clock }) {}

  /** Whether the log is readable and has shown entries lately: the periodic refresh may then stand down. */
  live(now: number): boolean {
    return !this.unavailable && auditIsLive(this.lastEntrySeenAt, now);
  }

  /** Reads what the log recorded since the cursor; the caller lists `plan.relist` again, applies `plan.notes`, then commits. */
  async follow(): Promise<FollowOutcome> {
    const now = this.o.clock.now().getTime();
    if (this.unavailable && now - this.unavailable.at < UNAVAILABLE_RETRY_MS) return { state: this.unavailable.reason, calls: 0, plan: undefined, sweepBefore: undefined, commit: nothingToCommit };
    const stored = await this.o.store.get<AuditCursor>(INVENTORY_COLLECTION, CURSOR_KEY);
    const cursor = stored?.value;
    const window = auditWindow(cursor, this.oldestList(now), now);
    const read = await this.o.log.changesBetween(new Date(window.since), new Date(window.until), { maxPages: MAX_PAGES });
    if (read.kind === 'unavailable') {
      this.unavailable = { reason: read.reason, at: now };
      return { state: read.reason, calls: 1, plan: undefined, sweepBefore: undefined, commit: nothingToCommit };
    }
    this.unavailable = undefined;
    if (read.entries > 0) this.lastEntrySeenAt = now;
    const next = afterRead(cursor, read.changes, window.until);
    const plan = planFromChanges(next.fresh, (id) => this.o.inventory.connection(id).map((m) => m.projectId));
    const commit = async () => void await this.o.store.put(INVENTORY_COLLECTION, CURSOR_KEY, next.cursor, stored?.version);
    // A window with more pages than one read takes: what the unread pages held is found by sweeping instead.
    const sweepBefore = read.complete ? plan.unplacedAt : window.until;
    return { state: this.live(now) ? 'live' : 'silent', calls: read.calls, plan, sweepBefore, commit };
  }

  /** The first read looks back to the oldest list the inventory holds: what changed since then is what it misses. */
  private oldestList(now: number): number {
    return this.o.inventory.age().oldestReadAt ?? now;
  }
}
