/**
 * A periodic background pass, run the one way every loop of the bot should run: at most one pass of a job in
 * flight in this process (a tick that finds one running is skipped), a failed pass logged and never thrown (the
 * next tick tries again), the timer never keeping a stopping process alive, and — where two instances must not
 * both act — each pass held under a store lease (RunLeases.holdWhile), so only one instance runs it at a time.
 */
import { every, type Repeat } from '../domain/time';
import type { Log } from '../log';
import type { RunLeases } from '../store/run-lease';

export interface BackgroundJobOptions<T> {
  /** For the logs: "secret retirement". */
  name: string;
  everyMs: number;
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

export interface BackgroundJob<T> {
  /** One pass now (what each tick runs), or the one already in flight. */
  runOnce(): Promise<T>;
  stop(): void;
  /** Resolves when no pass of this job is running here (shutdown, tests). */
  idle(): Promise<void>;
}

export function startBackgroundJob<T>(o: BackgroundJobOptions<T>): BackgroundJob<T> {
  let running: Promise<T> | undefined;
  const leased = async (): Promise<T> => {
    if (!o.lease) return o.pass();
    const held = await o.lease.leases.holdWhile(o.lease.key, () => o.pass());
    return held.taken ? held.value : o.otherwise;
  };
  const runOnce = (): Promise<T> => {
    running ??= leased()
      .catch((error: unknown) => {
        o.logger?.warn({ job: o.name, code: (error as { code?: unknown }).code ?? 'INTERNAL' }, `${o.name} pass failed`);
        return o.otherwise;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const stop = (o.repeat ?? every)(() => void runOnce(), o.everyMs);
  return { runOnce, stop, idle: async () => void (await running) };
}
