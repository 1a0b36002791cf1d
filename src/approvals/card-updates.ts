import type { ApprovalRecord } from '../domain/approval';
import type { Clock } from '../domain/time';
import type { Plan } from '../domain/plan';
import type { Log } from '../log';
import type { RunReport } from '../execution/run-report';
import type { Notifier } from '../notify/notifier.port';
import { approvalCard } from './approval-card';

/** Progress on the original card: at most every N items or T ms, in order, failures only logged. */
export class CardUpdates {
  private chain: Promise<void> = Promise.resolve();
  private lastAt = 0;
  private lastDone = 0;
  private readonly everyItems: number;
  private readonly everyMs: number;

  constructor(private readonly notifier: Notifier, private readonly record: ApprovalRecord, private readonly plan: Plan, private readonly clock: Clock, every: { everyItems?: number; everyMs?: number } = {}, private readonly logger?: Log) {
    this.everyItems = every.everyItems ?? 10;
    this.everyMs = every.everyMs ?? 2_000;
    this.lastAt = clock.now().getTime();
  }

  progress(done: number, total: number): void {
    const now = this.clock.now().getTime();
    if (done < total && done - this.lastDone < this.everyItems && now - this.lastAt < this.everyMs) return;
    this.lastAt = now;
    this.lastDone = done;
    this.send({ ...this.record, state: 'executing' }, { done, total });
  }

  final(record: ApprovalRecord, notice?: { text: string }, report?: RunReport): Promise<void> {
    this.send(record, undefined, notice, report);
    return this.flush();
  }

  flush(): Promise<void> {
    return this.chain;
  }

  private send(record: ApprovalRecord, progress?: { done: number; total: number }, notice?: { text: string }, report?: RunReport): void {
    const location = this.record.card;
    if (!location) return;
    const reply = approvalCard(record, this.plan, { ...(progress ? { progress } : {}), ...(notice ? { notice } : {}), ...(report ? { report } : {}) });
    this.chain = this.chain.then(() => this.notifier.update(location, reply)).catch((error: unknown) => {
      // A card that cannot be updated must not stop the run; the outcome is in the store and the audit trail.
      this.logger?.warn({ err: error, planId: this.plan.id }, 'could not update the plan card');
    });
  }
}
