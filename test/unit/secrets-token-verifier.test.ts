import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors';
import { startEntraEmulator, startLocalCloud, type LocalCloud } from '@scbot/stand-ins';
import { createCredential, RefreshingTokenSource } from '../../src/identity/index';
import { GraphAppSecrets, GRAPH_SCOPE, requireVerifiedSecret, TokenSecretVerifier } from '../../src/azure/index';
import { APP_MANUAL, manualClock, testSeed } from '../contract/graph-fixtures';

const PROPAGATION_MS = 30_000;
const clock = manualClock();
let cloud: LocalCloud;
let graph: GraphAppSecrets;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: testSeed(clock), clock, secretPropagationMs: PROPAGATION_MS });
  const credential = createCredential(cloud.identityConfig, { trust: cloud.trust });
  graph = new GraphAppSecrets({ tokens: new RefreshingTokenSource(credential, GRAPH_SCOPE, clock), graphUrl: cloud.graphUrl, trust: cloud.trust, maxRetries: 0 });
});
afterAll(async () => cloud?.close());

/** Waiting is advancing the stand-ins' clock: no real time passes, and the waits are recorded. */
function clockSleep(waits: number[]) {
  return async (ms: number) => {
    waits.push(ms);
    clock.advance(ms);
  };
}

function verifier(attempts: number, waits: number[]) {
  return new TokenSecretVerifier({ authorityHost: cloud.entra.authorityHost, trust: cloud.trust, attempts, delayMs: 5_000, maxDelayMs: 20_000, sleep: clockSleep(waits) });
}

describe('TokenSecretVerifier', () => {
  it('retries through Entra propagation delay with doubling waits until the new secret authenticates', async () => {
    const added = await graph.addPassword(APP_MANUAL.appId, { displayName: 'new', endDateTime: new Date(clock.now().getTime() + 86_400_000).toISOString() });
    const waits: number[] = [];
    expect(await verifier(5, waits).verify(cloud.bot.tenantId, APP_MANUAL.appId, added.value)).toBe(true);
    // 5 s + 10 s + 20 s = 35 s >= 30 s of propagation: the fourth attempt succeeds.
    expect(waits).toEqual([5_000, 10_000, 20_000]);
    const outcomes = cloud.entra.tokenRequests.filter((r) => r.clientId === APP_MANUAL.appId).map((r) => r.outcome);
    expect(outcomes).toEqual(['AADSTS7000215', 'AADSTS7000215', 'AADSTS7000215', 'issued']);
  });

  it('gives up after the bounded attempts and answers false; requireVerifiedSecret turns that into SECRET.NOT_VERIFIED', async () => {
    const added = await graph.addPassword(APP_MANUAL.appId, { displayName: 'slow', endDateTime: new Date(clock.now().getTime() + 86_400_000).toISOString() });
    const waits: number[] = [];
    const short = verifier(2, waits);
    expect(await short.verify(cloud.bot.tenantId, APP_MANUAL.appId, added.value)).toBe(false);
    expect(waits).toEqual([5_000]);
    const error = await requireVerifiedSecret(short, cloud.bot.tenantId, APP_MANUAL.appId, added.value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'SECRET.NOT_VERIFIED' });
    expect((error as Error).message).not.toContain(added.value);
  });

  it('does not wait for a secret Entra calls expired, which waiting cannot fix', async () => {
    const waits: number[] = [];
    cloud.entra.registry.registerApplication({
      appId: 'd0000000-0000-4000-8000-0000000000ee',
      passwordCredentials: [{ secretText: 'SEEDSECRET-old', startDateTime: '2020-01-01T00:00:00Z', endDateTime: '2021-01-01T00:00:00Z' }],
    });
    expect(await verifier(5, waits).verify(cloud.bot.tenantId, 'd0000000-0000-4000-8000-0000000000ee', 'SEEDSECRET-old')).toBe(false);
    expect(waits).toEqual([]);
  });

  it('throws IDENTITY.UNAVAILABLE when Entra cannot be reached at all', async () => {
    const gone = await startEntraEmulator();
    await gone.close();
    const waits: number[] = [];
    const unreachable = new TokenSecretVerifier({ authorityHost: gone.authorityHost, trust: { caCertificatePem: gone.caCertificatePem }, attempts: 2, delayMs: 1, sleep: clockSleep(waits) });
    const error = await unreachable.verify(gone.tenantId, APP_MANUAL.appId, 'SEEDSECRET-x').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IDENTITY.UNAVAILABLE' });
    expect((error as Error).message).not.toContain('SEEDSECRET');
    expect(waits).toEqual([1]);
  });
});
