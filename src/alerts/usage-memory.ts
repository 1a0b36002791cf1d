/**
 * What the radar learnt about each connection's last use, kept between scans so a scan reads execution history
 * only where the answer could change a finding (src/domain/usage-due.ts decides which). Stored compactly,
 * `alert-usage/<generation>/<index>` parts of at most PART_BUDGET characters (as plans are: one Azure Table entity
 * holds 1 MiB) named by the header `alert-usage/header`; a save writes the new parts, then the header, then
 * drops every part the header does not name, so a save that dies half-way leaves the previous memory whole, and
 * what it left behind (new parts before the header, old ones after it) goes with the next save.
 */
import { PART_BUDGET, packBySize, RecordParts, type PartsRef } from '../store/record-parts';
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

/** id → [lastUsed in ms (exact: it is a finding's `since`), 0 = none; checkedAt in seconds]: ~65 characters each. */
type Part = Record<string, [number, number]>;

const toSeconds = (ms: number) => Math.floor(ms / 1000);

export class StoreUsageMemory implements UsageMemory {
  /** Header and parts share the collection: parts are `<generation>/<index>`, the header is `header`. */
  private readonly parts: RecordParts<Part>;

  constructor(private readonly store: Store) {
    this.parts = new RecordParts<Part>(store, USAGE);
  }

  async load(): Promise<UsageMap> {
    const known: UsageMap = new Map();
    const header = (await this.store.get<PartsRef>(USAGE, HEADER))?.value;
    if (!header) return known;
    for (const key of this.parts.keys('', header)) {
      const part = (await this.store.get<Part>(USAGE, key))?.value ?? {};
      for (const [id, [lastUsed, checkedAt]] of Object.entries(part)) {
        known.set(id, { ...(lastUsed > 0 ? { lastUsed } : {}), checkedAt: checkedAt * 1000 });
      }
    }
    return known;
  }

  /** Only the scan's lease holder saves, so the header is replaced without a version check. */
  async save(known: UsageMap): Promise<void> {
    const previous = await this.store.get<PartsRef>(USAGE, HEADER);
    const parts = split(known);
    const header = RecordParts.newRef(parts.length);
    await this.parts.write('', header, parts);
    if (previous) await this.store.put(USAGE, HEADER, header, previous.version);
    else await this.store.put(USAGE, HEADER, header);
    const current = new Set(this.parts.keys('', header));
    for (const key of await this.store.keys(USAGE)) if (key !== HEADER && !current.has(key)) await this.store.delete(USAGE, key);
  }
}

function split(known: UsageMap): Part[] {
  const entries = [...known].map(([id, use]): [string, [number, number]] => [id, [use.lastUsed ?? 0, toSeconds(use.checkedAt)]]);
  // `"id":[a,b],` counted, not serialised: ids are GUIDs (nothing to escape), and this runs 10,000 times a scan.
  const sizeOf = ([id, entry]: [string, [number, number]]) => id.length + String(entry[0]).length + String(entry[1]).length + 8;
  return packBySize(entries, sizeOf, PART_BUDGET - 2).map((group) => Object.fromEntries(group));
}
