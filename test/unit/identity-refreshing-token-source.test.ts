import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { ManualClock, type Clock } from '@scbot/stand-ins';
import { AppError } from '../../src/domain/errors';
import { AZURE_DEVOPS_SCOPE, RefreshingTokenSource } from '../../src/identity';

const MINUTE = 60_000;

const manualClock = (start = Date.UTC(2030, 0, 1)): ManualClock => new ManualClock(new Date(start));

/** A hand-written credential: tokens live `lifetimeMs` on the given clock; calls can be held open or fail. */
class FakeCredential implements TokenCredential {
  calls: string[] = [];
  failWith: Error | null = null;
  returnNull = false;
  private release: (() => void) | null = null;
  hold = false;

  constructor(private readonly clock: Clock, private readonly lifetimeMs = 60 * MINUTE) {}

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> {
    this.calls.push(String(scopes));
    const n = this.calls.length;
    if (this.hold) await new Promise<void>((resolve) => { this.release = resolve; });
    if (this.failWith) throw this.failWith;
    if (this.returnNull) return null;
    return { token: `token-${n}`, expiresOnTimestamp: this.clock.now().getTime() + this.lifetimeMs };
  }

  finish(): void {
    this.hold = false;
    this.release?.();
  }
}

function setup(options: { lifetimeMs?: number; refreshMarginMs?: number } = {}) {
  const clock = manualClock();
  const credential = new FakeCredential(clock, options.lifetimeMs);
  const source = new RefreshingTokenSource(credential, AZURE_DEVOPS_SCOPE, clock, { credentialClock: clock, refreshMarginMs: options.refreshMarginMs });
  return { clock, credential, source };
}

describe('RefreshingTokenSource', () => {
  it('asks for the Azure DevOps scope once and serves the cached token', async () => {
    const { credential, source } = setup();
    expect(await source.getToken()).toBe('token-1');
    expect(await source.getToken()).toBe('token-1');
    expect(credential.calls).toEqual(['499b84ac-1321-427f-aa17-267ca6975798/.default']);
  });

  it('refreshes once the token is within five minutes of expiry by default', async () => {
    const { clock, credential, source } = setup({ lifetimeMs: 60 * MINUTE });
    await source.getToken();
    clock.advance(55 * MINUTE - 1);
    expect(await source.getToken()).toBe('token-1');
    clock.advance(1);
    expect(await source.getToken()).toBe('token-2');
    expect(credential.calls).toHaveLength(2);
  });

  it('honours a custom refresh margin', async () => {
    const { clock, source } = setup({ lifetimeMs: 10 * MINUTE, refreshMarginMs: MINUTE });
    await source.getToken();
    clock.advance(8 * MINUTE);
    expect(await source.getToken()).toBe('token-1');
    clock.advance(MINUTE);
    expect(await source.getToken()).toBe('token-2');
  });

  it('shares one in-flight refresh among concurrent callers', async () => {
    const { credential, source } = setup();
    credential.hold = true;
    const pending = Array.from({ length: 5 }, () => source.getToken());
    expect(credential.calls).toHaveLength(1);
    credential.finish();
    expect(await Promise.all(pending)).toEqual(Array(5).fill('token-1'));
    expect(credential.calls).toHaveLength(1);
  });

  it('turns a credential failure into IDENTITY.UNAVAILABLE naming the error, not its text', async () => {
    const { credential, source } = setup();
    const failure = new Error('AADSTS7000215: Invalid client secret provided. secret=hunter2-do-not-show');
    failure.name = 'AuthenticationRequiredError';
    credential.failWith = failure;
    const error = await source.getToken().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'IDENTITY.UNAVAILABLE' });
    expect((error as AppError).message).toBe(`Could not get an access token for ${AZURE_DEVOPS_SCOPE} (AuthenticationRequiredError, AADSTS7000215).`);
    expect((error as AppError).message).not.toContain('hunter2');
  });

  it('does not cache a failure: the next call tries again', async () => {
    const { credential, source } = setup();
    credential.failWith = new Error('down');
    await expect(source.getToken()).rejects.toMatchObject({ code: 'IDENTITY.UNAVAILABLE' });
    credential.failWith = null;
    expect(await source.getToken()).toBe('token-2');
  });

  it('treats a null token as unavailable', async () => {
    const { credential, source } = setup();
    credential.returnNull = true;
    await expect(source.getToken()).rejects.toMatchObject({ code: 'IDENTITY.UNAVAILABLE' });
  });
});
