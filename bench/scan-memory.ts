import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { systemClock } from '../src/domain/clock';
import { startThreadedEmulator } from './support/emulator-thread';
import type { BenchReport } from './support/report';
import { scanSeed } from './support/scan-seed';

/**
 * The alerts radar over 10,000 connections (5 projects, every finding kind, apps shared by four connections,
 * the unused check on): peak RSS of the scanning process against a baseline in the same run, a process that
 * only lists the same projects, each a fresh child process. The emulator runs on a worker thread of this bench
 * process (bench/support/emulator-thread.ts), so none of its memory is in the measured processes.
 * Target: scan peak RSS <= 300 MB. Reported, never asserted. BENCH_SCAN_CONNECTIONS overrides the count.
 */
const CHILD = fileURLToPath(new URL('./support/scan-memory-child.ts', import.meta.url));
const TARGET_MB = 300;
const MB = 1024 * 1024;
const CONNECTIONS = Number(process.env.BENCH_SCAN_CONNECTIONS ?? 10_000);

interface Measurement {
  mode: string;
  before: { rss: number; heap: number };
  peak: { rss: number; heap: number };
  maxRssKb: number;
  seconds: number;
  connections: number;
  calls: Record<string, number>;
  kinds?: Record<string, number>;
  notes?: number;
  posts?: { first: number; second: number };
}

async function measure(mode: 'list' | 'scan', orgUrl: string): Promise<Measurement> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, mode, orgUrl], { env: process.env, maxBuffer: 4 * MB });
  const line = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line) as Measurement;
}

const mb = (bytes: number) => Math.round(bytes / MB);
const totalCalls = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

function row(m: Measurement): Array<string | number> {
  return [m.mode, m.connections, mb(m.before.rss), mb(m.peak.rss), mb(m.peak.rss - m.before.rss), mb(m.peak.heap), totalCalls(m.calls), m.seconds.toFixed(1)];
}

export async function bench(): Promise<BenchReport> {
  // The scan only reads, so one emulator serves both measurements.
  const emulator = await startThreadedEmulator(scanSeed(CONNECTIONS, systemClock));
  const [list, scan] = await (async () => {
    try {
      return [await measure('list', emulator.orgUrl), await measure('scan', emulator.orgUrl)];
    } finally {
      await emulator.close();
    }
  })();
  const calls = Object.entries(scan.calls).map(([k, v]) => `${k}=${v}`).join(', ');
  const kinds = Object.entries(scan.kinds ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
  return {
    title: `Alert scan memory: ${scan.connections} connections`,
    columns: ['process', 'connections', 'RSS before (MB)', 'peak RSS (MB)', 'peak - before (MB)', 'peak heap (MB)', 'calls', 'seconds'],
    rows: [row(list), row(scan)],
    notes: [
      `scan peak RSS ${mb(scan.peak.rss)} MB (target <= ${TARGET_MB} MB: ${mb(scan.peak.rss) <= TARGET_MB ? 'met' : 'NOT met'}); ${(scan.peak.rss / list.peak.rss).toFixed(2)}x the list-only process; the emulator is not in either process.`,
      `calls per scan: ${calls} (Graph reads are per distinct app; history top=1 only for connections old enough to be unused).`,
      `findings: ${kinds}; notes: ${scan.notes ?? 0}.`,
      `the scan process is the radar: two scans with delivery to one subscribed conversation (posts: first ${scan.posts?.first ?? '?'}, second ${scan.posts?.second ?? '?'} — the second compares and posts nothing); calls and seconds are the first scan's and both.`,
    ],
  };
}
