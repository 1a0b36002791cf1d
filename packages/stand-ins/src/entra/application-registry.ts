import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  digestOf, generateSecretText, isActive, storedKey, storedPassword,
  type AddedPassword, type ApplicationView, type KeyCredentialInput, type PasswordCredentialInput, type PasswordCredentialView, type StoredApplication, type StoredKey, type StoredPassword,
} from './credential-records';

import { FederatedCredentials, type FederatedCredentialInput } from './federated-credentials';
import { ApiAppRoles, apiAppIdOf } from './api-app-roles';

export type { AddedPassword, ApplicationView, KeyCredentialInput, KeyCredentialView, PasswordCredentialInput, PasswordCredentialView, StoredKey } from './credential-records';

/**
 * The Entra stand-in's app registrations. Kept apart from the token endpoint because the Graph stand-in
 * (addPassword / removePassword / list passwordCredentials) shares the same registry.
 */

export interface ApplicationInput {
  appId: string;
  /** Application object id (Graph's `/applications/{id}`); generated when absent. */
  id?: string;
  /** Service principal object id, the `oid` of app-only tokens; generated when absent. */
  servicePrincipalId?: string;
  displayName?: string;
  /** Graph's `signInAudience`: AzureADMyOrg (Graph's default for an app made in a tenant), AzureADMultipleOrgs, … */
  signInAudience?: string;
  /** Graph's alternate key, unique in the tenant, immutable once set. */
  uniqueName?: string;
  passwordCredentials?: PasswordCredentialInput[];
  keyCredentials?: KeyCredentialInput[];
  /** Service principal object ids of the owners (who may add/remove secrets through Graph). */
  owners?: string[];
  federatedIdentityCredentials?: FederatedCredentialInput[];
  /** Graph's `api.requestedAccessTokenVersion`: the token version Entra issues for this app as a resource; null is 1. */
  requestedAccessTokenVersion?: 1 | 2;
  /** Microsoft Graph application permissions granted (admin-consented) to the app's service principal. */
  graphPermissions?: string[];
}

export interface ApplicationRegistryOptions {
  /** How long a secret added through Graph takes to authenticate (Entra's propagation delay); default 0. */
  secretPropagationMs?: number;
}

export type SecretCheck = 'valid' | 'invalid' | 'expired';

export class ApplicationRegistry {
  private readonly apps = new Map<string, StoredApplication>();
  /** Apps registered through Graph whose service principal was not created yet (seeded apps all have one). */
  private readonly withoutPrincipal = new Set<string>();
  /** Roles of custom APIs (apps registered here) granted to client apps, for their app-only tokens. */
  readonly apiRoles = new ApiAppRoles();
  /** Mutable so a test or local cloud can switch the delay on after start-up. */
  secretPropagationMs: number;

  constructor(applications: readonly ApplicationInput[] = [], options: ApplicationRegistryOptions = {}) {
    this.secretPropagationMs = options.secretPropagationMs ?? 0;
    for (const app of applications) this.registerApplication(app);
  }

  registerApplication(input: ApplicationInput): ApplicationView {
    if (this.apps.has(input.appId.toLowerCase())) throw new Error(`Application ${input.appId} is already registered`);
    if (input.uniqueName !== undefined && this.byUniqueName(input.uniqueName)) throw new Error(`An application with uniqueName ${input.uniqueName} exists`);
    const app: StoredApplication = {
      id: input.id ?? randomUUID(),
      appId: input.appId,
      servicePrincipalId: input.servicePrincipalId ?? randomUUID(),
      displayName: input.displayName ?? input.appId,
      signInAudience: input.signInAudience ?? 'AzureADMyOrg',
      uniqueName: input.uniqueName ?? null,
      passwords: (input.passwordCredentials ?? []).map(storedPassword),
      keys: (input.keyCredentials ?? []).map(storedKey),
      owners: new Set((input.owners ?? []).map((o) => o.toLowerCase())),
      federated: new FederatedCredentials(),
      requestedAccessTokenVersion: input.requestedAccessTokenVersion ?? null,
      graphPermissions: [...(input.graphPermissions ?? [])],
    };
    for (const fic of input.federatedIdentityCredentials ?? []) {
      const added = app.federated.add(fic);
      if ('kind' in added) throw new Error(`Application ${input.appId}: ${added.message}`);
    }
    this.apps.set(app.appId.toLowerCase(), app);
    return this.view(app);
  }

