import type { FindingThresholds } from '../domain/findings';

/** What the radar watches, how often, and how it posts (from SCBOT_ALERT_* settings, bot/compose.ts). */
export interface AlertSettings {
  /** Minutes between scheduled scans; 0 = no schedule (`alerts scan` still scans). */
  intervalMinutes: number;
  /** Hours before a still-open finding is posted again; 0 = never. */
  reminderHours: number;
  /** More new findings than this at once are posted as one digest card. */
  digestOver: number;
  thresholds: FindingThresholds;
  /** Whether the unused check (one execution-history read per old connection) runs. */
  checkUnused: boolean;
  /** What is watched: the configured projects, or every project when empty. */
  projects: readonly string[];
}
