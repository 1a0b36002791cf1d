import type { ConnectionChange } from '../domain/connection-change';

/**
 * What one read of the change log gave. `unavailable`: the organization has no audit log the bot may read
 * (forbidden: the identity lacks "View audit log"; not-found: no audit service, e.g. an organization not backed by
 * Entra). `entries` counts every entry the window held, of any kind, the bot's own reads of the log included:
 * a log that stays empty is not being written (auditing off). `calls`: pages read. `complete` is false when the page limit stopped the
 * read before the oldest entries of the window.
 */
export type ChangeLogRead =
  | { kind: 'read'; changes: ConnectionChange[]; entries: number; complete: boolean; calls: number }
  | { kind: 'unavailable'; reason: 'forbidden' | 'not-found' };

/** Changes to service connections, as the organization's audit log records them. */
export interface ConnectionChangeLog {
  /**
   * The service-connection changes recorded between `since` and `until`, oldest first, in at most `maxPages`
   * calls. Throws AppError (DEVOPS.*) when the service could not be read this time (throttled, unavailable).
   */
  changesBetween(since: Date, until: Date, options?: { maxPages?: number }): Promise<ChangeLogRead>;
}