  /**
   * Graph `POST /applications`: a new app, owned by its creator (an app holding Application.ReadWrite.OwnedBy manages
   * what it creates), without a service principal until `POST /servicePrincipals` makes one.
   */
  createApplication(input: { displayName: string; signInAudience?: string; uniqueName?: string; ownerId: string }): ApplicationView {
    const view = this.registerApplication({
      appId: randomUUID(), displayName: input.displayName, signInAudience: input.signInAudience ?? 'AzureADMyOrg', owners: [input.ownerId],
      ...(input.uniqueName === undefined ? {} : { uniqueName: input.uniqueName }),
    });
    this.withoutPrincipal.add(view.appId.toLowerCase());
    return view;
  }

  /** The service principal's object id, or null while the app has none (or there is no such app). */
  servicePrincipalOf(appId: string): string | null {
    const app = this.byAppId(appId);
    return app && !this.withoutPrincipal.has(app.appId.toLowerCase()) ? app.servicePrincipalId : null;
  }

  /** Graph `POST /servicePrincipals`: false when the app already has one. */
  createServicePrincipal(appId: string): boolean {
    const key = appId.toLowerCase();
    if (!this.withoutPrincipal.has(key)) return false;
    this.withoutPrincipal.delete(key);
    return true;
  }

  /** Graph `DELETE /applications/{id}`: the app and its service principal are gone. */
  removeApplication(appIdOrObjectId: string): boolean {
    const app = this.find(appIdOrObjectId);
    if (!app) return false;
    this.apps.delete(app.appId.toLowerCase());
    this.withoutPrincipal.delete(app.appId.toLowerCase());
    return true;
  }

  /** Look up by app (client) id or by application object id, as Graph allows both. */
  getApplication(appIdOrObjectId: string): ApplicationView | null {
    const app = this.find(appIdOrObjectId);
    return app ? this.view(app) : null;
  }

  /** Graph's `applications(uniqueName='…')`: the key is compared as given (case-insensitively, as Entra's keys are). */
  getByUniqueName(uniqueName: string): ApplicationView | null {
    const app = this.byUniqueName(uniqueName);
    return app ? this.view(app) : null;
  }

  /** Graph `PATCH` of an app: the properties the stand-in keeps (its uniqueName is immutable once set). */
  updateApplication(appIdOrObjectId: string, change: { displayName?: string; signInAudience?: string }): void {
    const app = this.require(appIdOrObjectId);
    if (change.displayName !== undefined) app.displayName = change.displayName;
    if (change.signInAudience !== undefined) app.signInAudience = change.signInAudience;
  }

  listApplications(): ApplicationView[] {
    return [...this.apps.values()].map((app) => this.view(app));
  }

  /** Graph addPassword: a new secret, returned once. Defaults: starts now, ends two years later. */
  addPassword(appIdOrObjectId: string, now: Date, options: { displayName?: string; startDateTime?: string; endDateTime?: string } = {}): AddedPassword {
    const app = this.require(appIdOrObjectId);
    const start = options.startDateTime ?? now.toISOString();
    const end = options.endDateTime ?? new Date(Date.parse(start) + 2 * 365 * 24 * 3600_000).toISOString();
    const secretText = generateSecretText();
    const stored = storedPassword({ secretText, startDateTime: start, endDateTime: end, displayName: options.displayName });
    if (this.secretPropagationMs > 0) stored.usableFrom = now.getTime() + this.secretPropagationMs;
    app.passwords.push(stored);
    return { ...this.passwordView(stored), secretText };
  }

  /** Graph removePassword; false when no such key id. */
  removePassword(appIdOrObjectId: string, keyId: string): boolean {
    const app = this.require(appIdOrObjectId);
    const before = app.passwords.length;
    app.passwords = app.passwords.filter((p) => p.keyId.toLowerCase() !== keyId.toLowerCase());
    return app.passwords.length < before;
  }

  /** Whether this service principal (object id) owns the app; Graph's Application.ReadWrite.OwnedBy check. */
  isOwner(appIdOrObjectId: string, servicePrincipalId: string): boolean {
    return this.find(appIdOrObjectId)?.owners.has(servicePrincipalId.toLowerCase()) ?? false;
  }

