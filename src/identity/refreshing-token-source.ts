import type { AccessToken, TokenCredential } from '@azure/identity';
import { systemClock, type Clock } from '../domain/time';
import { AppError } from '../domain/errors';
import type { AccessTokenSource } from './access-token-source.port';

/** Azure DevOps' resource (app) id as a v2 scope; the app id, not a resource URI. */
export const AZURE_DEVOPS_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';

export interface RefreshingTokenSourceOptions {
  /** Refresh when the token has less than this left; default 5 minutes (what @azure/identity itself uses). */
  refreshMarginMs?: number;
  /**
   * The clock the credential's `expiresOnTimestamp` is measured on: the wall clock for @azure/identity.
   * Only used to turn that timestamp into a remaining lifetime; tests with a fake credential pass their fake clock.
   */
  credentialClock?: Clock;
}

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

/** A short, secret-free description of a credential failure: the error's name and any AADSTS code. */
function describe(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : '';
  const aadsts = /AADSTS\d+/.exec(message)?.[0];
  return aadsts ? `${name}, ${aadsts}` : name;
}

/**
 * Caches one bearer token for one scope and renews it ahead of expiry, so callers can ask before every
 * request. Concurrent callers share one in-flight refresh. The token's remaining lifetime is taken when it
 * arrives and then measured on the injected Clock, so a test can advance time without touching the SDK.
 */
export class RefreshingTokenSource implements AccessTokenSource {
  private cached: { token: string; expiresAtMs: number } | null = null;
  private inFlight: Promise<string> | null = null;
  private readonly refreshMarginMs: number;
  private readonly credentialClock: Clock;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string = AZURE_DEVOPS_SCOPE,
    private readonly clock: Clock = systemClock,
    options: RefreshingTokenSourceOptions = {},
  ) {
    this.refreshMarginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.credentialClock = options.credentialClock ?? systemClock;
  }

  getToken(): Promise<string> {
    if (this.cached && this.clock.now().getTime() < this.cached.expiresAtMs - this.refreshMarginMs) {
      return Promise.resolve(this.cached.token);
    }
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async refresh(): Promise<string> {
    let token: AccessToken | null;
    try {
      token = await this.credential.getToken(this.scope);
    } catch (error) {
      // The credential's own message can be long and quote server text; ours names the failure only.
      throw new AppError('IDENTITY.UNAVAILABLE', `Could not get an access token for ${this.scope} (${describe(error)}).`, { cause: error });
    }
    if (!token) throw new AppError('IDENTITY.UNAVAILABLE', `The credential returned no access token for ${this.scope}.`);
    const remainingMs = token.expiresOnTimestamp - this.credentialClock.now().getTime();
    this.cached = { token: token.token, expiresAtMs: this.clock.now().getTime() + remainingMs };
    return token.token;
  }
}
