/**
 * Records too large for one Store entry, kept as numbered parts of at most PART_BUDGET characters of JSON each
 * (one Azure Table entity holds 1 MiB, a string property 64 KiB, and the table store writes non-ASCII characters
 * as 6-character escapes: 64,000 characters stay under the entity whatever the text is, on every Store).
 * Generic: the caller says what is cut (any JSON items) and keeps the `PartsRef` in a header record of its own.
 * Parts are written under a fresh generation (`<prefix>/<generation>/<index>`) and never changed afterwards, so a
 * header that names a generation always names whole parts: write the parts, then the header (compare-and-swap),
 * then delete the generation the header named before. A save that dies half-way leaves only parts no header names.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from './store.port';

export const PART_BUDGET = 64_000;

/** Which parts a header names. */
export interface PartsRef {
  generation: string;
  count: number;
}

/** `[`, `]` and the commas: what JSON adds around the items of one part. */
const ARRAY_OVERHEAD = 2;

/**
 * Items in order, cut into groups whose JSON array is at most `budget` characters. An item larger than the budget
 * alone is a group of its own (the caller bounds its items; the Store refuses what it cannot hold).
 */
export function cutIntoParts<T>(items: Iterable<T>, budget = PART_BUDGET): T[][] {
  const parts: T[][] = [];
  let current: T[] = [];
  let size = ARRAY_OVERHEAD;
  for (const item of items) {
    const length = JSON.stringify(item).length + 1;
    if (current.length > 0 && size + length > budget) {
      parts.push(current);
      current = [];
      size = ARRAY_OVERHEAD;
    }
    current.push(item);
    size += length;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

export const partKey = (prefix: string, generation: string, index: number): string => `${prefix}/${generation}/${String(index).padStart(5, '0')}`;

const partKeys = (prefix: string, ref: PartsRef): string[] => Array.from({ length: ref.count }, (_, i) => partKey(prefix, ref.generation, i));

/** Writes the groups as a new generation; on failure removes what it wrote and rethrows. */
export async function writeParts<T>(store: Store, collection: string, prefix: string, parts: readonly T[][]): Promise<PartsRef> {
  const ref = { generation: randomUUID().slice(0, 8), count: parts.length };
  try {
    for (const [index, part] of parts.entries()) await store.put(collection, partKey(prefix, ref.generation, index), part);
  } catch (error) {
    await deleteParts(store, collection, prefix, ref).catch(() => undefined);
    throw error;
  }
  return ref;
}

/** The items of every part, in order; undefined when a part is missing (a header read while its parts were replaced). */
export async function readParts<T>(store: Store, collection: string, prefix: string, ref: PartsRef): Promise<T[] | undefined> {
  // By key, not by listing: the header says which parts exist, and a listing costs as much as the collection.
  const stored = await Promise.all(partKeys(prefix, ref).map((key) => store.get<T[]>(collection, key)));
  if (stored.some((part) => part === undefined)) return undefined;
  return stored.flatMap((part) => part?.value ?? []);
}

export async function deleteParts(store: Store, collection: string, prefix: string, ref: PartsRef): Promise<void> {
  for (const key of partKeys(prefix, ref)) await store.delete(collection, key);
}
