import { randomUUID } from 'node:crypto';
import type { Plan, PlanItem, SkippedConnection } from '../domain/plan';
import type { Store } from '../store/store.port';
import type { PlanRepository } from './plan-repository.port';

export const PLANS_COLLECTION = 'plans';
export const PLAN_PARTS_COLLECTION = 'plan-parts';
/**
 * Characters of JSON per part. A plan over 2,000 connections is ~5.7 MB of JSON, while one Azure Table entity
 * holds 1 MiB; non-ASCII characters are stored as 6-character escapes there, so 64,000 stays under the limit
 * whatever the names are, on every Store.
 */
export const PART_BUDGET = 64_000;

interface PlanPart {
  items: PlanItem[];
  skipped: SkippedConnection[];
}

/** The plan record: everything but the items, plus where its parts are. Parts are immutable once written. */
type PlanHeader = Omit<Plan, 'items' | 'skipped'> & { parts: { generation: string; count: number } };

/**
 * Plans in the Store, keyed by id, as a header and parts of at most PART_BUDGET characters each, so plans of
 * any realistic size fit every Store's record limit. Parts are written first under a fresh generation and the
 * header last, with compare-and-swap: a reader sees either the old plan or the new one, never a mix, and a
 * save that dies half-way leaves only parts no header names. Saving a plan id again replaces it.
 */
export class StorePlanRepository implements PlanRepository {
  constructor(private readonly store: Store) {}

  async save(plan: Plan): Promise<void> {
    const { items: _items, skipped: _skipped, ...rest } = plan;
    const parts = splitPlan(plan);
    const generation = randomUUID().slice(0, 8);
    try {
      for (const [index, part] of parts.entries()) await this.store.put(PLAN_PARTS_COLLECTION, partKey(plan.id, generation, index), part);
      const existing = await this.store.get<PlanHeader | Plan>(PLANS_COLLECTION, plan.id);
      await this.store.put<PlanHeader>(PLANS_COLLECTION, plan.id, { ...rest, parts: { generation, count: parts.length } }, existing?.version);
      if (existing && 'parts' in existing.value) await this.deleteParts(plan.id, existing.value.parts);
    } catch (error) {
      await this.deleteParts(plan.id, { generation, count: parts.length }).catch(() => undefined);
      throw error;
    }
  }

  async get(planId: string): Promise<Plan | undefined> {
    const header = (await this.store.get<PlanHeader | Plan>(PLANS_COLLECTION, planId))?.value;
    // Plans saved whole (before they were split) are read as they are.
    if (!header || !('parts' in header)) return header;
    const { parts, ...rest } = header;
    // By key, not by listing: the header says which parts exist, and a listing costs as much as the collection.
    const stored = await Promise.all(partKeys(planId, parts).map((key) => this.store.get<PlanPart>(PLAN_PARTS_COLLECTION, key)));
    if (stored.some((p) => p === undefined)) throw new Error(`plan ${planId} is incomplete: a part of ${parts.count} is missing`);
    const values = stored.map((p) => (p as { value: PlanPart }).value);
    return { ...rest, items: values.flatMap((p) => p.items), skipped: values.flatMap((p) => p.skipped) };
  }

  /** The header first: from then on the plan does not exist, whatever parts are left to remove. */
  async delete(planId: string): Promise<void> {
    const header = (await this.store.get<PlanHeader | Plan>(PLANS_COLLECTION, planId))?.value;
    await this.store.delete(PLANS_COLLECTION, planId);
    if (header && 'parts' in header) await this.deleteParts(planId, header.parts);
  }

  private async deleteParts(planId: string, parts: PlanHeader['parts']): Promise<void> {
    for (const key of partKeys(planId, parts)) await this.store.delete(PLAN_PARTS_COLLECTION, key);
  }
}

const partKeys = (planId: string, parts: PlanHeader['parts']): string[] =>
  Array.from({ length: parts.count }, (_, index) => partKey(planId, parts.generation, index));

const partKey = (planId: string, generation: string, index: number): string => `${planId}/${generation}/${String(index).padStart(5, '0')}`;

/** Items, then skipped connections, in order, cut into parts of at most PART_BUDGET characters of JSON. */
function splitPlan(plan: Plan): PlanPart[] {
  const parts: PlanPart[] = [];
  let current: PlanPart = { items: [], skipped: [] };
  let size = 0;
  const add = (entry: { kind: 'items'; value: PlanItem } | { kind: 'skipped'; value: SkippedConnection }): void => {
    const length = JSON.stringify(entry.value).length + 1;
    if (size > 0 && size + length > PART_BUDGET) {
      parts.push(current);
      current = { items: [], skipped: [] };
      size = 0;
    }
    if (entry.kind === 'items') current.items.push(entry.value);
    else current.skipped.push(entry.value);
    size += length;
  };
  for (const value of plan.items) add({ kind: 'items', value });
  for (const value of plan.skipped) add({ kind: 'skipped', value });
  if (size > 0) parts.push(current);
  return parts;
}
