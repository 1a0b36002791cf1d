/**
 * The Store port with zero setup: records in memory, optionally mirrored to a directory (one JSON file per key,
 * written to a temp file and renamed, so a crash never leaves a torn record). Enough for one bot instance:
 * writes are serialised in-process, so compare-and-swap is exact; several processes on one directory are not
 * supported (the Azure Storage adapter is the shared store).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VersionConflictError, type Store, type Versioned } from './store.port';

export interface EmbeddedStoreOptions {
  /** Directory to persist to; omitted = memory only (tests). */
  dir?: string;
}

interface Stored {
  value: unknown;
  version: string;
}

type Collection = Map<string, Stored>;

const encode = (name: string): string => encodeURIComponent(name).replace(/\./g, '%2E');
const decode = (file: string): string => decodeURIComponent(file);

export class EmbeddedStore implements Store {
  private readonly collections = new Map<string, Promise<Collection>>();
  /** Every write runs after the previous one: compare-and-swap needs read-check-write without interleaving. */
  private writes: Promise<unknown> = Promise.resolve();
  private sequence = 0;

  constructor(private readonly options: EmbeddedStoreOptions = {}) {}

  async get<T>(collection: string, key: string): Promise<Versioned<T> | undefined> {
    const record = (await this.collection(collection)).get(key);
    return record ? { value: structuredClone(record.value) as T, version: record.version } : undefined;
  }

  put<T>(collection: string, key: string, value: T, expectedVersion?: string): Promise<Versioned<T>> {
    return this.serialised(async () => {
      const records = await this.collection(collection);
      const current = records.get(key);
      if (expectedVersion === undefined ? current !== undefined : current?.version !== expectedVersion) {
        throw new VersionConflictError(`${collection}/${key}`);
      }
      const stored: Stored = { value: structuredClone(value), version: this.nextVersion() };
      await this.persist(collection, key, stored);
      records.set(key, stored);
      // The caller's own object: the stored copy above is what the store protects.
      return { value, version: stored.version };
    });
  }

  delete(collection: string, key: string, expectedVersion?: string): Promise<void> {
    return this.serialised(async () => {
      const records = await this.collection(collection);
      const current = records.get(key);
      if (!current) return;
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw new VersionConflictError(`${collection}/${key}`);
      if (this.options.dir) await rm(this.file(collection, key), { force: true });
      records.delete(key);
    });
  }

  async list<T>(collection: string, prefix = ''): Promise<Array<{ key: string } & Versioned<T>>> {
    const records = await this.collection(collection);
    return [...records.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, r]) => ({ key, value: structuredClone(r.value) as T, version: r.version }));
  }

  private serialised<R>(work: () => Promise<R>): Promise<R> {
    const run = this.writes.then(work);
    this.writes = run.catch(() => undefined);
    return run;
  }

  /** Unique across restarts: a counter for order plus a random part, so a reopened store never reuses one. */
  private nextVersion(): string {
    this.sequence += 1;
    return `${this.sequence}-${randomUUID().slice(0, 8)}`;
  }

  private collection(name: string): Promise<Collection> {
    let loaded = this.collections.get(name);
    if (!loaded) {
      loaded = this.load(name);
      this.collections.set(name, loaded);
    }
    return loaded;
  }

  private async load(name: string): Promise<Collection> {
    const records: Collection = new Map();
    if (!this.options.dir) return records;
    const dir = path.join(this.options.dir, encode(name));
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.json'))) {
      const stored = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Stored;
      records.set(decode(file.slice(0, -'.json'.length)), stored);
    }
    return records;
  }

  private file(collection: string, key: string): string {
    return path.join(this.options.dir ?? '', encode(collection), `${encode(key)}.json`);
  }

  private async persist(collection: string, key: string, stored: Stored): Promise<void> {
    if (!this.options.dir) return;
    const target = this.file(collection, key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID().slice(0, 8)}.tmp`;
    await writeFile(temp, JSON.stringify(stored), 'utf8');
    await rename(temp, target);
  }
}
