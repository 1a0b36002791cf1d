/**
 * A periodic background pass, run the one way every loop of the bot should run: at most one pass of a job in
 * flight in this process (a tick that finds one running is skipped), a failed pass logged and never thrown (the
 * next tick tries again), the timer never keeping a stopping process alive, and — where two instances must not
 * both act — each pass held under a store lease (RunLeases.holdWhile), so only one instance runs it at a time.
 * Shutdown stops the timer first (no new pass starts) and then waits for idle() (the pass in flight finishes).
 */
import { every, type Repeat } from '../domain/time';
import type { Log } from '../log';
import type { RunLeases } from '../store/run-lease';

export interface BackgroundPassOptions<T> {
  /** For the logs: "secret retirement". */
  name: string;
  /** One pass; what it answers is handed back by runOnce. */
  pass(): Promise<T>;
  /** What runOnce answers when the pass failed or another instance held the lease. */
  otherwise: T;
  logger?: Log;
  /** Injected for tests; default: an unref'd interval (domain/time.ts). */
  repeat?: Repeat;
  /** The lease a pass runs under, when instances must take turns (`key`: the lease's name in the store). */
  lease?: { leases: RunLeases; key: string };
}

export interface BackgroundJobOptions<T> extends BackgroundPassOptions<T> {
  everyMs: number;
}

/** The pass without its timer yet: for a loop built at construction and started later (start()/stop() pairs). */
export interface BackgroundPass<T> {
  /** One pass now (what each tick runs), or the one already in flight. */
  runOnce(): Promise<T>;
  /** Resolves when no pass of this job is running here (shutdown, tests). */
  idle(): Promise<void>;
  /** Runs a pass every `ms` from now on; returns the function that stops the timer (a pass in flight goes on). */
  every(ms: number): () => void;
}

export interface BackgroundJob<T> {
  /** One pass now (what each tick runs), or the one already in flight. */
  runOnce(): Promise<T>;
  stop(): void;
  /** Resolves when no pass of this job is running here (shutdown, tests). */
  idle(): Promise<void>;
}

export function backgroundPass<T>(o: BackgroundPassOptions<T>): BackgroundPass<T> {
  let running: Promise<T> | undefined;
  const leased = async (): Promise<T> => {
    if (!o.lease) return o.pass();
    const held = await o.lease.leases.holdWhile(o.lease.key, () => o.pass());
    return held.taken ? held.value : o.otherwise;
  };
  const runOnce = (): Promise<T> => {
    running ??= leased()
      .catch((error: unknown) => {
        o.logger?.warn({ job: o.name, code: (error as { code?: unknown } | undefined)?.code ?? 'INTERNAL' }, `${o.name} pass failed`);
        return o.otherwise;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return {
    runOnce,
    idle: async () => void (await running),
    every: (ms) => (o.repeat ?? every)(() => void runOnce(), ms),
  };
}

export function startBackgroundJob<T>(o: BackgroundJobOptions<T>): BackgroundJob<T> {
  const job = backgroundPass(o);
  return { runOnce: job.runOnce, stop: job.every(o.everyMs), idle: job.idle };
}
