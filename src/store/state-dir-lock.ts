/**
 * One writer per state directory. The embedded store's compare-and-swap is exact only while a single process
 * writes the directory: two processes on one SCBOT_STATE_DIR approved and executed one plan twice. The lock is
 * an exclusive create of `<dir>/.scbot.lock` holding the holder's pid, host and start time; a lock left by a
 * process that died (same host, pid gone) is taken over, anything else refuses start-up naming the holder.
 * Instances in one process share the lock (tests reopen a store to simulate a restart).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_FILE = '.scbot.lock';

export interface Holder {
  pid: number;
  host: string;
  since: string;
}

export class StateDirLockedError extends Error {
  constructor(readonly dir: string, readonly holder: Holder | undefined) {
    const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : 'another process (its lock file is unreadable)';
    super(`The state directory ${dir} is in use by ${who}. The embedded store allows one bot process per directory: `
      + `stop that process, use another SCBOT_STATE_DIR, or use the shared Azure Table store for several instances. `
      + `If no such process is running, delete ${path.join(dir, LOCK_FILE)}.`);
    this.name = 'StateDirLockedError';
  }
}

/** Directories this process holds, with how many open stores use each. */
const held = new Map<string, number>();
let exitHookInstalled = false;

export function acquireStateDirLock(dir: string): () => void {
  const resolved = path.resolve(dir);
  const file = path.join(resolved, LOCK_FILE);
  const users = held.get(resolved) ?? 0;
  if (users === 0) takeLock(resolved, file);
  held.set(resolved, users + 1);
  installExitHook();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (held.get(resolved) ?? 1) - 1;
    if (left > 0) held.set(resolved, left);
    else release(resolved);
  };
}

function takeLock(dir: string, file: string): void {
  mkdirSync(dir, { recursive: true });
  const mine: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(mine));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (!holder || !isStale(holder)) throw new StateDirLockedError(dir, holder);
    if (!removeStaleLock(file, holder)) throw new StateDirLockedError(dir, readHolder(file));
  }
  throw new StateDirLockedError(dir, readHolder(file));
}

/**
 * Removes the lock file only if it still names `judged`, the dead holder. Two processes starting at once both judge
 * the same stale lock; with a plain unlink, the later one would delete the lock the earlier one had just taken and
 * both would run. The move aside is atomic: whoever moves a lock that is not the one it judged puts it back and
 * refuses. A lock already gone (the other process removed the stale one first) counts as removed.
 */
export function removeStaleLock(file: string, judged: Holder): boolean {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  const moved = readHolder(aside);
  const same = moved !== undefined && moved.pid === judged.pid && moved.host === judged.host && moved.since === judged.since;
  if (!same) {
    try {
      linkSync(aside, file);
    } catch (error) {
      // A third process took the lock in the instant it was aside: its lock stands, and this one refuses anyway.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  unlinkSync(aside);
  return same;
}

function readHolder(file: string): Holder | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.since === 'string' ? value as Holder : undefined;
  } catch {
    return undefined;
  }
}

/** Dead holders only: on this host, and either no such process, or our own pid from an earlier life (containers). */
function isStale(holder: Holder): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function release(dir: string): void {
  held.delete(dir);
  try {
    unlinkSync(path.join(dir, LOCK_FILE));
  } catch {
    // Already gone (the directory was removed): nothing to release.
  }
}

/** A process that exits normally leaves no lock behind; kill -9 does, and the next start takes it over. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const dir of [...held.keys()]) release(dir);
  });
}
