import type { AppSecrets } from '../azure/secret-source.port';
import type { RetiredSecret, SecretLedger } from './secret-ledger';
import type { Log } from '../log';
import { startBackgroundJob } from '../background/background-job';
import type { RunLeases } from '../store/run-lease';

/** The store lease a retirement pass runs under: instances sharing a store take turns, so a secret is retired once. */
export const RETIRE_LEASE = 'secret-retirement';

export interface SecretRetirement {
  /** One pass now (also what the timer runs); never throws. */
  runOnce(): Promise<RetiredSecret[]>;
  stop(): void;
  /** Resolves when no pass is running here (shutdown waits for it). */
  idle(): Promise<void>;
}

/**
 * Removes previous bot-made secrets whose grace period has ended, on a timer. Only secrets in the ledger (made by
 * the bot) are ever touched; a failed removal stays scheduled for the next pass. Passes never overlap, here or
 * across instances (each pass holds the RETIRE_LEASE; an instance that finds it held skips its pass), and the timer
 * does not keep the process alive.
 */
export function scheduleSecretRetirement(o: { ledger: SecretLedger; appSecrets: AppSecrets; intervalMs: number; leases: RunLeases; logger?: Log }): SecretRetirement {
  const job = startBackgroundJob({
    name: 'secret retirement', everyMs: o.intervalMs, otherwise: [] as RetiredSecret[], ...(o.logger ? { logger: o.logger } : {}),
    lease: { leases: o.leases, key: RETIRE_LEASE },
    pass: async () => {
      const results = await o.ledger.retireDueSecrets(o.appSecrets);
      for (const r of results) {
        if (r.failed) o.logger?.warn({ appId: r.appId, keyId: r.keyId, code: r.failed }, 'previous secret not retired; will retry');
        else o.logger?.info({ appId: r.appId, keyId: r.keyId }, 'previous bot-made secret retired');
      }
      return results;
    },
  });
  return { runOnce: job.runOnce, stop: job.stop, idle: job.idle };
}
