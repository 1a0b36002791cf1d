/**
 * One measurement of bench/scan-memory.ts, in a fresh process so one mode's heap never inflates the next's RSS,
 * and so the emulator (a worker thread of the parent bench process) is not in this process's RSS at all.
 * argv[2]: "list" (one list per project, nothing kept: the baseline) or "scan" (the radar: two full scans with
 * delivery to one subscribed conversation); argv[3]: org URL.
 * Prints one JSON line.
 */
import { createHash } from 'node:crypto';
import { AlertRadar } from '../../src/alerts/radar';
import { AlertScanner, type PasswordReader } from '../../src/alerts/scanner';
import { DEFAULT_THRESHOLDS } from '../../src/domain/findings';
import { createLogger } from '../../src/logging';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import type { Clock } from '../../src/domain/clock';
import type { CardMessage } from '../../src/cards/card';
import { renderView } from '../../src/cards/presenter';

const clock: Clock = { now: () => new Date('2026-11-22T06:00:00.000Z') };
const tokens = { getToken: async () => 'bench-token' };

/** Graph stand-in in memory: every app has one secret whose end date is derived from its id (no state kept). */
function hashedPasswords(): PasswordReader {
  return {
    listPasswords: async (appId) => {
      const days = (createHash('sha256').update(appId).digest()[0] ?? 0) - 30;
      return [{ keyId: appId, endDateTime: new Date(clock.now().getTime() + days * 86_400_000).toISOString() }];
    },
  };
}

/** Samples RSS and main-thread heap every few ms; the process-wide maxRSS backs it up. */
function peakSampler() {
  const peak = { rss: 0, heap: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
  };
  const timer = setInterval(sample, 5);
  return { stop: () => { clearInterval(timer); sample(); return peak; } };
}

async function listOnly(devops: ServiceEndpoints, projects: string[]): Promise<Record<string, unknown>> {
  let listed = 0;
  for (const project of projects) listed += (await devops.list(project, { includeFailed: true })).length;
  return { connections: listed, calls: { devopsList: projects.length } };
}

/**
 * The radar as production runs it: the scan, the last-scan record and one subscribed conversation's posted state in
 * the (in-memory embedded) store, the digest card rendered; twice, so the second pass compares and posts nothing.
 */
async function fullScan(devops: ServiceEndpoints, projects: string[]): Promise<Record<string, unknown>> {
  const thresholds = { ...DEFAULT_THRESHOLDS, unusedDays: 30 };
  const scanner = new AlertScanner({ devops, passwords: hashedPasswords(), clock, checkUnused: true, concurrency: 16, thresholds, projects });
  const settings = { intervalMinutes: 60, reminderHours: 24, digestOver: 3, thresholds, checkUnused: true, projects };
  // Posts render their cards as the Bot Connector notifier would, then go nowhere.
  const notifier = { post: async (_to: unknown, message: CardMessage) => void renderView(message.view), update: async () => undefined };
  const radar = new AlertRadar({ scanner, store: new EmbeddedStore(), clock, logger: createLogger({ level: 'silent' }), settings, notifier });
  await radar.subscribe({ conversationId: '19:bench@thread.tacv2', reference: {}, subscribedBy: { name: 'bench' }, subscribedAt: clock.now().toISOString() });
  const first = await radar.runNow();
  const second = await radar.runNow();
  if (first.kind !== 'scanned' || second.kind !== 'scanned') throw new Error(`scan did not run: ${first.kind}, ${second.kind}`);
  const kinds: Record<string, number> = {};
  for (const f of first.result.findings) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
  return { connections: first.result.stats.connections, calls: first.result.stats.calls, kinds, notes: first.result.stats.notes.length, posts: { first: first.posts, second: second.posts } };
}

async function main(): Promise<void> {
  const mode = process.argv[2] === 'list' ? 'list' : 'scan';
  const devops = new AzureDevOpsServiceEndpoints({ orgUrl: process.argv[3] ?? '', tokens, requestTimeoutMs: 120_000, maxAttempts: 3 });
  // Discovery and the project list happen before the baseline: both modes need them.
  const projects = (await devops.projects()).map((p) => p.name ?? p.id);
  global.gc?.();
  const before = process.memoryUsage();
  const sampler = peakSampler();
  const started = performance.now();
  const summary = mode === 'list' ? await listOnly(devops, projects) : await fullScan(devops, projects);
  const peak = sampler.stop();
  const seconds = (performance.now() - started) / 1000;
  const baseline = { rss: before.rss, heap: before.heapUsed };
  console.log(JSON.stringify({ mode, projects: projects.length, before: baseline, peak, maxRssKb: process.resourceUsage().maxRSS, seconds, ...summary }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
