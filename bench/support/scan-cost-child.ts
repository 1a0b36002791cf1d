/**
 * One measurement of bench/scan-cost.ts, in a fresh process so one mode's heap never inflates the next's RSS, and
 * so the local cloud (a worker thread of the parent bench process) is not in this process's RSS at all.
 * argv[2]: "list" (one list per project, nothing kept: the baseline; argv[3] passes of it) or "radar" (the radar as the bot runs it:
 * hourly scans with the usage memory and the call budget, delivering to one subscribed conversation, until
 * nothing is left unread, then one more: the steady state). The cloud's endpoints come in BENCH_CLOUD (JSON).
 * Prints one JSON line.
 */
import { AlertRadar, type RunOutcome } from '../../src/alerts/radar';
import { AlertScanner } from '../../src/alerts/scanner';
import { StoreUsageMemory } from '../../src/alerts/usage-memory';
import { DEFAULT_THRESHOLDS } from '../../src/domain/findings';
import { ALERT_DEFAULTS } from '../../src/config';
import { createLogger } from '../../src/logging';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { AzureDevOpsPipelineAccess } from '../../src/devops/azure-devops-pipeline-access';
import { createAzureDevOpsServiceEndpoints } from '../../src/devops/index';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../../src/identity/index';
import { GraphAppSecrets, GRAPH_SCOPE } from '../../src/azure/index';
import type { CardMessage } from '../../src/cards/card';
import { renderView } from '../../src/cards/presenter';
import type { ThreadedCloud } from './emulator-thread';

const HOUR_MS = 3_600_000;
/** Scans before giving up on "nothing left unread" (10,000 connections need five at the default budget). */
const MAX_SCANS = 12;

let at = Date.now();
const clock = { now: () => new Date(at) };

/** Samples RSS and main-thread heap every few ms; the process-wide maxRSS backs it up. */
function peakSampler() {
  const peak = { rss: 0, heap: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
  };
  const timer = setInterval(sample, 5);
  return { peak: () => { sample(); return { ...peak }; }, stop: () => { clearInterval(timer); sample(); return peak; } };
}
type Sampler = ReturnType<typeof peakSampler>;

type Ports = ReturnType<typeof ports>;

function ports(cloud: Omit<ThreadedCloud, 'close'>) {
  const credential = createCredential(cloud.identityConfig, { trust: cloud.trust });
  const devops = createAzureDevOpsServiceEndpoints({ orgUrl: cloud.orgUrl, projects: [], requestTimeoutMs: 120_000, maxAttempts: 3 }, new RefreshingTokenSource(credential, AZURE_DEVOPS_SCOPE), { clock });
  const graph = new GraphAppSecrets({ tokens: new RefreshingTokenSource(credential, GRAPH_SCOPE), graphUrl: cloud.graphUrl, trust: cloud.trust, timeoutMs: 120_000 });
  return { devops, graph, pipelines: new AzureDevOpsPipelineAccess(devops) };
}

const thresholds = { ...DEFAULT_THRESHOLDS, unusedDays: 30 };

/** `passes` times the lists of every project, nothing kept (argv[3]; default one pass). */
async function listOnly(p: Ports, projects: string[], passes: number): Promise<Record<string, unknown>> {
  let listed = 0;
  for (let pass = 0; pass < passes; pass += 1) {
    for (const project of projects) listed += (await p.devops.list(project, { includeFailed: true })).length;
  }
  return { connections: listed / passes, scans: Array.from({ length: passes }, () => ({ calls: { devopsList: projects.length } })) };
}

function scanner(p: Ports, projects: string[], store?: EmbeddedStore): AlertScanner {
  return new AlertScanner({
    devops: p.devops, passwords: p.graph, openAccess: p.pipelines, clock, checkUnused: true, thresholds, projects,
    ...(store ? { usage: new StoreUsageMemory(store), callBudget: ALERT_DEFAULTS.scanCallBudget } : {}),
  });
}

/** The radar as production runs it, an hour between scans, until a scan leaves nothing unread; then one more. */
async function radar(p: Ports, projects: string[], sampler: Sampler): Promise<{ summary: Record<string, unknown>; last: RunOutcome }> {
  const store = new EmbeddedStore();
  const settings = { intervalMinutes: 60, reminderHours: 24, digestOver: 3, thresholds, checkUnused: true, projects };
  // Posts render their cards as the Bot Connector notifier would, then go nowhere.
  const notifier = { post: async (_to: unknown, message: CardMessage) => void renderView(message.view), update: async () => undefined };
  const alerts = new AlertRadar({ scanner: scanner(p, projects, store), store, clock, logger: createLogger({ level: 'silent' }), settings, notifier });
  await alerts.subscribe({ conversationId: '19:bench@thread.tacv2', reference: {}, subscribedBy: { name: 'bench' }, subscribedAt: clock.now().toISOString() });
  const scans: Array<Record<string, unknown>> = [];
  let last: RunOutcome | undefined;
  for (let i = 0; i < MAX_SCANS; i += 1) {
    if (i > 0) at += HOUR_MS;
    last = await alerts.runNow();
    if (last.kind !== 'scanned') throw new Error(`scan did not run: ${last.kind}`);
    const { calls, carried, connections } = last.result.stats;
    // The peak so far: the first scan's alone, then what the scans that followed added.
    scans.push({ calls, carried, posts: last.posts, connections, peakRss: sampler.peak().rss });
    const previous = scans.at(-2)?.carried as { history: number; graph: number } | undefined;
    if (previous && previous.history + previous.graph === 0) break;
  }
  if (!last) throw new Error('no scan');
  return { summary: { scans }, last };
}

async function main(): Promise<void> {
  const mode = process.argv[2] === 'list' ? 'list' : 'radar';
  const p = ports(JSON.parse(process.env.BENCH_CLOUD ?? '{}') as Omit<ThreadedCloud, 'close'>);
  // Sign-in, discovery and the project list happen before the baseline: both modes need them.
  const projects = (await p.devops.projects()).map((x) => x.name ?? x.id);
  global.gc?.();
  const before = process.memoryUsage();
  const sampler = peakSampler();
  const started = performance.now();
  const run = mode === 'list' ? { summary: await listOnly(p, projects, Number(process.argv[3] ?? 1)), last: undefined } : await radar(p, projects, sampler);
  const peak = sampler.stop();
  const seconds = (performance.now() - started) / 1000;
  const baseline = { rss: before.rss, heap: before.heapUsed };
  const checked = run.last?.kind === 'scanned' ? await compareWithFullScan(p, projects, run.last) : {};
  console.log(JSON.stringify({ mode, projects: projects.length, before: baseline, peak, maxRssKb: process.resourceUsage().maxRSS, seconds, ...run.summary, ...checked }));
}

/** After the measurement: a scan with no memory and no budget at the same instant must find exactly the same. */
async function compareWithFullScan(p: Ports, projects: string[], last: Extract<RunOutcome, { kind: 'scanned' }>): Promise<Record<string, unknown>> {
  const full = await scanner(p, projects).scan();
  const kinds: Record<string, number> = {};
  for (const f of last.result.findings) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
  return { kinds, identical: JSON.stringify(full.findings) === JSON.stringify(last.result.findings), fullScanCalls: full.stats.calls };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
