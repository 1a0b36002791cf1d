import type { ApprovalRecord, ApprovalState } from '../domain/approval';
import type { Store, Versioned } from '../store/store.port';

export const APPROVALS_COLLECTION = 'approvals';

/**
 * Approval records in the Store, keyed by plan id. Every write names the version it read (compare-and-swap), so
 * two taps, two approvers or two bot instances can never both move a plan out of the same state.
 */
export class ApprovalRecords {
  constructor(private readonly store: Store) {}

  get(planId: string): Promise<Versioned<ApprovalRecord> | undefined> {
    return this.store.get<ApprovalRecord>(APPROVALS_COLLECTION, planId);
  }

  /** Create-only: a plan is proposed once. */
  async create(record: ApprovalRecord): Promise<Versioned<ApprovalRecord>> {
    return this.store.put(APPROVALS_COLLECTION, record.planId, record);
  }

  /** Replaces the record read at `version`; throws VersionConflictError when someone wrote since. */
  async replace(record: ApprovalRecord, version: string): Promise<Versioned<ApprovalRecord>> {
    return this.store.put(APPROVALS_COLLECTION, record.planId, record, version);
  }

  /** Records in some states (start-up resumes `approved` and `executing`). A scan: a chat bot holds few plans. */
  async inStates(states: readonly ApprovalState[]): Promise<Array<Versioned<ApprovalRecord>>> {
    const records = await this.store.list<ApprovalRecord>(APPROVALS_COLLECTION);
    return records.filter((r) => states.includes(r.value.state)).map(({ value, version }) => ({ value, version }));
  }
}
