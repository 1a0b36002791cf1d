import type { Plan, PlanItem, SkippedConnection } from '../domain/plan';
import { ANY_VERSION, hasParts, packBySize, PartedRecords } from '../store/record-parts';
import type { Store } from '../store/store.port';
import type { PlanRepository } from './plan-repository.port';

export { PART_BUDGET } from '../store/record-parts';
export const PLANS_COLLECTION = 'plans';
export const PLAN_PARTS_COLLECTION = 'plan-parts';

interface PlanPart {
  items: PlanItem[];
  skipped: SkippedConnection[];
}

/** The plan record: everything but the items (src/store/record-parts.ts adds where its parts are). */
type PlanHeader = Omit<Plan, 'items' | 'skipped'>;

/**
 * Plans in the Store, keyed by id, as a header and parts of at most PART_BUDGET characters each (a plan over 2,000
 * connections is ~5.7 MB of JSON), so plans of any realistic size fit every Store's record limit. A reader sees
 * either the old plan or the new one, never a mix (src/store/record-parts.ts). Saving a plan id again replaces it.
 */
export class StorePlanRepository implements PlanRepository {
  private readonly records: PartedRecords<PlanHeader, PlanPart>;

  constructor(store: Store) {
    this.records = new PartedRecords(store, PLANS_COLLECTION, PLAN_PARTS_COLLECTION);
  }

  async save(plan: Plan): Promise<void> {
    const { items: _items, skipped: _skipped, ...header } = plan;
    await this.records.save(plan.id, header, splitPlan(plan), ANY_VERSION);
  }

  async get(planId: string): Promise<Plan | undefined> {
    const read = await this.records.read(planId);
    if (!read) return undefined;
    // Plans saved whole (before they were split) are read as they are.
    if (!hasParts(read.header.value)) return read.header.value as Plan;
    const { parts: _parts, ...header } = read.header.value;
    return { ...header, items: read.parts.flatMap((p) => p.items), skipped: read.parts.flatMap((p) => p.skipped) };
  }

  async delete(planId: string): Promise<void> {
    await this.records.delete(planId);
  }
}

type Entry = { kind: 'items'; value: PlanItem } | { kind: 'skipped'; value: SkippedConnection };

/** Items, then skipped connections, in order, cut into parts of at most PART_BUDGET characters of JSON. */
function splitPlan(plan: Plan): PlanPart[] {
  const entries: Entry[] = [...plan.items.map((value) => ({ kind: 'items' as const, value })), ...plan.skipped.map((value) => ({ kind: 'skipped' as const, value }))];
  return packBySize(entries, (entry) => JSON.stringify(entry.value).length + 1).map((group) => ({
    items: group.flatMap((e) => (e.kind === 'items' ? [e.value] : [])),
    skipped: group.flatMap((e) => (e.kind === 'skipped' ? [e.value] : [])),
  }));
}
