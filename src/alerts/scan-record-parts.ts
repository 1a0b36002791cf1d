/**
 * The last scan as a small header and parts. Everything that grows with the connections goes to the parts: the
 * findings, and in a scan that could not read much (Graph refused, the call budget spent) one note and one gap per
 * app or connection — thousands at 10,000 connections. The header keeps what is read every tick and the counts.
 */
import type { Finding } from '../domain/findings';
import { packBySize } from '../store/record-parts';
import type { ScanNote } from './scan-reads';
import type { ScanGaps, ScanStats } from './scanner';

export interface ScanRecord {
  startedAt: string;
  finishedAt: string;
  /** False when the scan failed as a whole (nothing posted, previous findings kept). */
  ok: boolean;
  errorCode?: string;
  /** The open findings after this scan (gaps carried over from the previous one). */
  findings: Finding[];
  stats?: ScanStats;
  gaps?: ScanGaps;
  /** Subscriptions posted to, and posts that failed. */
  delivered?: { conversations: number; posts: number; failedPosts: number };
  /** Failed scans in a row, up to and including this one (0 or absent when this one worked). */
  failedInARow?: number;
  /** When the last scan that worked started (carried through failed scans). */
  lastOkAt?: string;
  /** Set while subscribers have been told the radar cannot scan; cleared (and announced) when a scan works again. */
  blindSince?: string;
}

type GapList = keyof ScanGaps;

/** One entry of a part: a finding, a note, or one id of a gap list. */
export type ScanEntry = { finding: Finding } | { note: ScanNote } | { gap: GapList; id: string };

/** The record without its lists; `stats` and `gaps` keep their shape (empty lists) so the record reads back whole. */
export type ScanHeader = Omit<ScanRecord, 'findings' | 'stats' | 'gaps'> & { stats?: ScanStats; gaps?: ScanGaps };

const GAP_LISTS: readonly GapList[] = ['projects', 'secretsOf', 'historyOf', 'openAccessOf'];

export function scanToParts(record: ScanRecord): { header: ScanHeader; parts: ScanEntry[][] } {
  const { findings, stats, gaps, ...rest } = record;
  const entries: ScanEntry[] = [...findings.map((finding) => ({ finding })), ...(stats?.notes ?? []).map((note) => ({ note }))];
  const shape: Partial<ScanGaps> = {};
  for (const list of GAP_LISTS) {
    const ids = gaps?.[list];
    if (!ids) continue;
    shape[list] = [];
    entries.push(...ids.map((id) => ({ gap: list, id })));
  }
  const header: ScanHeader = { ...rest, ...(stats ? { stats: { ...stats, notes: [] } } : {}), ...(gaps ? { gaps: shape as ScanGaps } : {}) };
  return { header, parts: packBySize(entries, (entry) => JSON.stringify(entry).length + 1) };
}

export function scanFromParts(header: ScanHeader, parts: readonly ScanEntry[][]): ScanRecord {
  const findings: Finding[] = [];
  const stats = header.stats && { ...header.stats, notes: [...header.stats.notes] };
  const gaps = header.gaps && (Object.fromEntries(Object.entries(header.gaps).map(([list, ids]) => [list, [...(ids as string[])]])) as unknown as ScanGaps);
  for (const entry of parts.flat()) {
    if ('finding' in entry) findings.push(entry.finding);
    else if ('note' in entry) stats?.notes.push(entry.note);
    else gaps?.[entry.gap]?.push(entry.id);
  }
  return { ...header, findings, ...(stats ? { stats } : {}), ...(gaps ? { gaps } : {}) };
}
