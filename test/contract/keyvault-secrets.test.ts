import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/time';
import { AppError } from '../../src/domain/errors';
import { generateLocalhostCertificate, startEntraEmulator, startKeyVaultEmulator, startLocalCloud, type EntraEmulator, type KeyVaultEmulator, type LocalCloud } from '@scbot/stand-ins';
import { createCredential } from '../../src/identity/index';
import { KeyVaultSecrets } from '../../src/azure/index';
import { capturedLogger, testSeed, VAULT } from './graph-fixtures';

let cloud: LocalCloud;
let vault: KeyVaultSecrets;
const log = capturedLogger();

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: testSeed(systemClock), logger: log.logger });
  const credential = createCredential(cloud.identityConfig, { trust: cloud.trust });
  vault = new KeyVaultSecrets({ credential, urlTemplate: cloud.keyVaultUrlTemplate, trust: cloud.trust, maxRetries: 0 });
});
afterAll(async () => cloud?.close());

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

describe('KeyVaultSecrets with the real SecretClient against the Key Vault stand-in', () => {
  it('reads the current version after the challenge, with its expiry, and no key id', async () => {
    const secret = await vault.current(VAULT.name, VAULT.secret);
    expect(secret.value).toBe(VAULT.value);
    expect(secret.keyId).toBeUndefined();
    expect(Date.parse(secret.expiresAt ?? '')).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    // Challenge protocol: the SDK's first request goes out without a token and gets the 401 challenge.
    expect(cloud.keyVault.requests.slice(0, 2).map((r) => [r.status, r.authenticated])).toEqual([[401, false], [200, true]]);
    expect(cloud.entra.tokenRequests.some((t) => t.scope?.startsWith('https://vault.azure.net/.default') && t.outcome === 'issued')).toBe(true);
  });

  it('returns the newest version once a new one is set', async () => {
    cloud.keyVault.store.setSecret(VAULT.name, VAULT.secret, 'SEEDSECRET-kv-manual-newer');
    expect((await vault.current(VAULT.name, VAULT.secret)).value).toBe('SEEDSECRET-kv-manual-newer');
  });

  it('maps an unknown secret, an unknown vault and an impossible name to VAULT.NOT_FOUND', async () => {
    expect(await codeOf(vault.current(VAULT.name, 'no-such-secret'))).toBe('VAULT.NOT_FOUND');
    expect(await codeOf(vault.current('kv-nowhere', VAULT.secret))).toBe('VAULT.NOT_FOUND');
    expect(await codeOf(vault.current('kv/../x', VAULT.secret))).toBe('VAULT.NOT_FOUND');
  });

  it('never logs a vault secret value', () => {
    expect(log.lines.join('\n')).not.toContain('SEEDSECRET-');
  });
});

describe('Key Vault access control and outages', () => {
  let entra: EntraEmulator;
  let kv: KeyVaultEmulator;
  const clientSecret = 'local-test-secret-value-0123456789';
  const clientId = '10000000-0000-4000-8000-000000000001';

  beforeAll(async () => {
    const tls = await generateLocalhostCertificate();
    entra = await startEntraEmulator({ tls, applications: [{ appId: clientId, passwordCredentials: [{ secretText: clientSecret }] }] });
    kv = await startKeyVaultEmulator({
      tls, authority: `${entra.authorityHost}/${entra.tenantId}`, verifyAccessToken: entra.verifyAccessToken,
      seed: { 'kv-locked': { s: { value: 'SEEDSECRET-locked' } } }, canRead: () => false,
    });
  });
  afterAll(async () => {
    await kv?.close();
    await entra?.close();
  });

  function client(urlTemplate: string) {
    const credential = createCredential({ kind: 'client-secret', tenantId: entra.tenantId, clientId, clientSecret, authorityHost: entra.authorityHost }, { trust: { caCertificatePem: entra.caCertificatePem } });
    return new KeyVaultSecrets({ credential, urlTemplate, trust: { caCertificatePem: entra.caCertificatePem }, maxRetries: 0 });
  }

  it('maps a caller without the reader role to VAULT.FORBIDDEN, without the value in the message', async () => {
    const error = await client(kv.urlTemplate).current('kv-locked', 's').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VAULT.FORBIDDEN', status: 403 });
    expect((error as Error).message).not.toContain('SEEDSECRET');
  });

  it('maps a vault that does not answer to VAULT.UNAVAILABLE', async () => {
    const closed = await startKeyVaultEmulator({ tls: await generateLocalhostCertificate(), authority: 'https://localhost/x', verifyAccessToken: () => null });
    await closed.close();
    expect(await codeOf(client(closed.urlTemplate).current('kv-locked', 's'))).toBe('VAULT.UNAVAILABLE');
  });
});
