import type { AuditEvent } from '../domain/audit';

export interface AuditQuery {
  /** A connection's name or id (case-insensitive): events that list it. */
  connection?: string;
  planId?: string;
  /** At most this many events (the newest); all when omitted. */
  last?: number;
}

/**
 * The append-only audit trail: who asked for, approved, rejected and executed which change. There is no update
 * and no delete; appending an event whose id was already written fails instead of replacing it.
 */
export interface AuditLog {
  /** Records an event; rejects (VersionConflictError) when the same event was already recorded. */
  append(event: AuditEvent): Promise<void>;
  /** Matching events, newest first. */
  query(query?: AuditQuery): Promise<AuditEvent[]>;
}
