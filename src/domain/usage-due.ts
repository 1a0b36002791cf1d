/**
 * When a connection's execution history needs reading again, from what an earlier read learnt (its last use, and
 * when that was read). Pure. The findings that history decides (unused, will-be-disabled) are functions of the
 * last use and the clock, and a newer use can only make a connection idle for less, so:
 *   - what was learnt gives, at any later time, the finding a read would give if nothing was used since;
 *   - a connection finding-free at its last read stays finding-free until its idle time crosses a threshold,
 *     whatever happens meanwhile: it is read again only once a threshold has been crossed since that read;
 *   - a connection with a finding is read again after the refresh period, to see a use that resolves it.
 */
import { AUTO_DISABLE_DAYS } from './disable';
import { unusedFinding, willBeDisabledFinding, type Finding, type FindingThresholds, type Subject } from './findings';
import { DAY_MS } from './time';

/** One connection's last use (epoch ms; absent: no execution record) as read at `checkedAt` (epoch ms). */
export interface KnownUse {
  lastUsed?: number;
  checkedAt: number;
}

/** Why a read is needed, in the order reads are made when the call budget cannot make them all. */
export type UsageDue = 'never-read' | 'crossed' | 'refresh';
export const DUE_ORDER: Readonly<Record<UsageDue, number>> = { 'never-read': 0, crossed: 1, refresh: 2 };

export interface UsageChecks {
  thresholds: FindingThresholds;
  /** false: only the will-be-disabled check reads history. */
  checkUnused: boolean;
  /** A connection with a finding is read again after between half and all of this (spread by its id). */
  refreshMs: number;
}


/** About to be disabled supersedes plain unused: its fix is not only Delete (one read, one finding). */
export function usageFinding(subject: Subject, lastUsed: string | undefined, createdAt: string | Date | null | undefined, now: Date, checks: Omit<UsageChecks, 'refreshMs'>): Finding | undefined {
  return willBeDisabledFinding(subject, lastUsed, createdAt, now, checks.thresholds)
    ?? (checks.checkUnused ? unusedFinding(subject, lastUsed, createdAt, now, checks.thresholds) : undefined);
}

/** The finding what was learnt gives now (as a read would, if nothing used the connection since). */
export function knownFinding(subject: Subject, known: KnownUse, createdAt: string | Date | null | undefined, now: Date, checks: Omit<UsageChecks, 'refreshMs'>): Finding | undefined {
  return usageFinding(subject, known.lastUsed === undefined ? undefined : new Date(known.lastUsed).toISOString(), createdAt, now, checks);
}

/** The instants the finding can change without a new use: each threshold of idle time, counted from `since`. */
function thresholdsAfter(since: number, checks: UsageChecks): number[] {
  const t = checks.thresholds;
  return [
    ...(checks.checkUnused ? [t.unusedDays] : []),
    ...(t.disableWarnDays > 0 ? [t.disableWarnDays, AUTO_DISABLE_DAYS] : []),
  ].map((days) => since + days * DAY_MS);
}

/** A stable fraction in [0, 1) per connection id (FNV-1a), so refreshes spread out instead of coming due together. */
export function spreadOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash / 0x1_0000_0000;
}

/** Why this connection's history must be read now; undefined when what was learnt still decides its finding. */
export function usageDue(subject: Subject, known: KnownUse | undefined, createdAt: string | Date | null | undefined, now: Date, checks: UsageChecks): UsageDue | undefined {
  if (!known) return 'never-read';
  const at = now.getTime();
  // A memory from the future (a clock set back) says nothing about now.
  if (known.checkedAt > at) return 'crossed';
  const created = createdAt === null || createdAt === undefined ? Number.NaN : new Date(createdAt).getTime();
  const since = known.lastUsed ?? created;
  if (!Number.isNaN(since) && thresholdsAfter(since, checks).some((t) => t > known.checkedAt && t <= at)) return 'crossed';
  if (!knownFinding(subject, known, createdAt, now, checks)) return undefined;
  const refreshAfter = checks.refreshMs * (0.5 + 0.5 * spreadOf(subject.endpointId.toLowerCase()));
  return at - known.checkedAt >= refreshAfter ? 'refresh' : undefined;
}
