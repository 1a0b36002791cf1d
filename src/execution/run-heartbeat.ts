/**
 * The item lease's heartbeat. An item being executed names its run (`runId`); the run keeps one record,
 * `run-heartbeats/<runId>`, whose expiry it pushes out every lease/3 while it lives. A run that died (kill -9, lost
 * host) stops renewing, so within one lease period its items count as abandoned and the next run resumes them. One
 * record per run, not per item: renewals never race the items' own compare-and-swap writes.
 */
import { type Clock, every, type Repeat } from '../domain/time';
import type { Store } from '../store/store.port';

export const RUN_HEARTBEATS = 'run-heartbeats';
/** Short: a crashed run's items are resumed within this long (plus one sweep) after the crash. */
export const DEFAULT_ITEM_LEASE_MS = 15_000;

interface HeartbeatRecord {
  expiresAt: string;
}

export class RunHeartbeat {
  private stopTimer: () => void = () => undefined;
  private beating: Promise<void> = Promise.resolve();
  private version: string | undefined;

  private constructor(private readonly store: Store, private readonly clock: Clock, readonly runId: string, private readonly leaseMs: number) {}

  /** Writes the first beat, then renews every lease/3 until stop(). Renewal failures only log (item leases hold). */
  static async start(o: { store: Store; clock: Clock; runId: string; leaseMs: number; repeat?: Repeat; onFailed?: (error: unknown) => void }): Promise<RunHeartbeat> {
    const beat = new RunHeartbeat(o.store, o.clock, o.runId, o.leaseMs);
    await beat.beat();
    beat.stopTimer = (o.repeat ?? every)(() => {
      beat.beating = beat.beating.then(() => beat.beat()).catch((error: unknown) => o.onFailed?.(error));
    }, Math.max(1, Math.floor(o.leaseMs / 3)));
    return beat;
  }

  /** The run ended: no more beats, and its record goes (items it left running lapse by their own leaseUntil). */
  async stop(): Promise<void> {
    this.stopTimer();
    await this.beating;
    await this.store.delete(RUN_HEARTBEATS, this.runId, this.version).catch(() => undefined);
  }

  /** Only this run writes its record (its id is random), so the version it holds is always the current one. */
  private async beat(): Promise<void> {
    const value: HeartbeatRecord = { expiresAt: new Date(this.clock.now().getTime() + this.leaseMs).toISOString() };
    this.version = (await this.store.put<HeartbeatRecord>(RUN_HEARTBEATS, this.runId, value, this.version)).version;
  }
}

/** Whether the run named on an item is alive (its heartbeat is current). */
export async function runIsAlive(store: Store, clock: Clock, runId: string): Promise<boolean> {
  const record = await store.get<HeartbeatRecord>(RUN_HEARTBEATS, runId);
  return record !== undefined && Date.parse(record.value.expiresAt) > clock.now().getTime();
}

/**
 * A run killed without stop() leaves its record behind. Once it lapsed long ago (an hour: no item can still be
 * waiting on it, its items' own leases are seconds), it is removed, so crashes do not add up in the store.
 */
export async function forgetLapsedHeartbeats(store: Store, clock: Clock, olderThanMs = 3_600_000): Promise<void> {
  const cutoff = clock.now().getTime() - olderThanMs;
  for (const record of await store.list<HeartbeatRecord>(RUN_HEARTBEATS)) {
    if (Date.parse(record.value.expiresAt) < cutoff) await store.delete(RUN_HEARTBEATS, record.key, record.version).catch(() => undefined);
  }
}
