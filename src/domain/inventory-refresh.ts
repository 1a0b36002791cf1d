/**
 * When the inventory reads what again (issue 24 §4), as pure decisions over what is known: the audit log's changes
 * since the last cursor say which projects to list again; without a usable audit log, a periodic refresh lists the
 * stalest projects at the pace a share of the rate budget allows. Time comes in as numbers (ms), never from a clock.
 */
import type { ConnectionChange } from './connection-change';

/** How far back each audit read looks past the previous one: [infer] entries reach the log a few minutes late. */
export const AUDIT_OVERLAP_MS = 10 * 60_000;
/**
 * [infer] The service logs reads of the audit log itself (`AuditLog.AccessLog`, the documented sample), so a log
 * that has shown no entry at all for this long — not even the bot's own earlier reads — is not being written:
 * auditing is off, and the periodic refresh takes over.
 */
export const AUDIT_SILENT_AFTER_MS = 60 * 60_000;

/** What the audit log reads have covered so far. */
export interface AuditCursor {
  /** ISO instant up to which the log was read. */
  readTo: string;
  /** Ids of the changes read within the overlap before `readTo`: the next read sees them again. */
  seen: string[];
}

export interface ChangePlan {
  /** Projects to list again, by id, each once, in the order the changes came. */
  relist: string[];
  /** Changes made outside the bot to note on their connections (who changed or disabled what). */
  notes: ConnectionChange[];
  /** Newest time (ms) of a change no listed project could be found for (a connection created in several projects). */
  unplacedAt: number | undefined;
}

/** The window the next read asks for: from the cursor less the overlap, else from `fallbackSince` (the oldest list). */
export function auditWindow(cursor: AuditCursor | undefined, fallbackSince: number, now: number): { since: number; until: number } {
  const since = cursor ? Date.parse(cursor.readTo) - AUDIT_OVERLAP_MS : fallbackSince;
  return { since: Math.min(since, now), until: now };
}

/** The changes not seen before, and the cursor after a read of the window up to `until` (ms). */
export function afterRead(cursor: AuditCursor | undefined, changes: readonly ConnectionChange[], until: number): { fresh: ConnectionChange[]; cursor: AuditCursor } {
  const seen = new Set(cursor?.seen ?? []);
  const fresh = changes.filter((c) => !seen.has(c.entryId));
  const overlapFrom = until - AUDIT_OVERLAP_MS;
  const kept = changes.filter((c) => Date.parse(c.at) >= overlapFrom).map((c) => c.entryId);
  return { fresh, cursor: { readTo: new Date(until).toISOString(), seen: [...new Set(kept)] } };
}

/**
 * Which projects to list again for these changes. The bot's own changes are skipped (it corrected the inventory
 * when it made them). A change that names its project lists that project. One that does not (a change across
 * several projects) lists a project the connection is known in — its list carries every project reference, and
 * the inventory spreads the connection to them — or, for a delete, every project it is known in.
 * `where(connectionId)`: the listed projects the inventory has the connection in.
 */
export function planFromChanges(changes: readonly ConnectionChange[], where: (connectionId: string) => readonly string[]): ChangePlan {
  const relist = new Set<string>();
  const notes: ConnectionChange[] = [];
  let unplacedAt: number | undefined;
  for (const change of changes) {
    if (change.actor.kind === 'bot') continue;
    if (change.connectionId) notes.push(change);
    if (change.projectId) {
      relist.add(change.projectId);
      continue;
    }
    const known = change.connectionId ? where(change.connectionId) : [];
    const targets = change.action === 'deleted' ? known : known.slice(0, 1);
    for (const project of targets) relist.add(project);
    if (targets.length === 0) unplacedAt = Math.max(unplacedAt ?? 0, Date.parse(change.at) || 0);
  }
  return { relist: [...relist], notes, unplacedAt };
}

/** Whether the audit log can be relied on: it answered, and showed some entry within AUDIT_SILENT_AFTER_MS. */
export function auditIsLive(lastEntrySeenAt: number | undefined, now: number): boolean {
  return lastEntrySeenAt !== undefined && now - lastEntrySeenAt < AUDIT_SILENT_AFTER_MS;
}

export interface RefreshBudget {
  /** The share of the rate budget (0..1) the periodic refresh may spend. */
  share: number;
  /** Calls the rate budget allows per window. */
  callsPerWindow: number;
  windowMs: number;
}

/** [infer] 200 TSTU per sliding 5 minutes (facts §7.6), a list call taken as costing at most one TSTU. */
export const DOCUMENTED_BUDGET = { callsPerWindow: 200, windowMs: 300_000 } as const;

export interface ProjectAge {
  projectId: string;
  /** When the inventory last listed it (ms); undefined: never. */
  readAt: number | undefined;
}

export interface PeriodicPick {
  /** Projects to list now, stalest first (never-listed before all). */
  pick: string[];
  /** Calls earned but not spent (fractions carry to the next tick; capped at one window's share). */
  credit: number;
}

/**
 * The periodic refresh's step: over `elapsedMs` since the last step it earns `share × callsPerWindow` calls per
 * window, and spends them on the projects last listed before `staleBefore`, stalest first. Projects listed since
 * are left alone, so a refresh people asked for is never repeated by this one.
 */
export function periodicPick(projects: readonly ProjectAge[], staleBefore: number, elapsedMs: number, credit: number, budget: RefreshBudget): PeriodicPick {
  const perWindow = Math.max(0, budget.share) * budget.callsPerWindow;
  const earned = Math.min(perWindow, credit + (perWindow * Math.max(0, elapsedMs)) / budget.windowMs);
  const stale = projects.filter((p) => p.readAt === undefined || p.readAt < staleBefore)
    .sort((a, b) => (a.readAt ?? -1) - (b.readAt ?? -1));
  // The epsilon: a third and two thirds of a call make one whole call, not 0.999….
  const pick = stale.slice(0, Math.floor(earned + 1e-9)).map((p) => p.projectId);
  return { pick, credit: pick.length < stale.length ? Math.max(0, earned - pick.length) : 0 };
}

/** How long the periodic refresh takes to list every project once at this budget (for docs/commands.md and status). */
export function fullCycleMs(projectCount: number, budget: RefreshBudget): number {
  const perMs = (Math.max(0, budget.share) * budget.callsPerWindow) / budget.windowMs;
  return perMs > 0 ? Math.ceil(projectCount / perMs) : Number.POSITIVE_INFINITY;
}
