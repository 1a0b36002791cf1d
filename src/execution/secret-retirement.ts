import type { AppSecrets } from '../azure/secret-source.port';
import type { RetiredSecret, SecretLedger } from './secret-ledger';
import type { Log } from '../log';
import { startBackgroundJob } from '../background/background-job';

export interface SecretRetirement {
  /** One pass now (also what the timer runs); never throws. */
  runOnce(): Promise<RetiredSecret[]>;
  stop(): void;
}

/**
 * Removes previous bot-made secrets whose grace period has ended, on a timer. Only secrets in the ledger (made by
 * the bot) are ever touched; a failed removal stays scheduled for the next pass. Passes never overlap, and the
 * timer does not keep the process alive.
 */
export function scheduleSecretRetirement(o: { ledger: SecretLedger; appSecrets: AppSecrets; intervalMs: number; logger?: Log }): SecretRetirement {
  const job = startBackgroundJob({
    name: 'secret retirement', everyMs: o.intervalMs, otherwise: [] as RetiredSecret[], ...(o.logger ? { logger: o.logger } : {}),
    pass: async () => {
      const results = await o.ledger.retireDueSecrets(o.appSecrets);
      for (const r of results) {
        if (r.failed) o.logger?.warn({ appId: r.appId, keyId: r.keyId, code: r.failed }, 'previous secret not retired; will retry');
        else o.logger?.info({ appId: r.appId, keyId: r.keyId }, 'previous bot-made secret retired');
      }
      return results;
    },
  });
  return { runOnce: job.runOnce, stop: job.stop };
}
