import { FederatedCredentials } from './federated-credentials';
import { createHash, createPublicKey, randomBytes, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';

/**
 * How the registry keeps credentials: passwords as a SHA-256 digest only (a dump or a log line can never
 * show a secret), certificates with their thumbprints precomputed for matching a client assertion's x5t.
 */

export interface PasswordCredentialInput {
  keyId?: string;
  secretText: string;
  startDateTime?: string;
  endDateTime?: string;
  displayName?: string;
}

export interface KeyCredentialInput {
  keyId?: string;
  /** PEM certificate (thumbprint-matched via x5t / x5t#S256) or a bare PEM public key. */
  certificatePem?: string;
  publicKeyPem?: string;
  startDateTime?: string;
  endDateTime?: string;
  displayName?: string;
}

/** What Graph shows of a password credential: never the secret, only its first three characters. */
export interface PasswordCredentialView {
  keyId: string;
  displayName: string | null;
  hint: string;
  startDateTime: string;
  endDateTime: string;
}

export interface KeyCredentialView {
  keyId: string;
  displayName: string | null;
  startDateTime: string;
  endDateTime: string;
  /** SHA-1 thumbprint (hex, upper case) for certificates, as Graph's customKeyIdentifier. */
  customKeyIdentifier: string | null;
}

export interface ApplicationView {
  id: string;
  appId: string;
  servicePrincipalId: string;
  displayName: string;
  signInAudience: string;
  /** Graph's client-set alternate key (`applications(uniqueName='…')`); null when none was given. */
  uniqueName: string | null;
  passwordCredentials: PasswordCredentialView[];
  keyCredentials: KeyCredentialView[];
}

/** A newly added password: the only time its secret text is returned. */
export interface AddedPassword extends PasswordCredentialView {
  secretText: string;
}

export interface StoredPassword extends PasswordCredentialView {
  digest: Buffer;
  /** Epoch ms from which the secret authenticates (Entra's replication delay); absent = at once. */
  usableFrom?: number;
}

export interface StoredKey extends KeyCredentialView {
  publicKey: KeyObject;
  /** base64url SHA-1 / SHA-256 of the DER certificate (JWT header x5t / x5t#S256); null for bare keys. */
  x5t: string | null;
  x5tS256: string | null;
}

export interface StoredApplication {
  id: string;
  appId: string;
  servicePrincipalId: string;
  displayName: string;
  signInAudience: string;
  uniqueName: string | null;
  passwords: StoredPassword[];
  keys: StoredKey[];
  /** Service principal object ids allowed to change the app (Graph's owners). */
  owners: Set<string>;
  federated: FederatedCredentials;
  requestedAccessTokenVersion: 1 | 2 | null;
  graphPermissions: string[];
}

export const DEFAULT_START = '2000-01-01T00:00:00Z';
export const DEFAULT_END = '2299-12-31T00:00:00Z';
export const digestOf = (text: string) => createHash('sha256').update(text, 'utf8').digest();
const iso = (value: string) => new Date(value).toISOString();

export function storedPassword(input: PasswordCredentialInput): StoredPassword {
  return {
    keyId: input.keyId ?? randomUUID(),
    displayName: input.displayName ?? null,
    hint: input.secretText.slice(0, 3),
    startDateTime: iso(input.startDateTime ?? DEFAULT_START),
    endDateTime: iso(input.endDateTime ?? DEFAULT_END),
    digest: digestOf(input.secretText),
  };
}

export function storedKey(input: KeyCredentialInput): StoredKey {
  const pem = input.certificatePem ?? input.publicKeyPem;
  if (!pem) throw new Error('A key credential needs certificatePem or publicKeyPem');
  const cert = input.certificatePem ? new X509Certificate(input.certificatePem) : null;
  return {
    keyId: input.keyId ?? randomUUID(),
    displayName: input.displayName ?? null,
    startDateTime: iso(input.startDateTime ?? cert?.validFrom ?? DEFAULT_START),
    endDateTime: iso(input.endDateTime ?? cert?.validTo ?? DEFAULT_END),
    customKeyIdentifier: cert ? createHash('sha1').update(cert.raw).digest('hex').toUpperCase() : null,
    publicKey: cert ? cert.publicKey : createPublicKey(pem),
    x5t: cert ? createHash('sha1').update(cert.raw).digest('base64url') : null,
    x5tS256: cert ? createHash('sha256').update(cert.raw).digest('base64url') : null,
  };
}

export const isActive = (c: { startDateTime: string; endDateTime: string }, now: Date) =>
  Date.parse(c.startDateTime) <= now.getTime() && now.getTime() < Date.parse(c.endDateTime);

/** Entra-like secret text: 40 characters with a '~' after the 3-character hint, as real secrets look. */
export function generateSecretText(): string {
  return `${randomBytes(3).toString('base64url').slice(0, 3)}8Q~${randomBytes(30).toString('base64url').slice(0, 34)}`;
}
