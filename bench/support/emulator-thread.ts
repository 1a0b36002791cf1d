/**
 * The DevOps emulator (or the whole local cloud) on its own thread, so a benchmark's client and the stand-in do not
 * share one event loop (the real service is remote: its CPU is not the bot's). Messages: start(seed) → url;
 * cloud(seed) → its endpoints as JSON; latency/rate; refusals → the 429s answered; close.
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
  | { kind: 'close' };

export interface ThreadedEmulator {
  orgUrl: string;
  setLatency(ms: number): Promise<void>;
  setRateLimit(settings: RateLimitSettings | null): Promise<void>;
  /** The 429s the emulator answered since the rate limit was set. */
  refusals(): Promise<number>;
  close(): Promise<void>;
}

/** This file as a worker's body, and a request/answer channel to it. */
function spawn(): { ask(command: Command): Promise<string>; close(): Promise<void> } {
  // A worker does not inherit tsx's loader: register it, then load this very file as the worker's body.
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true });
  const ask = (command: Command) => new Promise<string>((resolve, reject) => {
    worker.once('message', (answer: string) => resolve(answer));
    worker.once('error', reject);
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
    close,
  };
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
  const { startDevOpsEmulator, startLocalCloud } = await import('@scbot/stand-ins');
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
      if (command.kind === 'start') emulator = await startDevOpsEmulator({ seed: command.seed });
      if (command.kind === 'latency') emulator?.faults.setLatency(command.ms);
      if (command.kind === 'rate') emulator?.faults.setRateLimit(command.settings);
      if (command.kind === 'close') await emulator?.close();
      const answer = command.kind === 'refusals' ? String(emulator?.faults.refusals() ?? 0) : emulator?.orgUrl ?? '';
      parentPort?.postMessage(answer);
    })();
  });
}

if (parentPort) void serve();