  addOwner(appIdOrObjectId: string, servicePrincipalId: string): void {
    this.require(appIdOrObjectId).owners.add(servicePrincipalId.toLowerCase());
  }

  ownersOf(appIdOrObjectId: string): string[] {
    return [...(this.find(appIdOrObjectId)?.owners ?? [])];
  }

  /** The app's federated identity credentials (a live collection), or null for an unknown app. */
  federatedCredentials(appIdOrObjectId: string): FederatedCredentials | null {
    return this.find(appIdOrObjectId)?.federated ?? null;
  }

  /**
   * 'expired' only when the secret matches a credential whose end date has passed (Entra's AADSTS7000222).
   * A secret still propagating is 'invalid', as Entra answers AADSTS7000215 until replication completes.
   */
  checkSecret(appId: string, secretText: string, now: Date): SecretCheck {
    const app = this.byAppId(appId);
    if (!app) return 'invalid';
    const digest = digestOf(secretText);
    const matches = app.passwords.filter((p) => timingSafeEqual(p.digest, digest));
    if (matches.some((p) => isActive(p, now) && (p.usableFrom ?? 0) <= now.getTime())) return 'valid';
    return matches.some((p) => Date.parse(p.endDateTime) <= now.getTime()) ? 'expired' : 'invalid';
  }

  /** Key credentials that are currently valid, for verifying a client assertion. */
  activeKeys(appId: string, now: Date): StoredKey[] {
    return (this.byAppId(appId)?.keys ?? []).filter((k) => isActive(k, now));
  }

  /** The `roles` a Graph token for this client carries: its granted Graph application permissions. */
  graphPermissionsOf(appId: string): string[] {
    return [...(this.byAppId(appId)?.graphPermissions ?? [])];
  }

  /** Changes what an app is granted (an admin consenting or revoking), for the next token it gets. */
  grantGraphPermissions(appId: string, permissions: readonly string[]): void {
    const app = this.byAppId(appId);
    if (!app) throw new Error(`Application ${appId} is not registered`);
    app.graphPermissions = [...permissions];
  }

  /** The token version a resource named by `audience` (its app id or `api://<app id>`) asks for: an app registered here may ask for 2; else 1. */
  accessTokenVersionFor(audience: string): 1 | 2 {
    return this.find(apiAppIdOf(audience) ?? audience)?.requestedAccessTokenVersion === 2 ? 2 : 1;
  }

  servicePrincipalIdOf(appId: string): string | null {
    return this.byAppId(appId)?.servicePrincipalId ?? null;
  }

  /** Token requests name the client by app id only (an object id is not a client id). */
  hasClient(appId: string): boolean {
    return this.byAppId(appId) !== undefined;
  }

  private byUniqueName(uniqueName: string): StoredApplication | undefined {
    const key = uniqueName.toLowerCase();
    return [...this.apps.values()].find((a) => a.uniqueName?.toLowerCase() === key);
  }

  private byAppId(appId: string): StoredApplication | undefined {
    return this.apps.get(appId.toLowerCase());
  }

  private find(appIdOrObjectId: string): StoredApplication | undefined {
    const key = appIdOrObjectId.toLowerCase();
    return this.apps.get(key) ?? [...this.apps.values()].find((a) => a.id.toLowerCase() === key);
  }

  private require(appIdOrObjectId: string): StoredApplication {
    const app = this.find(appIdOrObjectId);
    if (!app) throw new Error(`Application ${appIdOrObjectId} is not registered`);
    return app;
  }

  private passwordView(p: StoredPassword): PasswordCredentialView {
    return { keyId: p.keyId, displayName: p.displayName, hint: p.hint, startDateTime: p.startDateTime, endDateTime: p.endDateTime };
  }

  private view(app: StoredApplication): ApplicationView {
    return {
      id: app.id,
      appId: app.appId,
      servicePrincipalId: app.servicePrincipalId,
      displayName: app.displayName,
      signInAudience: app.signInAudience,
      uniqueName: app.uniqueName,
      passwordCredentials: app.passwords.map((p) => this.passwordView(p)),
      keyCredentials: app.keys.map((k) => ({ keyId: k.keyId, displayName: k.displayName, startDateTime: k.startDateTime, endDateTime: k.endDateTime, customKeyIdentifier: k.customKeyIdentifier })),
    };
  }
}
