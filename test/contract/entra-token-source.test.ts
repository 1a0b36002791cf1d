import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEntraEmulator, type EntraEmulator } from '@scbot/stand-ins';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../../src/identity';
import { manualClock } from './entra-fixtures';

// RefreshingTokenSource over the real ClientSecretCredential, counting token requests at the stand-in.
// Tokens live 240 s: under MSAL's own 300 s renewal window, so MSAL never answers from its cache and every
// refresh our source decides on is visible at the stand-in.
const DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';
const app = { appId: randomUUID(), secret: `src~${randomUUID()}` };
const LIFETIME_S = 240;
const MARGIN_MS = 60_000;

describe('RefreshingTokenSource against the Entra stand-in', () => {
  const clock = manualClock();
  let entra: EntraEmulator;
  let source: RefreshingTokenSource;
  const requests = () => entra.tokenRequests.filter((r) => r.clientId === app.appId && r.outcome === 'issued').length;

  beforeAll(async () => {
    entra = await startEntraEmulator({
      clock,
      tokenLifetimeSeconds: LIFETIME_S,
      applications: [{ appId: app.appId, passwordCredentials: [{ secretText: app.secret }] }],
    });
    const credential = createCredential(
      { kind: 'client-secret', tenantId: entra.tenantId, clientId: app.appId, clientSecret: app.secret, authorityHost: entra.authorityHost },
      { trust: { caCertificatePem: entra.caCertificatePem } },
    );
    source = new RefreshingTokenSource(credential, AZURE_DEVOPS_SCOPE, clock, { refreshMarginMs: MARGIN_MS });
  });
  afterAll(async () => {
    await entra?.close();
  });

  it('asks the authority once for many getToken calls', async () => {
    const first = await source.getToken();
    for (let i = 0; i < 5; i++) expect(await source.getToken()).toBe(first);
    expect(requests()).toBe(1);
    expect(entra.verifyAccessToken(first, { audience: DEVOPS })).not.toBeNull();
  });

  it('keeps the token until the refresh margin, then fetches a new one', async () => {
    const first = await source.getToken();
    clock.advance((LIFETIME_S * 1000 - MARGIN_MS) - 1_000);
    expect(await source.getToken()).toBe(first);
    expect(requests()).toBe(1);

    clock.advance(2_000);
    const second = await source.getToken();
    expect(second).not.toBe(first);
    expect(requests()).toBe(2);
    expect(entra.verifyAccessToken(second, { audience: DEVOPS })).not.toBeNull();
  });

  it('shares one in-flight refresh among concurrent callers', async () => {
    clock.advance(LIFETIME_S * 1000);
    const before = requests();
    const tokens = await Promise.all(Array.from({ length: 8 }, () => source.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(requests()).toBe(before + 1);
  });
});
