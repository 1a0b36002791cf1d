/**
 * Proves a client secret works by asking Entra for a token with it (client credentials), through the real
 * @azure/identity ClientSecretCredential. A secret just added through Graph can take a while to replicate, and
 * Entra answers "invalid secret" (AADSTS7000215) until then, so a refusal is retried a bounded number of times.
 */
import { handleWhenResult, retry, type IBackoff, type IRetryBackoffContext } from 'cockatiel';
import { AppError } from '../domain/errors';
import { createCredential } from '../identity/credential-factory';
import type { SecretVerifier } from './secret-source.port';
import { aadstsCodeOf } from './trust-agent';
import { systemClock, type Sleep } from '../domain/time';


export interface TokenSecretVerifierOptions {
  /** Same authority as the bot's own identity (the Entra stand-in in local mode); default the public cloud. */
  authorityHost?: string;
  trust?: { caCertificatePem: string };
  /** Total attempts, the first included; default 6. */
  attempts?: number;
  /** First wait between attempts, doubled each time up to maxDelayMs; default 5 s. */
  delayMs?: number;
  maxDelayMs?: number;
  sleep?: Sleep;
  /** What to ask a token for; default Azure Resource Manager, what the connection itself is used for. */
  scope?: string;
}

/** refused: may still be propagating (retried); rejected: will not change by waiting (expired, wrong tenant…). */
type Outcome = 'authenticated' | 'refused' | 'rejected' | 'unreachable';

/** Refusals Entra gives while a new secret (or a new app) is still replicating. */
const PROPAGATING = new Set(['AADSTS7000215', 'AADSTS700016']);

/** cockatiel decides when to retry; the wait is slept by the injectable `sleep` so tests advance a clock instead. */
class DoublingBackoff implements IBackoff<IRetryBackoffContext<unknown>> {
  readonly duration = 0;
  constructor(readonly first: number, private readonly max: number) {}
  delayFor(attempt: number): number {
    return Math.min(this.max, this.first * 2 ** Math.max(0, attempt - 1));
  }
  next(): IBackoff<IRetryBackoffContext<unknown>> {
    return this;
  }
}

export class TokenSecretVerifier implements SecretVerifier {
  private readonly sleep: Sleep;

  constructor(private readonly options: TokenSecretVerifierOptions = {}) {
    this.sleep = options.sleep ?? systemClock.sleep;
  }

  /** True once a token is issued; false when Entra keeps refusing the secret. Throws IDENTITY.UNAVAILABLE when Entra is unreachable. */
  async verify(tenantId: string, clientId: string, secret: string): Promise<boolean> {
    const backoff = new DoublingBackoff(this.options.delayMs ?? 5_000, this.options.maxDelayMs ?? 30_000);
    const policy = retry(handleWhenResult((r) => r === 'refused' || r === 'unreachable'), {
      maxAttempts: Math.max(0, (this.options.attempts ?? 6) - 1),
      backoff,
    });
    const outcome = await policy.execute(async ({ attempt }) => {
      if (attempt > 0) await this.sleep(backoff.delayFor(attempt));
      return this.attempt(tenantId, clientId, secret);
    });
    if (outcome === 'unreachable') throw new AppError('IDENTITY.UNAVAILABLE', `Could not reach Microsoft Entra ID to verify the secret of app ${clientId}.`);
    return outcome === 'authenticated';
  }

  private async attempt(tenantId: string, clientId: string, secret: string): Promise<Outcome> {
    // A fresh credential per attempt: MSAL caches tokens per instance, and a cached token would prove nothing.
    const credential = createCredential(
      { kind: 'client-secret', tenantId, clientId, clientSecret: secret, authorityHost: this.options.authorityHost },
      // Our retry loop decides; the SDK's own network retries would add unbounded real-time waits.
      { trust: this.options.trust, maxRetries: 0 },
    );
    try {
      const token = await credential.getToken(this.options.scope ?? 'https://management.azure.com/.default');
      return token ? 'authenticated' : 'refused';
    } catch (error) {
      // @azure/identity keeps only MSAL's message; the AADSTS number in it is Entra's stable error code.
      const code = aadstsCodeOf(error);
      if (code === undefined) return 'unreachable';
      return PROPAGATING.has(code) ? 'refused' : 'rejected';
    }
  }
}

/** For the rotate step: throws SECRET.NOT_VERIFIED (no secret in the message) when the secret does not authenticate. */
export async function requireVerifiedSecret(verifier: SecretVerifier, tenantId: string, clientId: string, secret: string): Promise<void> {
  if (!(await verifier.verify(tenantId, clientId, secret))) {
    throw new AppError('SECRET.NOT_VERIFIED', `The new secret for app ${clientId} did not authenticate with Microsoft Entra ID.`);
  }
}
