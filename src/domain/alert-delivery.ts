/**
 * What to post to one subscribed conversation after a scan, decided from what was already posted there: new
 * and changed findings, a reminder of the ones still open (at most once per reminder period), and the ones
 * resolved since. Pure: the radar does the reading, posting and saving.
 */
import { diffFindings, type Finding } from './findings';

/** A finding as last posted to a conversation, and when. */
export interface PostedFinding {
  finding: Finding;
  postedAt: string;
}

/** Keyed by Finding.key. */
export type Posted = Record<string, PostedFinding>;

export interface DeliveryRules {
  /** Re-post a still-open finding after this many hours; 0 = never remind. */
  reminderHours: number;
}

export type AlertBatchKind = 'new' | 'reminder' | 'resolved';

export interface AlertBatch {
  kind: AlertBatchKind;
  findings: Finding[];
  /** Keys among `findings` that were posted before in another state (e.g. an expiring secret that has now expired). */
  changed: string[];
}

export interface Delivery {
  /** In posting order: new, then reminders, then resolved. Empty batches are left out. */
  batches: AlertBatch[];
  /** The posted state when nothing is posted (details refreshed, nothing re-dated). */
  unposted: Posted;
}

const HOUR_MS = 3_600_000;

export function planDelivery(posted: Readonly<Posted>, current: readonly Finding[], now: Date, rules: DeliveryRules): Delivery {
  const previous = Object.values(posted).map((p) => p.finding);
  const diff = diffFindings(previous, current);
  const due = (key: string): boolean => {
    if (rules.reminderHours <= 0) return false;
    const at = Date.parse(posted[key]?.postedAt ?? '');
    return Number.isNaN(at) || now.getTime() - at >= rules.reminderHours * HOUR_MS;
  };
  const batches: AlertBatch[] = [
    { kind: 'new' as const, findings: [...diff.new, ...diff.changed], changed: diff.changed.map((f) => f.key) },
    { kind: 'reminder' as const, findings: diff.unchanged.filter((f) => due(f.key)), changed: [] },
    { kind: 'resolved' as const, findings: diff.resolved, changed: [] },
  ].filter((b) => b.findings.length > 0);
  // Unchanged findings keep their posting time but take the current text ("expires in 4 days" moves daily).
  const unposted: Posted = {};
  for (const f of diff.unchanged) unposted[f.key] = { finding: f, postedAt: posted[f.key]?.postedAt ?? now.toISOString() };
  for (const f of diff.resolved) unposted[f.key] = posted[f.key] as PostedFinding;
  return { batches, unposted };
}

/** The posted state once `batch` has been posted: new and reminded findings stamped now, resolved ones forgotten. */
export function applyBatch(posted: Readonly<Posted>, batch: AlertBatch, now: Date): Posted {
  const next: Posted = { ...posted };
  for (const f of batch.findings) {
    if (batch.kind === 'resolved') delete next[f.key];
    else next[f.key] = { finding: f, postedAt: now.toISOString() };
  }
  return next;
}

/** What a scan could not judge (see ScanGaps): previous findings there stay open rather than read as resolved. */
export interface Gaps {
  projects: readonly string[];
  secretsOf: readonly string[];
  historyOf: readonly string[];
  /** Projects whose open-access read failed (absent in scans stored before it existed). */
  openAccessOf?: readonly string[];
}

const SECRET_KINDS: ReadonlySet<string> = new Set(['secret-expiring', 'secret-expired']);

/** The current findings plus the previous ones the scan could not see, so an unreadable project does not "resolve". */
export function withGapsCarried(previous: readonly Finding[], current: readonly Finding[], gaps: Gaps): Finding[] {
  const projects = new Set(gaps.projects.map((p) => p.toLowerCase()));
  const secrets = new Set(gaps.secretsOf.map((id) => id.toLowerCase()));
  const history = new Set(gaps.historyOf.map((id) => id.toLowerCase()));
  const open = new Set((gaps.openAccessOf ?? []).map((p) => p.toLowerCase()));
  const have = new Set(current.map((f) => f.key));
  const unseen = (f: Finding): boolean => {
    const id = f.endpointId.toLowerCase();
    if (projects.has(f.project.toLowerCase())) return true;
    if (SECRET_KINDS.has(f.kind)) return secrets.has(id);
    if (f.kind === 'open-to-all') return open.has(f.project.toLowerCase());
    return (f.kind === 'unused' || f.kind === 'will-be-disabled') && history.has(id);
  };
  const carried = previous.filter((f) => !have.has(f.key) && unseen(f));
  return [...current, ...carried].sort((a, b) => a.key.localeCompare(b.key));
}
