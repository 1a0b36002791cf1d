/**
 * Finds bot-made secrets that nothing accounts for and removes them. A rotation writes an intent before Graph
 * addPassword and settles it when it ends (secret-ledger.ts); an intent still open after the grace period means the
 * rotation never finished its bookkeeping: a lost addPassword answer, a crash before the ledger write, a store that
 * refused a compensation. Each secret on the intent's app whose displayName carries the intent's marker is removed,
 * unless a connection uses it (the ledger's connection record) or retirement already has it scheduled.
 * Only secrets with an open intent of this store are touched: a marker the ledger never wrote is not ours to judge.
 * One pass at a time across instances (a Store lease), on a timer that never keeps the process alive.
 */
import { type Clock, every, type Repeat } from '../domain/time';
import type { AppSecrets, PasswordCredentialInfo } from '../azure/secret-source.port';
import { type RunLeases } from '../store/run-lease';
import type { Log } from '../log';
import { markerOf, removeIfPresent, type SecretIntent, type SecretLedger } from './secret-ledger';

export const RECONCILE_LEASE = 'secret-reconcile';

export interface SecretReconcilerOptions {
  ledger: SecretLedger;
  appSecrets: AppSecrets;
  clock: Clock;
  /** How long an intent may stay open before its secrets count as orphaned (the retirement grace period). */
  graceMs: number;
  /** Keeps passes to one instance at a time; without it, passes run unleased (a single instance). */
  leases?: RunLeases;
  logger?: Log;
}

export interface ReconcileResult {
  removed: Array<{ appId: string; keyId: string }>;
  /** Intents closed (their secrets removed, in use, or never created). */
  settled: number;
  /** Apps that could not be read or cleaned this pass; tried again next pass. */
  failed: number;
}

const EMPTY: ReconcileResult = Object.freeze({ removed: [], settled: 0, failed: 0 });

export class SecretReconciler {
  private running: Promise<ReconcileResult> | undefined;

  constructor(private readonly o: SecretReconcilerOptions) {}

  /** One pass now (also what the timer runs); never throws. */
  runOnce(): Promise<ReconcileResult> {
    this.running ??= this.leased().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Passes every `ms`; returns the stop function. */
  start(ms: number, repeat: Repeat = every): () => void {
    return ms > 0 ? repeat(() => void this.runOnce(), ms) : () => undefined;
  }

  async idle(): Promise<void> {
    await this.running;
  }

  private async leased(): Promise<ReconcileResult> {
    try {
      if (!this.o.leases) return await this.pass();
      const held = await this.o.leases.holdWhile(RECONCILE_LEASE, () => this.pass());
      return held.taken ? held.value : EMPTY;
    } catch (error) {
      this.o.logger?.warn({ code: (error as { code?: unknown }).code ?? 'INTERNAL' }, 'secret reconciliation pass failed');
      return EMPTY;
    }
  }

  private async pass(): Promise<ReconcileResult> {
    const now = this.o.clock.now().getTime();
    const due = (await this.o.ledger.intents()).filter((i) => Date.parse(i.at) + this.o.graceMs <= now);
    const result: ReconcileResult = { removed: [], settled: 0, failed: 0 };
    for (const [appId, intents] of byApp(due)) {
      try {
        const passwords = await this.o.appSecrets.listPasswords(appId);
        for (const intent of intents) await this.reconcile(intent, passwords, result);
      } catch (error) {
        result.failed += 1;
        this.o.logger?.warn({ appId, code: (error as { code?: unknown }).code ?? 'INTERNAL' }, 'could not reconcile the app\'s secrets; will retry');
      }
    }
    return result;
  }

  private async reconcile(intent: SecretIntent, passwords: PasswordCredentialInfo[], result: ReconcileResult): Promise<void> {
    const current = await this.o.ledger.currentFor(intent.endpointId);
    for (const password of passwords.filter((p) => markerOf(p.displayName) === intent.marker)) {
      if (current && current.keyId.toLowerCase() === password.keyId.toLowerCase()) continue;
      if ((await this.o.ledger.get(intent.appId, password.keyId))?.retireAt) continue;
      await removeIfPresent(this.o.appSecrets, intent.appId, password.keyId);
      await this.o.ledger.forget(intent.appId, password.keyId);
      result.removed.push({ appId: intent.appId, keyId: password.keyId });
      this.o.logger?.info({ appId: intent.appId, keyId: password.keyId, planId: intent.planId }, 'orphaned bot-made secret removed');
    }
    await this.o.ledger.settle(intent.marker);
    result.settled += 1;
  }
}

function byApp(intents: SecretIntent[]): Map<string, SecretIntent[]> {
  const groups = new Map<string, SecretIntent[]>();
  for (const intent of intents) groups.set(intent.appId, [...(groups.get(intent.appId) ?? []), intent]);
  return groups;
}
