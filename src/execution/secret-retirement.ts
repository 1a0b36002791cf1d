import type { AppSecrets } from '../azure/secret-source.port';
import type { RetiredSecret, SecretLedger } from './secret-ledger';
import type { Log } from '../log';

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
  let running: Promise<RetiredSecret[]> | undefined;
  const runOnce = (): Promise<RetiredSecret[]> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const pass = async (): Promise<RetiredSecret[]> => {
    try {
      const results = await o.ledger.retireDueSecrets(o.appSecrets);
      for (const r of results) {
        if (r.failed) o.logger?.warn({ appId: r.appId, keyId: r.keyId, code: r.failed }, 'previous secret not retired; will retry');
        else o.logger?.info({ appId: r.appId, keyId: r.keyId }, 'previous bot-made secret retired');
      }
      return results;
    } catch (error) {
      o.logger?.warn({ code: (error as { code?: unknown }).code ?? 'INTERNAL' }, 'secret retirement pass failed');
      return [];
    }
  };
  const timer = setInterval(() => void runOnce(), o.intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
