import type { ApprovalRecord, ApprovalState } from '../domain/approval';
import { VersionConflictError, type Store, type Versioned } from '../store/store.port';

export const APPROVALS_COLLECTION = 'approvals';

/**
 * Plans that may still need running (approved or executing), one empty record each, keyed by plan id. The sweep
 * every few seconds reads these keys instead of every approval record kept for 30 days: its cost follows the
 * plans in flight, not the plans ever made. The index may hold more than the open plans, never fewer: an entry
 * is written before a record enters a runnable state and removed only after it left them, so a crash in between
 * leaves an extra entry, which the next read of the index removes.
 */
export const OPEN_PLANS_COLLECTION = 'open-plans';

const RUNNABLE: readonly ApprovalState[] = ['approved', 'executing'];

const isRunnable = (state: ApprovalState): boolean => RUNNABLE.includes(state);

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
    return this.write(record, () => this.store.put(APPROVALS_COLLECTION, record.planId, record));
  }

  /** Replaces the record read at `version`; throws VersionConflictError when someone wrote since. */
  async replace(record: ApprovalRecord, version: string): Promise<Versioned<ApprovalRecord>> {
    return this.write(record, () => this.store.put(APPROVALS_COLLECTION, record.planId, record, version));
  }

  /**
   * The records that are approved or executing. By default from the open-plans index (the sweep's read); with
   * `everyRecord` by listing every approval record, as at start-up, which also indexes plans left open by a
   * version that kept no index.
   */
  async runnable(options: { everyRecord?: boolean } = {}): Promise<Array<Versioned<ApprovalRecord>>> {
    if (options.everyRecord) {
      const open = (await this.store.list<ApprovalRecord>(APPROVALS_COLLECTION)).filter((r) => isRunnable(r.value.state));
      for (const record of open) await this.markOpen(record.value.planId);
      return open.map(({ value, version }) => ({ value, version }));
    }
    const found: Array<Versioned<ApprovalRecord>> = [];
    for (const planId of await this.store.keys(OPEN_PLANS_COLLECTION)) {
      const read = await this.get(planId);
      if (read && isRunnable(read.value.state)) found.push(read);
      // Left by a crash between the record's write and the entry's removal, or by retention deleting the record.
      else await this.store.delete(OPEN_PLANS_COLLECTION, planId);
    }
    return found;
  }

  private async write(record: ApprovalRecord, put: () => Promise<Versioned<ApprovalRecord>>): Promise<Versioned<ApprovalRecord>> {
    if (isRunnable(record.state)) await this.markOpen(record.planId);
    const written = await put();
    // A proposal was never runnable; every other state may follow one that was.
    if (!isRunnable(record.state) && record.state !== 'proposed') await this.store.delete(OPEN_PLANS_COLLECTION, record.planId);
    return written;
  }

  /** Idempotent: an entry that is already there is what we wanted. */
  private async markOpen(planId: string): Promise<void> {
    try {
      await this.store.put(OPEN_PLANS_COLLECTION, planId, {});
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
}
