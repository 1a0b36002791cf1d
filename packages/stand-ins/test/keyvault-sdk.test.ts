// The Key Vault stand-in answered to Microsoft's own @azure/keyvault-secrets SecretClient. A secret's id is
// `{vaultUrl}/secrets/{name}/{version}`: the SDK parses it into `properties.vaultUrl` (the id's origin),
// `properties.name` and `properties.version` (@azure/keyvault-common parseKeyVaultIdentifier; the Key Vault REST
// reference, "Get Secret": the SecretBundle's `id` is "The secret id", e.g.
// https://myvault.vault.azure.net/secrets/mysecret/4387e9f3d6e14c459867679a90fd0f79). Each vault is its own host, so the
// vault URL the SDK derives is the one it called, for every vault.
import { parseKeyVaultSecretIdentifier, SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, startLocalCloud, type LocalCloud } from '../src/index';
import { botCredential, trustingAgent } from './official-clients';

const VAULT = 'kv-scbot-demo';
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: await loadSeed(DEMO_SEED_PATH) });
});
afterAll(async () => cloud?.close());

function clientFor(vault: string): { url: string; client: SecretClient } {
  const url = cloud.keyVaultUrlTemplate.replace('{vault}', vault);
  // The challenge names the stand-in's resource, not a *.vault.azure.net one: the SDK's domain check is for Azure.
  const client = new SecretClient(url, botCredential(cloud), { agent: trustingAgent(cloud), disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } });
  return { url, client };
}

describe('Key Vault secret ids through @azure/keyvault-secrets', () => {
  it('names the vault that was called: the SDK derives the same vault URL from the id', async () => {
    const { url, client } = clientFor(VAULT);
    const secret = await client.getSecret('sc-test-next');
    expect(secret.value).toBe('SEEDSECRET-kv-test-next');
    expect(secret.properties.vaultUrl).toBe(url);
    expect(secret.properties.id).toMatch(new RegExp(`^${url.replace(/[.]/g, '\\.')}/secrets/sc-test-next/[0-9a-f]{32}$`));
    expect(parseKeyVaultSecretIdentifier(secret.properties.id ?? '')).toMatchObject({ vaultUrl: url, name: 'sc-test-next', version: secret.properties.version });
  });

  it('reads a version by the id\'s version, and tells two vaults apart by their URLs', async () => {
    const version = cloud.keyVault.store.setSecret('kv-other-vault', 'sc-test-next', 'SEEDSECRET-other');
    const other = clientFor('kv-other-vault');
    const read = await other.client.getSecret('sc-test-next', { version });
    expect(read).toMatchObject({ value: 'SEEDSECRET-other', properties: { vaultUrl: other.url, version } });
    expect((await clientFor(VAULT).client.getSecret('sc-test-next')).value).toBe('SEEDSECRET-kv-test-next');
    expect(other.url).not.toBe(clientFor(VAULT).url);
    expect(cloud.keyVault.requests.filter((r) => r.status === 200).map((r) => r.vault)).toEqual(expect.arrayContaining([VAULT, 'kv-other-vault']));
  });

  it('answers an unknown vault 404 VaultNotFound and a host that names no vault 404, never another vault\'s secret', async () => {
    await expect(clientFor('kv-nowhere').client.getSecret('sc-test-next')).rejects.toMatchObject({ statusCode: 404, code: 'VaultNotFound' });
    const bare = new SecretClient(cloud.keyVault.origin, botCredential(cloud), { agent: trustingAgent(cloud), disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } });
    await expect(bare.getSecret('sc-test-next')).rejects.toMatchObject({ statusCode: 404, code: 'NotFound' });
  });
});
