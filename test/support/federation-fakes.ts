/**
 * The issuer move's ports for tests: "not part of this test" doubles (a call fails as an unreachable service would),
 * and an in-memory identity directory that keeps state (apps and managed identities with their federated
 * credentials), so a step test checks what was created rather than how often something was called.
 */
import { AppError } from '../../src/domain/errors';
import type { FederationMigration } from '../../src/devops/federation-migration.port';
import type { MigrateIssuerStepOptions } from '../../src/execution';
import type { AppRegistration, AppRegistrations, FederatedCredential, ManagedIdentities, ManagedIdentity } from '../../src/secrets/federated-identities.port';

const unreachable = (code: 'GRAPH.UNAVAILABLE' | 'ARM.UNAVAILABLE' | 'DEVOPS.UNAVAILABLE', what: string) => async (): Promise<never> => {
  throw new AppError(code, `${what} is not part of this test`);
};

export const NO_MIGRATION: FederationMigration = { migrateIssuer: unreachable('DEVOPS.UNAVAILABLE', 'the issuer migration') };
export const NO_APP_REGISTRATIONS: AppRegistrations = { find: unreachable('GRAPH.UNAVAILABLE', 'Graph'), addFederatedCredential: unreachable('GRAPH.UNAVAILABLE', 'Graph') };
export const NO_MANAGED_IDENTITIES: ManagedIdentities = { findByClientId: unreachable('ARM.UNAVAILABLE', 'ARM'), putFederatedCredential: unreachable('ARM.UNAVAILABLE', 'ARM') };
export const NO_MIGRATE_STEP: MigrateIssuerStepOptions = { migration: NO_MIGRATION, apps: NO_APP_REGISTRATIONS, managedIdentities: NO_MANAGED_IDENTITIES };

/** Apps and managed identities with their federated credentials, as Graph and ARM would keep them. */
export class InMemoryIdentities implements AppRegistrations, ManagedIdentities {
  readonly apps = new Map<string, AppRegistration & { credentials: FederatedCredential[] }>();
  readonly identities = new Map<string, ManagedIdentity & { subscriptionId: string; credentials: FederatedCredential[] }>();

  addApp(app: AppRegistration): this {
    this.apps.set(app.appId.toLowerCase(), { ...app, credentials: [] });
    return this;
  }

  addManagedIdentity(identity: ManagedIdentity & { subscriptionId: string }): this {
    this.identities.set(identity.id.toLowerCase(), { ...identity, credentials: [] });
    return this;
  }

  /** Every credential on an app or identity with this client id. */
  credentialsOf(clientId: string): FederatedCredential[] {
    const app = this.apps.get(clientId.toLowerCase());
    if (app) return app.credentials;
    return [...this.identities.values()].find((i) => i.clientId.toLowerCase() === clientId.toLowerCase())?.credentials ?? [];
  }

  async find(appId: string): Promise<AppRegistration | null> {
    const app = this.apps.get(appId.toLowerCase());
    if (!app) return null;
    const { credentials: _credentials, ...rest } = app;
    return rest;
  }

  async addFederatedCredential(appId: string, credential: FederatedCredential): Promise<'created' | 'exists'> {
    const app = this.apps.get(appId.toLowerCase());
    if (!app) throw new AppError('GRAPH.NOT_FOUND', 'no such app');
    if (app.credentials.some((c) => c.issuer === credential.issuer && c.subject === credential.subject)) return 'exists';
    app.credentials.push(credential);
    return 'created';
  }

  async findByClientId(subscriptionId: string, clientId: string): Promise<ManagedIdentity | null> {
    const found = [...this.identities.values()].find((i) => i.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() && i.clientId.toLowerCase() === clientId.toLowerCase());
    return found ? { id: found.id, name: found.name, clientId: found.clientId } : null;
  }

  async putFederatedCredential(identityId: string, credential: FederatedCredential): Promise<void> {
    const identity = this.identities.get(identityId.toLowerCase());
    if (!identity) throw new AppError('ARM.NOT_FOUND', 'no such identity');
    identity.credentials = [...identity.credentials.filter((c) => c.name !== credential.name), credential];
  }
}
