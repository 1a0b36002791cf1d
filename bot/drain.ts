/**
 * The drain, run by App.close() on SIGTERM (every deploy, every scale-in). One deadline, the grace, bounds it all:
 *   1. runs start no new item and approvals start no new run (the approval is recorded; the next instance runs it);
 *   2. the items in flight finish; each run then ends without settling its plan and releases its run lease and
 *      heartbeat, so another instance (its sweep) or this one's successor (its start-up) resumes the plan at once;
 *   3. the posts still queued for Teams (progress cards, alerts) are sent;
 *   4. background work (a scan, a retention sweep) is waited for, then the server closes.
 * When the grace runs out first, the run leases still held are released anyway (their items in flight stay claimed
 * by their own item leases, so none is done twice) and the process exits: the platform would kill it next.
 */
import type { Server } from 'restify';
import type { ApprovalService } from '../src/approvals/approval-service';
import type { Logger } from '../src/logging';
import type { PacedNotifier } from '../src/notify/paced-notifier';
import type { RunLeases } from '../src/store/run-lease';

/** SCBOT_DRAIN_GRACE_SECONDS' default: under the 30 s most platforms wait between SIGTERM and SIGKILL. */
export const DEFAULT_DRAIN_GRACE_MS = 20_000;
/** Requests still being answered when the server closes get this long (beyond the grace) before their sockets go. */
const CLOSE_REQUESTS_MS = 2_000;

export interface DrainParts {
  approvals: Pick<ApprovalService, 'drain' | 'idle'>;
  runLeases: Pick<RunLeases, 'releaseAll'>;
  /** Absent when a test records posts instead of pacing them. */
  posts?: Pick<PacedNotifier, 'idle'>;
  /** Resolves when the scan, retention sweep and reconciliation in progress (if any) have finished. */
  background: () => Promise<void>;
  server: Server;
  logger: Logger;
}

export interface DrainReport {
  runsFinished: boolean;
  postsFlushed: boolean;
  backgroundFinished: boolean;
  ms: number;
}

export async function drainApp(parts: DrainParts, graceMs: number): Promise<DrainReport> {
  // Wall time, not the app's Clock: tests freeze that one, and the platform's kill timer is wall time too.
  const started = Date.now();
  const left = () => Math.max(0, started + graceMs - Date.now());
  parts.approvals.drain();
  const runsFinished = await within(parts.approvals.idle(), left());
  if (!runsFinished) {
    parts.logger.warn({ graceMs }, 'drain: steps still in flight when the grace ran out; their run leases are released, their items stay claimed by their item leases');
    await parts.runLeases.releaseAll();
  }
  const postsFlushed = parts.posts ? await within(parts.posts.idle(), left()) : true;
  const backgroundFinished = await within(parts.background(), left());
  await closeServer(parts.server, left() + CLOSE_REQUESTS_MS);
  const report = { runsFinished, postsFlushed, backgroundFinished, ms: Date.now() - started };
  parts.logger.info(report, 'drained');
  return report;
}

/** True when `work` settled within `ms`; false when the time ran out first (the work goes on, unawaited). */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stops listening, lets requests being answered finish for up to `ms`, then closes what is left. */
async function closeServer(server: Server, ms: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive sockets from the Bot Connector would hold close() open: each goes as soon as its answer is sent.
  const idle = setInterval(() => server.server.closeIdleConnections?.(), 50);
  idle.unref();
  server.server.closeIdleConnections?.();
  try {
    if (!(await within(closed, ms))) server.server.closeAllConnections?.();
    await closed;
  } finally {
    clearInterval(idle);
  }
}
