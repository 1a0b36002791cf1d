/**
 * Plan parts no header names: left by a save that died between writing its parts and its header, or by a replace
 * that died before removing the old generation. A group of parts is removed once two sweeps of this instance in
 * a row saw it orphaned, so a save in flight during one sweep (parts written, header not yet) is never touched.
 */
import { PLAN_PARTS_COLLECTION, PLANS_COLLECTION } from '../plans/store-plan-repository';
import type { Store } from '../store/store.port';

export class OrphanParts {
  /** `<planId>/<generation>` groups the previous sweep found orphaned. */
  private suspects = new Set<string>();

  constructor(private readonly store: Store) {}

  /** Removes the parts of groups orphaned in this sweep and the previous one; returns how many parts it removed. */
  async sweep(): Promise<number> {
    const groups = new Map<string, string[]>();
    for (const key of await this.store.keys(PLAN_PARTS_COLLECTION)) {
      const group = key.slice(0, key.lastIndexOf('/'));
      groups.set(group, [...(groups.get(group) ?? []), key]);
    }
    const orphaned = new Set<string>();
    for (const group of groups.keys()) if (await this.isOrphan(group)) orphaned.add(group);
    let removed = 0;
    for (const group of orphaned) {
      if (!this.suspects.has(group)) continue;
      for (const key of groups.get(group) ?? []) await this.store.delete(PLAN_PARTS_COLLECTION, key);
      removed += groups.get(group)?.length ?? 0;
      orphaned.delete(group);
    }
    this.suspects = orphaned;
    return removed;
  }

  private async isOrphan(group: string): Promise<boolean> {
    const cut = group.lastIndexOf('/');
    const header = await this.store.get<{ parts?: { generation: string } }>(PLANS_COLLECTION, group.slice(0, cut));
    return header?.value.parts?.generation !== group.slice(cut + 1);
  }
}
