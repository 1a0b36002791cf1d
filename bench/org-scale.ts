import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/domain/time';
import { startThreadedEmulator, type ThreadedEmulator } from './support/emulator-thread';
import { orgCommands, SHOW_NAME, type OrgCommands } from './support/org-commands';
import { commandRows, commandsJson, commandTargets } from './support/org-commands-report';
import { orgSeed } from './support/org-seed';
import type { BenchReport } from './support/report';

/**
 * People at organization scale (issue 24): an organization of 300 projects × 30 connections (9,000) served by the
 * DevOps emulator on its own thread at 100 ms a call, no project list configured.
 * Measured: (1) the commands people type, through POST /api/messages (support/org-commands.ts): cold (no inventory
 * yet, the baseline), warm, stale (first answer from the inventory, fresh answer replacing the card) and ten people
 * asking `list failed` at once, in the 9,000- and the 30,000-connection organization; (2) the inventory: a cold
 * refresh (calls, time), a warm ask, answers from it, ten askers once the freshness window passed, an audit-driven
 * step after a person changed connections in five projects, the periodic pace without the audit log, and what the
 * store holds; (3) RSS of the bot holding the inventory of 9,000 and of 30,000 connections against the same bot
 * without it (fresh child processes, same reads).
 * Targets are reported, never asserted. BENCH_ORG_PROJECTS / BENCH_ORG_PER_PROJECT shrink the organization.
 */
const PROJECTS = Number(process.env.BENCH_ORG_PROJECTS ?? 300);
const PER_PROJECT = Number(process.env.BENCH_ORG_PER_PROJECT ?? 30);
const LARGE_PER_PROJECT = Number(process.env.BENCH_ORG_LARGE_PER_PROJECT ?? 100);
const LATENCY_MS = 100;
const RSS_TARGET = 1.3;
const CHILD = fileURLToPath(new URL('./support/org-scale-child.ts', import.meta.url));
/** The Node flags the bot runs with (package.json `start`), for both children alike; plus --expose-gc. */
const START_FLAGS = ((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } })
  .scripts.start.split(/\s+/).filter((token) => token.startsWith('--')));
const MB = 1024 * 1024;

type Memory = { rss: number; heap: number };
interface Child { holding: Memory; connections: number; projects: number; maxRssMb: number; [key: string]: unknown }

async function child(mode: 'with' | 'without', orgUrl: string, extra: string[] = []): Promise<Child> {
  const { stdout } = await promisify(execFile)(process.execPath, [...START_FLAGS, '--expose-gc', '--import', 'tsx', CHILD, mode, ...extra], { env: { ...process.env, BENCH_ORG_URL: orgUrl }, maxBuffer: 4 * MB });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Child;
}

async function organization(projects: number, perProject: number): Promise<{ emulator: ThreadedEmulator; started: number }> {
  const started = performance.now();
  const emulator = await startThreadedEmulator(orgSeed(projects, perProject, systemClock));
  await emulator.setLatency(LATENCY_MS);
  return { emulator, started };
}

const mb = (bytes: number) => Math.round(bytes / MB);
const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

export async function bench(): Promise<BenchReport> {
  const small = await organization(PROJECTS, PER_PROJECT);
  let commands: OrgCommands;
  let withSmall: Child;
  let withoutSmall: Child;
  try {
    commands = await orgCommands(small.emulator, PROJECTS);
    withoutSmall = await child('without', small.emulator.orgUrl);
    withSmall = await child('with', small.emulator.orgUrl);
  } finally {
    await small.emulator.close();
  }
  const large = await organization(PROJECTS, LARGE_PER_PROJECT);
  let commandsLarge: OrgCommands;
  let withLarge: Child;
  let withoutLarge: Child;
  try {
    commandsLarge = await orgCommands(large.emulator, PROJECTS);
    withoutLarge = await child('without', large.emulator.orgUrl);
    withLarge = await child('with', large.emulator.orgUrl, ['rss']);
  } finally {
    await large.emulator.close();
  }
  return report({ small: commands, large: commandsLarge }, { with: withSmall, without: withoutSmall }, { with: withLarge, without: withoutLarge });
}

interface Pair { with: Child; without: Child }

/** Settled RSS and heap (after collections) of the two bots; peak RSS of each process beside them. */
function memoryRow(pair: Pair, rss: number, heap: number): Array<string | number> {
  const { with: w, without: o } = pair;
  return [`RSS holding ${w.connections} connections`, '', '', `${mb(w.holding.rss)} vs ${mb(o.holding.rss)}`, `${rss}x; heap ${mb(w.holding.heap)} vs ${mb(o.holding.heap)} MB (${heap}x); peak RSS ${w.maxRssMb} vs ${o.maxRssMb} MB`];
}

function memoryJson(pair: Pair, rss: number, heap: number): Record<string, number> {
  const { with: w, without: o } = pair;
  return { withMb: mb(w.holding.rss), withoutMb: mb(o.holding.rss), ratio: rss, withHeapMb: mb(w.holding.heap), withoutHeapMb: mb(o.holding.heap), heapRatio: heap, withPeakMb: w.maxRssMb, withoutPeakMb: o.maxRssMb };
}

