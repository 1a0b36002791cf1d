import type { AuditEvent } from '../domain/audit';

export interface AuditQuery {
  /** A connection's name or id (case-insensitive): events that list it. */
  connection?: string;
  planId?: string;
  /** At most this many events (the newest); all when omitted. */
  last?: number;
  /**
   * Keeps (or narrows) an event, or drops it (undefined), before `last` counts: dropped events never eat the page,
   * and with `last` the read stops once it holds that many kept events instead of reading the whole trail.
   */
  select?: (event: AuditEvent) => AuditEvent | undefined;
}

export interface StrangerRefusal {
  /** As the activity claims it; anything but a GUID is counted as "unknown". */
  tenantId?: string;
  /** The denial code, e.g. TENANT_NOT_ALLOWED. */
  reason: string;
  at: Date;
}

/**
 * The append-only audit trail: who asked for, approved, rejected and executed which change. There is no update
 * and no delete; appending an event whose id was already written fails instead of replacing it.
 */
export interface AuditLog {
  /** Records an event; rejects (VersionConflictError) when the same event was already recorded. */
  append(event: AuditEvent): Promise<void>;
  /**
   * Counts a refusal from outside the tenant allow-list instead of recording it: one record per tenant per hour,
   * so strangers cannot grow the trail one message at a time.
   */
  countRefusal(refusal: StrangerRefusal): Promise<void>;
  /** Matching events, newest first. */
  query(query?: AuditQuery): Promise<AuditEvent[]>;
}
