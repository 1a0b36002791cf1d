/** Where the embedded store keeps its records: a Map (tests), or one JSON file per key in a directory. */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface Stored {
  value: unknown;
  version: string;
}

export interface Records {
  read(collection: string, key: string): Promise<Stored | undefined>;
  /** The stored version alone, for compare-and-swap: no copy of a value the caller is about to replace. */
  version(collection: string, key: string): Promise<string | undefined>;
  /** Keeps a copy: the caller may change `stored.value` afterwards. */
  write(collection: string, key: string, stored: Stored): Promise<void>;
  remove(collection: string, key: string): Promise<void>;
  keys(collection: string): Promise<string[]>;
}

/**
 * Records as the JSON text the other stores keep (a file, a table entity), not as object graphs: a value comes back as
 * it would from them (no Date, Map or undefined survives), and a scan record of 6,000 findings is one 1.6 MB string
 * instead of megabytes of small objects the collector has to trace on every full collection.
 */
export class MemoryRecords implements Records {
  private readonly collections = new Map<string, Map<string, { json: string; version: string }>>();

  async read(collection: string, key: string): Promise<Stored | undefined> {
    const stored = this.collections.get(collection)?.get(key);
    return stored && { value: JSON.parse(stored.json) as unknown, version: stored.version };
  }

  async version(collection: string, key: string): Promise<string | undefined> {
    return this.collections.get(collection)?.get(key)?.version;
  }

  async write(collection: string, key: string, stored: Stored): Promise<void> {
    let records = this.collections.get(collection);
    if (!records) this.collections.set(collection, (records = new Map()));
    records.set(key, { json: JSON.stringify(stored.value), version: stored.version });
  }

  async remove(collection: string, key: string): Promise<void> {
    this.collections.get(collection)?.delete(key);
  }

  async keys(collection: string): Promise<string[]> {
    return [...(this.collections.get(collection)?.keys() ?? [])];
  }
}

const encode = (name: string): string => encodeURIComponent(name).replace(/\./g, '%2E');
const decode = (file: string): string => decodeURIComponent(file);

export class DirectoryRecords implements Records {
  constructor(private readonly dir: string) {}

  async read(collection: string, key: string): Promise<Stored | undefined> {
    try {
      return JSON.parse(await readFile(this.file(collection, key), 'utf8')) as Stored;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async version(collection: string, key: string): Promise<string | undefined> {
    return (await this.read(collection, key))?.version;
  }

  async write(collection: string, key: string, stored: Stored): Promise<void> {
    const target = this.file(collection, key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID().slice(0, 8)}.tmp`;
    await writeFile(temp, JSON.stringify(stored), 'utf8');
    await rename(temp, target);
  }

  async remove(collection: string, key: string): Promise<void> {
    await rm(this.file(collection, key), { force: true });
  }

  async keys(collection: string): Promise<string[]> {
    const files = await readdir(path.join(this.dir, encode(collection))).catch(() => [] as string[]);
    return files.filter((f) => f.endsWith('.json')).map((f) => decode(f.slice(0, -'.json'.length)));
  }

  private file(collection: string, key: string): string {
    return path.join(this.dir, encode(collection), `${encode(key)}.json`);
  }
}
