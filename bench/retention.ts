import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchReport } from './support/report';

/**
 * Retention over 10,000 proposals nobody approves (5-connection `convert all` plans on the embedded store on
 * disk, each stored as the bot stores it): disk size and RSS against a baseline measured in the same process
 * (modules loaded, one proposal made and swept), with the proposals stored, after the sweep that follows their
 * expiry, and after the audit period. The child process holds nothing else. BENCH_RETENTION_PROPOSALS overrides
 * the count. Reported, never asserted.
 */
const CHILD = fileURLToPath(new URL('./support/retention-child.ts', import.meta.url));
const COUNT = Number(process.env.BENCH_RETENTION_PROPOSALS ?? 10_000);
const MB = 1024 * 1024;

interface Stage { stage: string; diskBytes: number; rss: number; heapUsed: number; purged?: Record<string, number> }

export async function bench(): Promise<BenchReport> {
  const dir = await mkdtemp(path.join(tmpdir(), 'scbot-bench-retention-'));
  let result: { count: number; stages: Stage[]; seconds: number };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, dir, String(COUNT)], { maxBuffer: 4 * MB });
    result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as typeof result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const [base, stored, afterExpiry, afterAudit] = result.stages as [Stage, Stage, Stage, Stage];
  const ratio = (value: number, of: number) => Number((value / Math.max(1, of)).toFixed(2));
  // The empty store's few bytes make a useless divisor for disk: disk is compared with the stored peak instead.
  const row = (s: Stage) => [s.stage, (s.diskBytes / MB).toFixed(2), ratio(s.diskBytes, stored.diskBytes), (s.rss / MB).toFixed(0), ratio(s.rss, base.rss), (s.heapUsed / MB).toFixed(1), ratio(s.heapUsed, base.heapUsed)];
  const json = {
    bench: 'retention', proposals: result.count, seconds: result.seconds,
    baselineDiskBytes: base.diskBytes, storedDiskBytes: stored.diskBytes, afterRetentionDiskBytes: afterExpiry.diskBytes, afterAuditPeriodDiskBytes: afterAudit.diskBytes,
    diskAfterRetentionVsStored: ratio(afterExpiry.diskBytes, stored.diskBytes), diskAfterAuditPeriodVsStored: ratio(afterAudit.diskBytes, stored.diskBytes),
    baselineRssBytes: base.rss, rssStoredVsBaseline: ratio(stored.rss, base.rss), rssAfterRetentionVsBaseline: ratio(afterExpiry.rss, base.rss),
    baselineHeapBytes: base.heapUsed, heapStoredVsBaseline: ratio(stored.heapUsed, base.heapUsed), heapAfterRetentionVsBaseline: ratio(afterExpiry.heapUsed, base.heapUsed),
    purged: afterExpiry.purged, purgedAfterAuditPeriod: afterAudit.purged,
  };
  return {
    title: `Retention: ${result.count} proposals nobody approves`,
    columns: ['stage', 'disk (MB)', 'disk / stored', 'RSS (MB)', 'RSS / baseline', 'heap (MB)', 'heap / baseline'],
    rows: [row(base), row(stored), row(afterExpiry), row(afterAudit)],
    notes: [
      'After their expiry the sweep removes every proposal (plan header and parts, approval record); their `requested` audit events stay for SCBOT_RETENTION_AUDIT_DAYS (400) and go after it.',
      'The embedded store keeps no records in memory: the heap after a GC stays at the baseline whatever is stored; RSS grows a little with file I/O buffers the allocator keeps, not with the plans.',
    ],
    json,
  };
}
