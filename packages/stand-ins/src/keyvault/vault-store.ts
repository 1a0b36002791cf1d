import { randomBytes } from 'node:crypto';

/**
 * Key Vault secrets held by the stand-in: vault → secret name → versions, newest last. Names are case-insensitive
 * as in Key Vault; a get without a version returns the newest.
 */

export interface SeedVaultSecret {
  value: string;
  /** ISO date; Key Vault's `attributes.exp`. */
  expires?: string;
  contentType?: string;
}

/** The seed's `keyVaults` section: `{ "<vault>": { "<secretName>": { value, expires? } } }`. */
export type SeedKeyVaults = Record<string, Record<string, SeedVaultSecret>>;

export interface SecretVersion {
  name: string;
  version: string;
  value: string;
  created: Date;
  expires?: Date;
  contentType?: string;
  enabled: boolean;
}

export class VaultStore {
  private readonly vaults = new Map<string, Map<string, SecretVersion[]>>();

  constructor(seed: SeedKeyVaults = {}, now: Date = new Date()) {
    for (const [vault, secrets] of Object.entries(seed)) {
      this.addVault(vault);
      for (const [name, secret] of Object.entries(secrets)) this.setSecret(vault, name, secret.value, { ...secret, now });
    }
  }

  addVault(vault: string): void {
    if (!this.vaults.has(vault.toLowerCase())) this.vaults.set(vault.toLowerCase(), new Map());
  }

  hasVault(vault: string): boolean {
    return this.vaults.has(vault.toLowerCase());
  }

  vaultNames(): string[] {
    return [...this.vaults.keys()];
  }

  /** Adds a new version (creating the vault if needed) and returns its version id. */
  setSecret(vault: string, name: string, value: string, options: { expires?: string; contentType?: string; now?: Date; enabled?: boolean } = {}): string {
    this.addVault(vault);
    const secrets = this.vaults.get(vault.toLowerCase()) as Map<string, SecretVersion[]>;
    const versions = secrets.get(name.toLowerCase()) ?? [];
    const version = randomBytes(16).toString('hex');
    versions.push({
      name, version, value, created: options.now ?? new Date(), enabled: options.enabled ?? true,
      expires: options.expires ? new Date(options.expires) : undefined, contentType: options.contentType,
    });
    secrets.set(name.toLowerCase(), versions);
    return version;
  }

  get(vault: string, name: string, version?: string): SecretVersion | undefined {
    const versions = this.vaults.get(vault.toLowerCase())?.get(name.toLowerCase()) ?? [];
    if (version === undefined || version === '') return versions.at(-1);
    return versions.find((v) => v.version === version.toLowerCase());
  }
}
