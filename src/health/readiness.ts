/**
 * What GET /readyz answers: whether this instance can do its work — the Store answers a read and an Azure DevOps
 * token can be had — and is not draining. A platform probes every few seconds on every instance, so one answer is
 * reused for READY_CACHE_MS and concurrent probes share the check in flight: at most one Store read and one token
 * request (served from the token source's own cache while the token is valid) per instance per 10 s.
 */
import type { Clock } from '../domain/time';
import { errorCodeOf } from '../domain/errors';
import type { AccessTokenSource } from '../identity/access-token-source.port';
import type { Store } from '../store/store.port';

/** How long one readiness answer is reused. */
export const READY_CACHE_MS = 10_000;
/** A check that has not answered by then counts as failed (a hung store must not hang the probe). */
export const CHECK_TIMEOUT_MS = 5_000;

export type CheckResult = 'ok' | 'failed';

export interface ReadinessReport {
  status: 'ready' | 'not-ready' | 'draining';
  checks: { store: CheckResult; devopsToken: CheckResult };
  checkedAt: string;
}

export interface ReadinessOptions {
  store: Store;
  devopsTokens: AccessTokenSource;
  clock: Clock;
  /** True once the process started draining (SIGTERM): not ready, whatever the checks say. */
  draining: () => boolean;
  logger: { warn(obj: object, msg?: string): void };
  cacheMs?: number;
  timeoutMs?: number;
}

/** The record the store check reads; it never exists, and a miss answered is a store that works. */
const PROBE = { collection: 'health', key: 'probe' } as const;

export class Readiness {
  private cached: { at: number; report: ReadinessReport } | undefined;
  private inFlight: Promise<ReadinessReport> | undefined;

  constructor(private readonly o: ReadinessOptions) {}

  async check(): Promise<ReadinessReport> {
    const now = this.o.clock.now().getTime();
    if (this.o.draining()) return { status: 'draining', checks: this.cached?.report.checks ?? { store: 'ok', devopsToken: 'ok' }, checkedAt: new Date(now).toISOString() };
    if (this.cached && now - this.cached.at < (this.o.cacheMs ?? READY_CACHE_MS)) return this.cached.report;
    this.inFlight ??= this.run().finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  private async run(): Promise<ReadinessReport> {
    const [store, devopsToken] = await Promise.all([
      this.probe('store', () => this.o.store.get(PROBE.collection, PROBE.key)),
      this.probe('devopsToken', () => this.o.devopsTokens.getToken()),
    ]);
    const at = this.o.clock.now().getTime();
    const report: ReadinessReport = { status: store === 'ok' && devopsToken === 'ok' ? 'ready' : 'not-ready', checks: { store, devopsToken }, checkedAt: new Date(at).toISOString() };
    this.cached = { at, report };
    return report;
  }

  /** ok, or failed with the code in the log (never the error's text: it may quote a service's answer). */
  private async probe(check: string, call: () => Promise<unknown>): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${check} did not answer within ${this.o.timeoutMs ?? CHECK_TIMEOUT_MS} ms`)), this.o.timeoutMs ?? CHECK_TIMEOUT_MS);
      timer.unref();
    });
    try {
      await Promise.race([call(), timeout]);
      return 'ok';
    } catch (error) {
      this.o.logger.warn({ check, code: errorCodeOf(error) }, 'readiness check failed');
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }
}
