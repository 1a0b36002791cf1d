/**
 * The health trend: one small record per day of what the radar's scans found (`health-days/<YYYY-MM-DD>`, the day's
 * last good scan wins), so the health card can draw the last weeks. Bounded by itself: each record is a few numbers,
 * and writing one removes the days older than `keepDays`, so the collection never holds more than that many.
 */
import type { ConnectionCensus } from '../domain/census';
import type { Finding } from '../domain/findings';
import { VersionConflictError, type Store } from '../store/store.port';

export const HEALTH_DAYS = 'health-days';
/** Days of history kept: a quarter shows a trend; older days are removed when a new one is written. */
export const DEFAULT_KEEP_DAYS = 90;
const DAY_MS = 86_400_000;

export interface HealthDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  critical: number;
  warning: number;
  info: number;
  connections: number;
  /** Connections without a secret (workload identity federation), and with one; absent when the scan did not count. */
  federated?: number;
  secret?: number;
}

export function healthDayOf(at: string, findings: readonly Finding[], connections: number, census?: ConnectionCensus): HealthDay {
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  return {
    day: at.slice(0, 10), critical: count('critical'), warning: count('warning'), info: count('info'), connections,
    ...(census ? { federated: census.federated, secret: census.secret } : {}),
  };
}

export class HealthHistory {
  constructor(private readonly store: Store, private readonly keepDays = DEFAULT_KEEP_DAYS) {}

  /** Writes the day (replacing an earlier scan of the same day), then forgets days past the window. */
  async record(day: HealthDay): Promise<void> {
    const current = await this.store.get<HealthDay>(HEALTH_DAYS, day.day);
    try {
      await this.store.put(HEALTH_DAYS, day.day, day, current?.version);
    } catch (error) {
      // Another instance's scan of the same day got there first: one record per day either way.
      if (!(error instanceof VersionConflictError)) throw error;
    }
    const oldest = new Date(Date.parse(`${day.day}T00:00:00.000Z`) - (this.keepDays - 1) * DAY_MS).toISOString().slice(0, 10);
    for (const key of await this.store.keys(HEALTH_DAYS)) {
      if (key < oldest) await this.store.delete(HEALTH_DAYS, key);
    }
  }

  /** The last `days` days that have a record, oldest first. */
  async recent(days: number): Promise<HealthDay[]> {
    const all = await this.store.list<HealthDay>(HEALTH_DAYS);
    return all.map((r) => r.value).sort((a, b) => a.day.localeCompare(b.day)).slice(-days);
  }
}
