import type { AppError } from '../domain/errors';

/** A secret value, held in memory only for the call that needs it. Never logged, stored or rendered. */
export interface NewSecret {
  /** Graph keyId when the bot created it; undefined for Key Vault secrets (the bot did not create them). */
  keyId?: string;
  value: string;
  expiresAt?: string;
}

export interface PasswordCredentialInfo {
  keyId: string;
  displayName?: string;
  hint?: string;
  startDateTime?: string;
  endDateTime?: string;
}

/**
 * App registration secrets through Microsoft Graph (the bot's identity must own the app:
 * Application.ReadWrite.OwnedBy). Errors: AppError with GRAPH.* codes (GRAPH.FORBIDDEN when not an owner).
 */
export interface AppSecrets {
  /** Creates a client secret on the app with this appId (client id). */
  addPassword(appId: string, options: { displayName: string; endDateTime: string }): Promise<NewSecret & { keyId: string }>;
  removePassword(appId: string, keyId: string): Promise<void>;
  listPasswords(appId: string): Promise<PasswordCredentialInfo[]>;
  /**
   * Many apps' passwords in few calls (Graph JSON batching), at most `maxCalls` of them; absent = one
   * listPasswords per app. Each app gets its list or the typed error its read met; apps the calls did not reach
   * are `unread`.
   */
  listPasswordsOf?(appIds: readonly string[], maxCalls: number): Promise<ManyPasswords>;
}

export interface ManyPasswords {
  read: Map<string, PasswordCredentialInfo[] | AppError>;
  unread: string[];
  calls: number;
}

/** Reads the current version of a Key Vault secret. */
export interface VaultSecrets {
  current(vault: string, secretName: string): Promise<NewSecret>;
}

/** Proves a client secret authenticates (client-credentials token request), allowing for propagation delay. */
export interface SecretVerifier {
  verify(tenantId: string, clientId: string, secret: string): Promise<boolean>;
}
