/**
 * Parts no header names (src/store/record-parts.ts): left by a save that died between writing its parts and its
 * header, by a replace that died before removing the old generation, or by a removal the store refused. A group of
 * parts is removed once two sweeps of this instance in a row saw it orphaned, so a save in flight during one sweep
 * (parts written, header not yet) is never touched. Every collection of parts is listed here with its headers.
 */
import { POSTED, POSTED_PARTS, SCAN_PARTS, SCANS } from '../alerts/alert-store';
import { INVENTORY_COLLECTION, INVENTORY_HEADER_PREFIX, INVENTORY_PARTS_COLLECTION } from '../inventory/inventory-store';
import { PLAN_PARTS_COLLECTION, PLANS_COLLECTION } from '../plans/store-plan-repository';
import type { Store } from '../store/store.port';

/**
 * Parts `<group>/<generation>/<index>` in `parts`, named by the header `<headerPrefix><group>` in `headers` (the
 * inventory's headers are `project/<id>`, its parts `<id>/…`; the others' prefix is empty).
 */
export const PARTED_COLLECTIONS: ReadonlyArray<{ parts: string; headers: string; headerPrefix?: string }> = [
  { parts: PLAN_PARTS_COLLECTION, headers: PLANS_COLLECTION },
  { parts: POSTED_PARTS, headers: POSTED },
  { parts: SCAN_PARTS, headers: SCANS },
  { parts: INVENTORY_PARTS_COLLECTION, headers: INVENTORY_COLLECTION, headerPrefix: INVENTORY_HEADER_PREFIX },
];

export class OrphanParts {
  /** `<collection>\n<header key>/<generation>` groups the previous sweep found orphaned. */
  private suspects = new Set<string>();

  constructor(private readonly store: Store) {}

  /** Removes the parts of groups orphaned in this sweep and the previous one; returns how many parts it removed. */
  async sweep(): Promise<number> {
    const orphaned = new Map<string, { parts: string; keys: string[] }>();
    for (const collection of PARTED_COLLECTIONS) {
      for (const [group, keys] of await this.groups(collection.parts)) {
        if (await this.isOrphan(collection.headers, collection.headerPrefix ?? '', group)) orphaned.set(`${collection.parts}\n${group}`, { parts: collection.parts, keys });
      }
    }
    let removed = 0;
    for (const [id, { parts, keys }] of orphaned) {
      if (!this.suspects.has(id)) continue;
      for (const key of keys) await this.store.delete(parts, key);
      removed += keys.length;
      orphaned.delete(id);
    }
    this.suspects = new Set(orphaned.keys());
    return removed;
  }

  /** Part keys by `<header key>/<generation>`. */
  private async groups(collection: string): Promise<Map<string, string[]>> {
    const groups = new Map<string, string[]>();
    for (const key of await this.store.keys(collection)) {
      const group = key.slice(0, key.lastIndexOf('/'));
      groups.set(group, [...(groups.get(group) ?? []), key]);
    }
    return groups;
  }

  private async isOrphan(headers: string, prefix: string, group: string): Promise<boolean> {
    const cut = group.lastIndexOf('/');
    const header = await this.store.get<{ parts?: { generation: string } }>(headers, `${prefix}${group.slice(0, cut)}`);
    return header?.value.parts?.generation !== group.slice(cut + 1);
  }
}
