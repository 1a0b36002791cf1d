/**
 * Records too large for one Store entry, kept as a small header that names immutable parts. One Azure Table
 * entity holds 1 MiB and the table codec takes at most 480,000 characters of JSON per value (src/store/azure/
 * table-codec.ts), while a plan over 2,000 connections is megabytes and the radar's record of 5,000 findings about
 * 2 MB. Parts are `<prefix><generation>/<00000>`; a save writes every part under a fresh generation, then the
 * header (compare-and-swap), then removes the previous generation: a reader sees the old record or the new one,
 * never a mix, and a save that dies half-way leaves only parts no header names, which their owner or the
 * retention sweep (src/retention/orphan-parts.ts) removes. Plans, the radar's records and its usage memory use it.
 */
import { randomUUID } from 'node:crypto';
import { VersionConflictError, type Store, type Versioned } from './store.port';

/**
 * Characters of JSON per part: non-ASCII characters are stored as 6-character escapes in Azure Tables, so 64,000
 * stays under one entity's limit whatever the text is, on every Store.
 */
export const PART_BUDGET = 64_000;

/** Which parts a header names. */
export interface PartsRef {
  generation: string;
  count: number;
}

/** A header as stored: the record's small fields plus where its parts are. */
export type PartedHeader<H> = H & { parts: PartsRef };

export function hasParts(value: unknown): value is { parts: PartsRef } {
  const parts = (value as { parts?: Partial<PartsRef> } | undefined)?.parts;
  return typeof parts?.generation === 'string' && typeof parts.count === 'number';
}

/** Entries in order, grouped so each group's size stays within the budget (an entry larger than it is alone). */
export function packBySize<T>(entries: Iterable<T>, sizeOf: (entry: T) => number, budget = PART_BUDGET): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const entry of entries) {
    const length = sizeOf(entry);
    if (current.length > 0 && size + length > budget) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** One collection of parts. */
export class RecordParts<P> {
  constructor(private readonly store: Store, readonly collection: string) {}

  keys(prefix: string, ref: PartsRef): string[] {
    return Array.from({ length: ref.count }, (_, index) => `${prefix}${ref.generation}/${String(index).padStart(5, '0')}`);
  }

  /** A fresh generation for `count` parts. */
  static newRef(count: number): PartsRef {
    return { generation: randomUUID().slice(0, 8), count };
  }

  /** Writes every part of a fresh generation (RecordParts.newRef); nothing names them until a header does. */
  async write(prefix: string, ref: PartsRef, parts: readonly P[]): Promise<void> {
    const keys = this.keys(prefix, ref);
    for (const [index, part] of parts.entries()) await this.store.put(this.collection, keys[index] as string, part);
  }

  /** By key, not by listing (a listing costs as much as the collection); undefined when one is missing. */
  async read(prefix: string, ref: PartsRef): Promise<P[] | undefined> {
    const stored = await Promise.all(this.keys(prefix, ref).map((key) => this.store.get<P>(this.collection, key)));
    return stored.every((p) => p !== undefined) ? stored.map((p) => (p as Versioned<P>).value) : undefined;
  }

  async remove(prefix: string, ref: PartsRef): Promise<void> {
    for (const key of this.keys(prefix, ref)) await this.store.delete(this.collection, key);
  }
}

/** Replace whatever is stored (plans: saving an id again replaces it). */
export const ANY_VERSION = Symbol('any version');

/** Headers in one collection, their parts in another under `<header key>/`. */
export class PartedRecords<H extends object, P> {
  private readonly parts: RecordParts<P>;

  constructor(private readonly store: Store, readonly headers: string, partsCollection: string) {
    this.parts = new RecordParts<P>(store, partsCollection);
  }

  /** The header as stored: a record saved whole before it was split has no `parts` (the caller reads it as it is). */
  header(key: string): Promise<Versioned<H | PartedHeader<H>> | undefined> {
    return this.store.get<H | PartedHeader<H>>(this.headers, key);
  }

  /**
   * The header and its parts. A save that replaced the record between the two reads removed the parts read for:
   * the header is read again (a few times), so a reader never fails on a record being saved.
   */
  async read(key: string): Promise<{ header: Versioned<H | PartedHeader<H>>; parts: P[] } | undefined> {
    for (let attempt = 0; ; attempt += 1) {
      const header = await this.header(key);
      if (!header || !hasParts(header.value)) return header && { header, parts: [] };
      const parts = await this.parts.read(`${key}/`, header.value.parts);
      if (parts) return { header, parts };
      const again = await this.header(key);
      if (attempt >= 2 || again?.version === header.version) throw new Error(`${this.headers}/${key} is incomplete: a part of ${header.value.parts.count} is missing`);
    }
  }

  /**
   * Writes the parts, then the header naming them, compare-and-swap on `expected` (undefined: create only;
   * ANY_VERSION: whatever is there now), then removes the parts of the header it replaced. Returns the new version.
   * A conflict (VersionConflictError) or a failure leaves the stored record as it was.
   */
  async save(key: string, header: H, parts: readonly P[], expected: string | undefined | typeof ANY_VERSION): Promise<string> {
    const current = await this.header(key);
    if (expected !== ANY_VERSION && (expected === undefined ? current !== undefined : current?.version !== expected)) {
      throw new VersionConflictError(`${this.headers}/${key}`);
    }
    const prefix = `${key}/`;
    const ref = RecordParts.newRef(parts.length);
    let version: string;
    try {
      await this.parts.write(prefix, ref, parts);
      version = (await this.store.put<PartedHeader<H>>(this.headers, key, { ...header, parts: ref }, current?.version)).version;
    } catch (error) {
      // Nothing names these parts; what cannot be removed now (the store is failing) is the orphan sweep's.
      await this.parts.remove(prefix, ref).catch(() => undefined);
      throw error;
    }
    // The new record stands; old parts that cannot be removed now are the orphan sweep's.
    if (current && hasParts(current.value)) await this.parts.remove(prefix, current.value.parts).catch(() => undefined);
    return version;
  }

  /** The header first: from then on the record does not exist, whatever parts are left to remove. */
  async delete(key: string, expectedVersion?: string): Promise<void> {
    const current = await this.header(key);
    if (!current) return;
    await this.store.delete(this.headers, key, expectedVersion);
    if (hasParts(current.value)) await this.parts.remove(`${key}/`, current.value.parts);
  }
}
