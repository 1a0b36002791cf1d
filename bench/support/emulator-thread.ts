/**
 * The DevOps emulator (or the whole local cloud) on its own thread, so a benchmark's client and the stand-in do not
 * share one event loop (the real service is remote: its CPU is not the bot's). Messages: start(seed) → url;
 * cloud(seed) → its endpoints as JSON; latency/rate; refusals → the 429s answered; requests → the requests served
 * since the last ask, by kind; audit → the audit log's switches; close. On the emulator, calls with the bench's
 * token (bench-app.ts) are the bot's app in the audit log; any other token is a person.
 */
import { parentPort, Worker } from 'node:worker_threads';
import type { RateLimitSettings } from '@scbot/stand-ins';
import type { CloudEndpoints, Seed } from '@scbot/stand-ins';

type Command =
  | { kind: 'start'; seed: Seed }
  | { kind: 'cloud'; seed: Seed }
  | { kind: 'latency'; ms: number }
  | { kind: 'rate'; settings: RateLimitSettings | null }
  | { kind: 'refusals' }
  | { kind: 'requests' }
  | { kind: 'audit'; enabled: boolean; readable: boolean }
  | { kind: 'close' };

/** The bench bot's client id in the emulator's audit log. */
export const BENCH_BOT_CLIENT_ID = '0b0b0b0b-0000-4000-8000-00000000be1c';

/** Requests served, by what they were (the first path segment after _apis, e.g. serviceendpoint, projects, audit). */
export type ServedCounts = Record<string, number>;

export interface ThreadedEmulator {
  orgUrl: string;
  setLatency(ms: number): Promise<void>;
  setRateLimit(settings: RateLimitSettings | null): Promise<void>;
  /** The 429s the emulator answered since the rate limit was set. */
  refusals(): Promise<number>;
  /** Requests served since the last call, by kind (the emulator's own count: every attempt, retries included). */
  served(): Promise<ServedCounts>;
  setAudit(switches: { enabled: boolean; readable: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** This file as a worker's body, and a request/answer channel to it. */
function spawn(): { ask(command: Command): Promise<string>; close(): Promise<void> } {
  // A worker does not inherit tsx's loader: register it, then load this very file as the worker's body.
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true });
  const ask = (command: Command) => new Promise<string>((resolve, reject) => {
    // Listeners per question, removed with its answer: a bench asking hundreds of times must not pile them up.
    const fail = (error: Error) => reject(error);
    worker.once('message', (answer: string) => {
      worker.off('error', fail);
      resolve(answer);
    });
    worker.once('error', fail);
    worker.postMessage(command);
  });
  return { ask, close: async () => { await ask({ kind: 'close' }); await worker.terminate(); } };
}

/** Starts the emulator thread and waits until it listens. */
export async function startThreadedEmulator(seed: Seed): Promise<ThreadedEmulator> {
  const { ask, close } = spawn();
  const orgUrl = await ask({ kind: 'start', seed });
  return {
    orgUrl,
    setLatency: async (ms) => void await ask({ kind: 'latency', ms }),
    setRateLimit: async (settings) => void await ask({ kind: 'rate', settings }),
    refusals: async () => Number(await ask({ kind: 'refusals' })),
    served: async () => JSON.parse(await ask({ kind: 'requests' })) as ServedCounts,
    setAudit: async (switches) => void await ask({ kind: 'audit', ...switches }),
    close,
  };
}

/** Requests of the log by kind: `_apis/<kind>/…` (resourceareas, projects, serviceendpoint, audit …). */
function countByKind(paths: readonly string[]): ServedCounts {
  const counts: ServedCounts = {};
  for (const path of paths) {
    const kind = /\/_apis\/([^/]+)/i.exec(path)?.[1]?.toLowerCase() ?? 'other';
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** What a client in another process needs to reach the whole local cloud on that thread (the bot's secret included). */
export interface ThreadedCloud {
  orgUrl: string;
  graphUrl: string;
  identityConfig: CloudEndpoints['identityConfig'];
  trust: CloudEndpoints['trust'];
  close(): Promise<void>;
}

/** The whole local cloud (DevOps, Entra, Graph, …) on its own thread, for benches that read Graph too. */
export async function startThreadedCloud(seed: Seed): Promise<ThreadedCloud> {
  const { ask, close } = spawn();
  const endpoints = JSON.parse(await ask({ kind: 'cloud', seed })) as Omit<ThreadedCloud, 'close'>;
  return { ...endpoints, close };
}

async function serve(): Promise<void> {
  const { appActor, startDevOpsEmulator, startLocalCloud } = await import('@scbot/stand-ins');
  const bot = appActor('scbot (bench)', BENCH_BOT_CLIENT_ID);
  let emulator: Awaited<ReturnType<typeof startDevOpsEmulator>> | undefined;
  let cloud: Awaited<ReturnType<typeof startLocalCloud>> | undefined;
  parentPort?.on('message', (command: Command) => {
    void (async () => {
      if (command.kind === 'cloud') {
        cloud = await startLocalCloud({ seed: command.seed });
        parentPort?.postMessage(JSON.stringify({ orgUrl: cloud.devops.orgUrl, graphUrl: cloud.graphUrl, identityConfig: cloud.identityConfig, trust: cloud.trust }));
        return;
      }
      if (command.kind === 'close') await cloud?.close();
      if (command.kind === 'start') emulator = await startDevOpsEmulator({ seed: command.seed, callerOf: (auth) => (auth === 'Bearer bench-token' ? bot : undefined) });
      if (command.kind === 'audit' && emulator) Object.assign(emulator.audit, { enabled: command.enabled, readable: command.readable });
      if (command.kind === 'latency') emulator?.faults.setLatency(command.ms);
      if (command.kind === 'rate') emulator?.faults.setRateLimit(command.settings);
      if (command.kind === 'close') await emulator?.close();
      if (command.kind === 'requests') {
        const served = countByKind(emulator?.requests.entries().map((r) => r.path) ?? []);
        emulator?.requests.clear();
        return void parentPort?.postMessage(JSON.stringify(served));
      }
      const answer = command.kind === 'refusals' ? String(emulator?.faults.refusals() ?? 0) : emulator?.orgUrl ?? '';
      parentPort?.postMessage(answer);
    })();
  });
}

if (parentPort) void serve();
