/**
 * VaultSecrets over the real @azure/keyvault-secrets SecretClient: one client per vault, the bot's own credential,
 * challenge-based auth done by the SDK. The vault URL comes from a template (`https://{vault}.vault.azure.net` in
 * Azure; the Key Vault stand-in's template in local mode).
 */
import type { TokenCredential } from '@azure/identity';
import { isRestError } from '@azure/core-rest-pipeline';
import { SecretClient } from '@azure/keyvault-secrets';
import { AppError } from '../domain/errors';
import type { NewSecret, VaultSecrets } from './secret-source.port';
import { aadstsCodeOf, trustAgent } from './trust-agent';

export const DEFAULT_VAULT_URL_TEMPLATE = 'https://{vault}.vault.azure.net';

export interface KeyVaultSecretsOptions {
  credential: TokenCredential;
  /** Must contain `{vault}`; default DEFAULT_VAULT_URL_TEMPLATE. */
  urlTemplate?: string;
  trust?: { caCertificatePem: string };
  /**
   * The SDK checks the challenge's resource matches the vault's domain; a loopback stand-in cannot match
   * `.vault.azure.net`, so local mode turns it off. Default: on unless the template is a Key Vault domain.
   */
  disableChallengeResourceVerification?: boolean;
  maxRetries?: number;
}

// Key Vault's own naming rules; anything else cannot exist, and must never be spliced into a URL.
const VAULT_NAME = /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;
const SECRET_NAME = /^[A-Za-z0-9-]{1,127}$/;

function vaultError(vault: string, secretName: string, error: unknown): AppError {
  const what = `Key Vault secret ${vault}/${secretName}`;
  if (isRestError(error)) {
    const status = error.statusCode;
    if (status === 404 || error.code === 'ENOTFOUND') return new AppError('VAULT.NOT_FOUND', `${what} was not found.`, { status, cause: error });
    if (status === 401 || status === 403) return new AppError('VAULT.FORBIDDEN', `${what}: access denied (${status}).`, { status, cause: error });
    return new AppError('VAULT.UNAVAILABLE', `${what}: Key Vault answered ${status ?? error.code ?? 'nothing'}.`, { status, cause: error });
  }
  const aadsts = aadstsCodeOf(error);
  if (error instanceof Error && (aadsts || /Authentication|Credential/.test(error.name))) {
    return new AppError('IDENTITY.UNAVAILABLE', `${what}: no token for Key Vault (${error.name}${aadsts ? `, ${aadsts}` : ''}).`, { cause: error });
  }
  return new AppError('VAULT.UNAVAILABLE', `${what}: Key Vault could not be reached.`, { cause: error });
}

export class KeyVaultSecrets implements VaultSecrets {
  private readonly clients = new Map<string, SecretClient>();
  private readonly urlTemplate: string;

  constructor(private readonly options: KeyVaultSecretsOptions) {
    this.urlTemplate = options.urlTemplate ?? DEFAULT_VAULT_URL_TEMPLATE;
    if (!this.urlTemplate.includes('{vault}')) throw new AppError('CONFIG.INVALID', 'The Key Vault URL template must contain {vault}.');
  }

  async current(vault: string, secretName: string): Promise<NewSecret> {
    if (!VAULT_NAME.test(vault) || !SECRET_NAME.test(secretName)) {
      throw new AppError('VAULT.NOT_FOUND', `There is no Key Vault secret named ${vault}/${secretName} (not a valid vault or secret name).`);
    }
    let secret;
    try {
      secret = await this.client(vault).getSecret(secretName);
    } catch (error) {
      throw vaultError(vault, secretName, error);
    }
    if (!secret.value) throw new AppError('VAULT.NOT_FOUND', `Key Vault secret ${vault}/${secretName} has no value.`);
    return { value: secret.value, expiresAt: secret.properties.expiresOn?.toISOString() };
  }

  private client(vault: string): SecretClient {
    const key = vault.toLowerCase();
    let client = this.clients.get(key);
    if (!client) {
      const url = this.urlTemplate.replace('{vault}', key);
      const disable = this.options.disableChallengeResourceVerification ?? !/\.vault\.azure\.(net|cn)|\.vault\.usgovcloudapi\.net/i.test(url);
      client = new SecretClient(url, this.options.credential, {
        agent: trustAgent(this.options.trust),
        disableChallengeResourceVerification: disable,
        retryOptions: { maxRetries: this.options.maxRetries ?? 3 },
      });
      this.clients.set(key, client);
    }
    return client;
  }
}
