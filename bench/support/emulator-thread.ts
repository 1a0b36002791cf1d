/**
 * The DevOps emulator on its own thread, so a benchmark's client and the stand-in do not share one event loop
 * (the real service is remote: its CPU is not the bot's). Messages: start(seed) → url; latency/rate; close.
 */
import { parentPort, Worker } from 'node:worker_threads';
import type { RateLimitSettings } from '@scbot/stand-ins';
import type { Seed } from '@scbot/stand-ins';

type Command =
  | { kind: 'start'; seed: Seed }
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

/** Starts the emulator thread and waits until it listens. */
export async function startThreadedEmulator(seed: Seed): Promise<ThreadedEmulator> {
  // A worker does not inherit tsx's loader: register it, then load this very file as the worker's body.
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true });
  const ask = (command: Command) => new Promise<string>((resolve, reject) => {
    worker.once('message', (answer: string) => resolve(answer));
    worker.once('error', reject);
    worker.postMessage(command);
  });
  const orgUrl = await ask({ kind: 'start', seed });
  return {
    orgUrl,
    setLatency: async (ms) => void await ask({ kind: 'latency', ms }),
    setRateLimit: async (settings) => void await ask({ kind: 'rate', settings }),
    refusals: async () => Number(await ask({ kind: 'refusals' })),
    close: async () => {
      await ask({ kind: 'close' });
      await worker.terminate();
    },
  };
}

async function serve(): Promise<void> {
  const { startDevOpsEmulator } = await import('@scbot/stand-ins');
  let emulator: Awaited<ReturnType<typeof startDevOpsEmulator>> | undefined;
  parentPort?.on('message', (command: Command) => {
    void (async () => {
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
