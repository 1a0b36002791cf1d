/**
 * What a benchmark file returns, and how bench/run.ts prints it. Benchmarks measure and report; they never
 * assert on timings (a slow shared CI machine must not turn a build red).
 */
export interface BenchReport {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
  /** Printed after the table as the last line, one JSON object (`{"bench": "<name>", …}`), for scripts. */
  json?: Record<string, unknown>;
}

/** A benchmark module exports `bench`; other files in bench/ (helpers, the echo bot) are skipped. */
export type BenchFunction = () => Promise<BenchReport>;

/** Nearest-rank percentile of already-sorted samples. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function formatTable(report: BenchReport): string {
  const cells = [report.columns, ...report.rows.map((r) => r.map(String))];
  const widths = report.columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const body = cells.slice(1).map((r) => line(r));
  const notes = (report.notes ?? []).map((n) => `  ${n}`);
  return [`## ${report.title}`, '', line(cells[0] ?? []), rule, ...body, '', ...notes].join('\n');
}
