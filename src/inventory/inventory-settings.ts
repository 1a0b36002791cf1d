/**
 * The inventory half of the configuration (see src/config.ts): how long a list counts as fresh, what share of the
 * rate budget the periodic refresh may spend when the audit log cannot say what changed, how often the audit log is
 * read, and the bound on what is kept.
 */
import { z } from 'zod';

export interface InventorySettings {
  /**
   * Seconds a project's list counts as fresh. Org-wide answers come from the inventory at once (with their age);
   * whoever asks while a project is older than this starts (or joins) the one background refresh.
   */
  freshSeconds: number;
  /** Percent of the rate budget the periodic refresh may spend (0 = none: only people's questions refresh). */
  refreshSharePercent: number;
  /** Minutes between reads of the Azure DevOps audit log (0 = never read it: periodic refresh only). */
  auditMinutes: number;
  /** Most connections kept; projects beyond are answered live. */
  maxConnections: number;
}

/**
 * 120 s: ten people asking within a minute share one refresh, and an answer is never presented as more than two
 * minutes old without a fresh one following; a refresh of 300 projects costs ~300 list calls, so a shorter window
 * would spend the bot's rate budget (200 TSTU per 5 minutes) on repeats. 10 %: with the documented budget a
 * 300-project organization is relisted in full every ~75 minutes when the audit log is not readable.
 */
export const INVENTORY_DEFAULTS: Readonly<InventorySettings> = Object.freeze({ freshSeconds: 120, refreshSharePercent: 10, auditMinutes: 5, maxConnections: 100_000 });

export const INVENTORY_SETTINGS = {
  SCBOT_INVENTORY_FRESH_SECONDS: 'Seconds a project\'s connection list counts as fresh (10-3600): org-wide answers come from the inventory at once with their age, and everyone asking while a project is older shares one refresh. Default 120.',
  SCBOT_INVENTORY_REFRESH_SHARE: 'Percent of the Azure DevOps rate budget the periodic inventory refresh may spend when the audit log is not readable (0-50; 0 = none). Default 10.',
  SCBOT_INVENTORY_AUDIT_MINUTES: 'Minutes between reads of the Azure DevOps audit log, which says which projects\' connections changed (0-1440; 0 = never read it). Default 5.',
  SCBOT_INVENTORY_MAX_CONNECTIONS: 'Most connections the inventory keeps (1000-1000000); projects beyond are answered by live reads. Default 100000.',
} as const;

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const int = (min: number, max: number, fallback: number) => z.preprocess(blank, z.coerce.number().int().min(min).max(max).default(fallback));

export const inventorySchema = z.object({
  SCBOT_INVENTORY_FRESH_SECONDS: int(10, 3600, INVENTORY_DEFAULTS.freshSeconds),
  SCBOT_INVENTORY_REFRESH_SHARE: int(0, 50, INVENTORY_DEFAULTS.refreshSharePercent),
  SCBOT_INVENTORY_AUDIT_MINUTES: int(0, 1440, INVENTORY_DEFAULTS.auditMinutes),
  SCBOT_INVENTORY_MAX_CONNECTIONS: int(1000, 1_000_000, INVENTORY_DEFAULTS.maxConnections),
});

export function inventoryFromValues(v: z.infer<typeof inventorySchema>): Readonly<InventorySettings> {
  return Object.freeze({
    freshSeconds: v.SCBOT_INVENTORY_FRESH_SECONDS, refreshSharePercent: v.SCBOT_INVENTORY_REFRESH_SHARE,
    auditMinutes: v.SCBOT_INVENTORY_AUDIT_MINUTES, maxConnections: v.SCBOT_INVENTORY_MAX_CONNECTIONS,
  });
}
