import type { Clock } from '../domain/time';
import { VersionConflictError, type Store, type Versioned } from '../store/store.port';
import type { ItemState } from './run-report';

export const ITEMS_COLLECTION = 'execution-items';

/** The Store records of one plan's items, written with compare-and-swap so two runs never both claim an item. */
export class ItemStates {
  constructor(private readonly store: Store, private readonly clock: Clock) {}

  get(planId: string, endpointId: string): Promise<Versioned<ItemState> | undefined> {
    return this.store.get<ItemState>(ITEMS_COLLECTION, key(planId, endpointId));
  }

  async all(planId: string): Promise<Map<string, ItemState>> {
    const records = await this.store.list<ItemState>(ITEMS_COLLECTION, `${planId}/`);
    return new Map(records.map((r) => [r.key.slice(planId.length + 1), r.value]));
  }

  /** Records every item not yet known as pending, so a progress view sees the whole plan from the start. */
  async initialise(planId: string, endpointIds: string[]): Promise<void> {
    const known = await this.all(planId);
    for (const id of endpointIds.filter((e) => !known.has(e.toLowerCase()))) {
      await this.write(planId, id, { status: 'pending' }).catch((error: unknown) => {
        if (!(error instanceof VersionConflictError)) throw error;
      });
    }
  }

  /** Writes the next state over `previous` (undefined = first write); returns the new version. */
  async write(planId: string, endpointId: string, state: Omit<ItemState, 'updatedAt'>, previous?: string): Promise<string> {
    const value: ItemState = { ...state, updatedAt: this.clock.now().toISOString() };
    return (await this.store.put(ITEMS_COLLECTION, key(planId, endpointId), value, previous)).version;
  }
}

function key(planId: string, endpointId: string): string {
  return `${planId}/${endpointId.toLowerCase()}`;
}
