/** Retention settings and their defaults, apart from the sweeper so config.ts reads them without its imports. */
export interface RetentionSettings {
  /** Days a plan that ran (done, partially failed, failed) is kept after it settled. */
  planDays: number;
  /** Days audit events and counted refusals are kept. */
  auditDays: number;
  /** Minutes between sweeps; 0 = no schedule (sweep() still works). */
  sweepMinutes: number;
}

export const RETENTION_DEFAULTS: Readonly<RetentionSettings> = Object.freeze({ planDays: 30, auditDays: 400, sweepMinutes: 60 });