function report(commands: { small: OrgCommands; large: OrgCommands }, small: Pair, large: Pair): BenchReport {
  const w = small.with as Child & { cold: { calls: number; ms: number }; warm: { calls: number; ms: number; answer: string }; tenAskers: { calls: number; ms: number; refreshes: number }; audit: Record<string, number | string>; periodic: Record<string, number>; stored: Record<string, number>; answers: Record<string, number> };
  const rss = { small: ratio(small.with.holding.rss, small.without.holding.rss), large: ratio(large.with.holding.rss, large.without.holding.rss) };
  const heap = { small: ratio(small.with.holding.heap, small.without.holding.heap), large: ratio(large.with.holding.heap, large.without.holding.heap) };
  const targets = commandTargets(commands.small);
  const rows: Array<Array<string | number>> = [
    ...commandRows(`${PROJECTS * PER_PROJECT}`, commands.small),
    ['inventory: cold refresh (project list + one list per project, background lane)', w.cold.calls, w.cold.ms, '', `${w.connections} connections in ${w.projects} projects`],
    ['inventory: warm ask within the window', w.warm.calls, w.warm.ms, '', `answer: ${w.warm.answer}`],
    [`inventory: list failed across ${w.projects} projects, from memory`, 0, w.answers.listFailedMs ?? '', '', `${w.answers.listFailedRows} rows`],
    [`inventory: where is ${SHOW_NAME}, from memory`, 0, w.answers.showMs ?? '', '', `${w.answers.showFound} project(s)`],
    ['inventory: 10 askers at once, window passed', w.tenAskers.calls, w.tenAskers.ms, '', `${w.tenAskers.refreshes} refresh shared`],
    [`inventory: step after a person edited ${w.audit.edited} projects (audit ${w.audit.audit})`, w.audit.calls ?? '', w.audit.ms ?? '', '', `${w.audit.listed} projects relisted`],
    ['inventory: periodic step without audit, one minute', w.periodic.listedAfterAMinute ?? '', '', '', `${w.periodic.sharePercent} % of the rate budget`],
    memoryRow(small, rss.small, heap.small),
    memoryRow(large, rss.large, heap.large),
    ...commandRows(`${PROJECTS * LARGE_PER_PROJECT}`, commands.large),
  ];
  return {
    title: `Org scale: ${PROJECTS} projects × ${PER_PROJECT} connections at ${LATENCY_MS} ms a call (and × ${LARGE_PER_PROJECT} for memory)`,
    columns: ['measure', 'calls', 'ms', 'RSS MB (with vs without)', 'note'],
    rows,
    notes: [
      `inventory memory: ${rss.small}x RSS at ${small.with.connections} connections (target <= ${RSS_TARGET}x: ${met(rss.small <= RSS_TARGET)}), ${rss.large}x at ${large.with.connections}; both bots read the same lists, one keeps them. Node flags: ${START_FLAGS.join(' ') || 'none'} --expose-gc.`,
      `store: ${w.stored.parts} parts, the largest ${w.stored.largestPartChars} characters of JSON (Azure Tables: 1 MiB an entity; 64,000 is the part budget), ${w.stored.totalChars} in all.`,
      `ten askers once the window passed cost ${w.tenAskers.calls} calls (one refresh: ${met(w.tenAskers.refreshes === 1)}); a warm ask ${w.warm.calls}.`,
      `commands (${PROJECTS * PER_PROJECT} connections): ${targets.text}`,
      'cold = a bot whose store is empty: it reads what it needs before answering, as the bot did before the inventory (main in issue 24, another machine and load: list failed 304 calls / 3.1 s, show 305 / 3.1 s); the ratios are against it, measured in this run. Calls count every attempt the emulator served, discovery (4 for a new bot) and retries included.',
      'stale = the freshness window (120 s) passed: the app\'s clock is run ahead instead of waited for. Its first answer reads nothing (it comes from the inventory with its age); the calls beside it are those of the refresh it started, served while it was answered.',
    ],
    json: {
      bench: 'org-scale', projects: PROJECTS, perProject: PER_PROJECT, latencyMs: LATENCY_MS,
      commands: { [PROJECTS * PER_PROJECT]: commandsJson(commands.small), [PROJECTS * LARGE_PER_PROJECT]: commandsJson(commands.large) },
      inventory: { coldRefresh: w.cold, warmAsk: w.warm, tenAskers: w.tenAskers, auditStep: w.audit, periodic: w.periodic, answers: w.answers, stored: w.stored },
      rss: {
        [small.with.connections]: memoryJson(small, rss.small, heap.small),
        [large.with.connections]: memoryJson(large, rss.large, heap.large),
      },
      targets: { rss: met(rss.small <= RSS_TARGET), tenAskersOneRefresh: met(w.tenAskers.refreshes === 1), warmAskCalls: met(w.warm.calls <= 5), ...targets.json },
    },
  };
}
