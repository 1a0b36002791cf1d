/**
 * The Store port with zero setup: records in memory, or in a directory (one JSON file per key, written to a temp
 * file and renamed, so a crash never leaves a torn record). With a directory nothing is cached: every read and
 * every compare-and-swap goes to the file on disk, so memory does not grow with stored plans and a version check
 * is against what is stored, not a copy. One process per directory (state-dir-lock): writes are serialised
 * in-process, which makes compare-and-swap exact; the Azure Table store is the shared store.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { VersionConflictError, type Store, type Versioned } from './store.port';
import { DirectoryRecords, MemoryRecords, type Records, type Stored } from './embedded-records';
import { acquireStateDirLock } from './state-dir-lock';

export interface EmbeddedStoreOptions {
  /** Directory to persist to; omitted = memory only (tests). */
  dir?: string;
}

/** Write queues per directory, so two store instances of one process (a simulated restart) never interleave. */
const queues = new Map<string, { tail: Promise<unknown> }>();

export class EmbeddedStore implements Store {
  private readonly records: Records;
  private readonly queue: { tail: Promise<unknown> };
  private readonly unlock: () => void;
  private sequence = 0;

  /** Throws StateDirLockedError when another process holds `dir`. */
  constructor(options: EmbeddedStoreOptions = {}) {
    if (options.dir) {
      const dir = path.resolve(options.dir);
      this.unlock = acquireStateDirLock(dir);
      this.records = new DirectoryRecords(dir);
      this.queue = queues.get(dir) ?? { tail: Promise.resolve() };
      queues.set(dir, this.queue);
    } else {
      this.unlock = () => undefined;
      this.records = new MemoryRecords();
      this.queue = { tail: Promise.resolve() };
    }
  }

  async get<T>(collection: string, key: string): Promise<Versioned<T> | undefined> {
    const record = await this.records.read(collection, key);
    return record ? { value: record.value as T, version: record.version } : undefined;
  }

  put<T>(collection: string, key: string, value: T, expectedVersion?: string): Promise<Versioned<T>> {
    return this.serialised(async () => {
      const current = await this.records.version(collection, key);
      if (expectedVersion === undefined ? current !== undefined : current !== expectedVersion) {
        throw new VersionConflictError(`${collection}/${key}`);
      }
      const stored: Stored = { value, version: this.nextVersion() };
      // Records keep a copy (a clone in memory, JSON on disk): the caller's own object is what it gets back.
      await this.records.write(collection, key, stored);
      return { value, version: stored.version };
    });
  }

  delete(collection: string, key: string, expectedVersion?: string): Promise<void> {
    return this.serialised(async () => {
      const current = await this.records.version(collection, key);
      if (current === undefined) return;
      if (expectedVersion !== undefined && current !== expectedVersion) throw new VersionConflictError(`${collection}/${key}`);
      await this.records.remove(collection, key);
    });
  }

  async keys(collection: string, prefix = ''): Promise<string[]> {
    return (await this.records.keys(collection)).filter((key) => key.startsWith(prefix)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async list<T>(collection: string, prefix = ''): Promise<Array<{ key: string } & Versioned<T>>> {
    const found: Array<{ key: string } & Versioned<T>> = [];
    for (const key of await this.keys(collection, prefix)) {
      // A record deleted between listing and reading is simply not there any more.
      const record = await this.records.read(collection, key);
      if (record) found.push({ key, value: record.value as T, version: record.version });
    }
    return found;
  }

  /** Releases the state directory (the process's exit does it too). */
  close(): void {
    this.unlock();
  }

  private serialised<R>(work: () => Promise<R>): Promise<R> {
    const run = this.queue.tail.then(work);
    this.queue.tail = run.catch(() => undefined);
    return run;
  }

  /** Unique across restarts: a counter for order plus a random part, so a reopened store never reuses one. */
  private nextVersion(): string {
    this.sequence += 1;
    return `${this.sequence}-${randomUUID().slice(0, 8)}`;
  }
}
