/**
 * What the radar learnt about each connection's last use, kept between scans so a scan reads execution history
 * only where the answer could change a finding (src/domain/usage-due.ts decides which). Stored compactly,
 * `alert-usage/<generation>/<index>` parts of at most PART_BUDGET characters (as plans are: one Azure Table entity
 * holds 1 MiB) named by the header `alert-usage/header`; a save writes the new parts, then the header, then
 * drops every part the header does not name, so a save that dies half-way leaves the previous memory whole, and
 * what it left behind (new parts before the header, old ones after it) goes with the next save.
 */
import { randomUUID } from 'node:crypto';
import { PART_BUDGET } from '../plans/store-plan-repository';
import type { Store } from '../store/store.port';
import type { KnownUse } from '../domain/usage-due';

export const USAGE = 'alert-usage';
const HEADER = 'header';

/** By lower-case connection id. */
export type UsageMap = Map<string, KnownUse>;

/** The scanner's memory of last uses (the Store-backed one below; tests may pass their own). */
export interface UsageMemory {
  load(): Promise<UsageMap>;
  save(known: UsageMap): Promise<void>;
}

interface Header {
  generation: string;
  count: number;
}

/** id → [lastUsed in ms (exact: it is a finding's `since`), 0 = none; checkedAt in seconds]: ~65 characters each. */
type Part = Record<string, [number, number]>;

const toSeconds = (ms: number) => Math.floor(ms / 1000);

export class StoreUsageMemory implements UsageMemory {
  constructor(private readonly store: Store) {}

  async load(): Promise<UsageMap> {
    const known: UsageMap = new Map();
    const header = (await this.store.get<Header>(USAGE, HEADER))?.value;
    if (!header) return known;
    for (const key of partKeys(header)) {
      const part = (await this.store.get<Part>(USAGE, key))?.value ?? {};
      for (const [id, [lastUsed, checkedAt]] of Object.entries(part)) {
        known.set(id, { ...(lastUsed > 0 ? { lastUsed } : {}), checkedAt: checkedAt * 1000 });
      }
    }
    return known;
  }

  /** Only the scan's lease holder saves, so the header is replaced without a version check. */
  async save(known: UsageMap): Promise<void> {
    const previous = await this.store.get<Header>(USAGE, HEADER);
    const header: Header = { generation: randomUUID().slice(0, 8), count: 0 };
    for (const part of split(known)) await this.store.put(USAGE, partKey(header.generation, header.count++), part);
    if (previous) await this.store.put(USAGE, HEADER, header, previous.version);
    else await this.store.put(USAGE, HEADER, header);
    const current = new Set(partKeys(header));
    for (const key of await this.store.keys(USAGE)) if (key !== HEADER && !current.has(key)) await this.store.delete(USAGE, key);
  }
}

function split(known: UsageMap): Part[] {
  const parts: Part[] = [];
  let current: Part = {};
  let size = 2;
  for (const [id, use] of known) {
    const entry: [number, number] = [use.lastUsed ?? 0, toSeconds(use.checkedAt)];
    // `"id":[a,b],` counted, not serialised: ids are GUIDs (nothing to escape), and this runs 10,000 times a scan.
    const length = id.length + String(entry[0]).length + String(entry[1]).length + 8;
    if (size + length > PART_BUDGET && size > 2) {
      parts.push(current);
      current = {};
      size = 2;
    }
    current[id] = entry;
    size += length;
  }
  if (size > 2) parts.push(current);
  return parts;
}

const partKey = (generation: string, index: number) => `${generation}/${String(index).padStart(5, '0')}`;
const partKeys = (header: Header) => Array.from({ length: header.count }, (_, i) => partKey(header.generation, i));
