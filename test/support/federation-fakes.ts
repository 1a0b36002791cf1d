/**
 * The identity ports for tests: "not part of this test" doubles (a call fails as an unreachable service would),
 * and in-memory directories that keep state (apps with their service principals and federated credentials, managed
 * identities, Azure role assignments), so a step test checks what exists rather than how often something was called.
 */
import { AppError } from '../../src/domain/errors';
import type { ConnectionVerification, Verification } from '../../src/devops/connection-verification.port';
import type { FederationMigration } from '../../src/devops/federation-migration.port';
import type { StepPorts } from '../../src/operations/operations';
import type {
  AppRegistration, AppRegistrations, AzureRoleAssignment, FederatedCredential, KeyedApp, ManagedIdentities, ManagedIdentity, NewApp, RoleAssignments,
} from '../../src/azure/federated-identities.port';

const unreachable = (code: 'GRAPH.UNAVAILABLE' | 'ARM.UNAVAILABLE' | 'DEVOPS.UNAVAILABLE', what: string) => async (): Promise<never> => {
  throw new AppError(code, `${what} is not part of this test`);
};

const graph = unreachable('GRAPH.UNAVAILABLE', 'Graph');
const arm = unreachable('ARM.UNAVAILABLE', 'ARM');
export const NO_MIGRATION: FederationMigration = { migrateIssuer: unreachable('DEVOPS.UNAVAILABLE', 'the issuer migration') };
export const NO_APP_REGISTRATIONS: AppRegistrations = {
  find: graph, addFederatedCredential: graph, removeFederatedCredential: graph, servicePrincipalId: graph, registerApp: graph, findByKey: graph, ensureServicePrincipal: graph, deleteApp: graph,
};
export const NO_MANAGED_IDENTITIES: ManagedIdentities = { findByClientId: arm, putFederatedCredential: arm, deleteFederatedCredential: arm };
export const NO_ROLES: RoleAssignments = { assign: arm, remove: arm };
export const NO_VERIFICATION: ConnectionVerification = { verify: unreachable('DEVOPS.UNAVAILABLE', 'Verify') };
/** Every step port but the pipelines one, as doubles that fail: for executor tests about other operations. */
export const NO_MIGRATE_STEP: Omit<StepPorts, 'pipelines'> = {
  migration: NO_MIGRATION, apps: NO_APP_REGISTRATIONS, managedIdentities: NO_MANAGED_IDENTITIES, roles: NO_ROLES, verification: NO_VERIFICATION,
};

type StoredApp = AppRegistration & { credentials: FederatedCredential[]; servicePrincipalId: string | null; key?: string; owners?: string[] };

/** The bot's own service principal in these doubles: the owner of every app it registers. */
export const FAKE_BOT_PRINCIPAL = 'b0b00000-0000-4000-8000-000000000001';

/** Apps and managed identities with their federated credentials, as Graph and ARM would keep them. */
export class InMemoryIdentities implements AppRegistrations, ManagedIdentities {
  readonly apps = new Map<string, StoredApp>();
  readonly identities = new Map<string, ManagedIdentity & { subscriptionId: string; credentials: FederatedCredential[] }>();
  private made = 0;

  addApp(app: AppRegistration & { servicePrincipalId?: string }): this {
    this.apps.set(app.appId.toLowerCase(), { ...app, servicePrincipalId: app.servicePrincipalId ?? null, credentials: [] });
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
    const { credentials: _credentials, servicePrincipalId: _sp, ...rest } = app;
    return rest;
  }

  async addFederatedCredential(appId: string, credential: FederatedCredential): Promise<'created' | 'exists'> {
    const app = this.apps.get(appId.toLowerCase());
    if (!app) throw new AppError('GRAPH.NOT_FOUND', 'no such app');
    if (app.credentials.some((c) => c.issuer === credential.issuer && c.subject === credential.subject)) return 'exists';
    app.credentials.push(credential);
    return 'created';
  }

  async removeFederatedCredential(appId: string, name: string): Promise<void> {
    const app = this.apps.get(appId.toLowerCase());
    if (app) app.credentials = app.credentials.filter((c) => c.name !== name);
  }

  async servicePrincipalId(appId: string): Promise<string | null> {
    return this.apps.get(appId.toLowerCase())?.servicePrincipalId ?? null;
  }

  /** Graph's upsert by alternate key: made (owned by the bot) when the key names none, otherwise the one it names. */
  async registerApp(input: { displayName: string; key: string }): Promise<KeyedApp> {
    if (!this.keyed(input.key)) {
      this.made += 1;
      const n = String(this.made).padStart(12, '0');
      const app = { appId: `aa000000-0000-4000-8000-${n}`, objectId: `ab000000-0000-4000-8000-${n}`, servicePrincipalId: `ac000000-0000-4000-8000-${n}` };
      this.apps.set(app.appId, { ...app, displayName: input.displayName, signInAudience: 'AzureADMyOrg', key: input.key, owners: [FAKE_BOT_PRINCIPAL], credentials: [] });
    }
    return (await this.findByKey(input.key)) as KeyedApp;
  }

  async findByKey(key: string): Promise<KeyedApp | null> {
    const app = this.keyed(key);
    if (!app) return null;
    const owners = app.owners ?? [];
    return {
      appId: app.appId, objectId: app.objectId, servicePrincipalId: app.servicePrincipalId, key: app.key ?? null, signInAudience: app.signInAudience ?? 'AzureADMyOrg',
      ownedByCallerAlone: owners.length === 1 && owners[0] === FAKE_BOT_PRINCIPAL,
    };
  }

  /** For tests: the app registered under this display name (whatever its key). */
  async findByDisplayName(displayName: string): Promise<NewApp | null> {
    const app = [...this.apps.values()].find((a) => a.displayName === displayName);
    return app ? { appId: app.appId, objectId: app.objectId, servicePrincipalId: app.servicePrincipalId } : null;
  }

  private keyed(key: string): StoredApp | undefined {
    return [...this.apps.values()].find((a) => a.key !== undefined && a.key === key);
  }

  async ensureServicePrincipal(appId: string): Promise<string> {
    const app = this.apps.get(appId.toLowerCase());
    if (!app) throw new AppError('GRAPH.NOT_FOUND', 'no such app');
    app.servicePrincipalId ??= `ad000000-0000-4000-8000-${appId.slice(-12)}`;
    return app.servicePrincipalId;
  }

  async deleteApp(objectId: string): Promise<void> {
    for (const [key, app] of this.apps) if (app.objectId.toLowerCase() === objectId.toLowerCase()) this.apps.delete(key);
  }

  async findByClientId(subscriptionId: string, clientId: string): Promise<ManagedIdentity | null> {
    const found = [...this.identities.values()].find((i) => i.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() && i.clientId.toLowerCase() === clientId.toLowerCase());
    return found ? { id: found.id, name: found.name, clientId: found.clientId, ...(found.principalId ? { principalId: found.principalId } : {}) } : null;
  }

  async putFederatedCredential(identityId: string, credential: FederatedCredential): Promise<void> {
    const identity = this.identities.get(identityId.toLowerCase());
    if (!identity) throw new AppError('ARM.NOT_FOUND', 'no such identity');
    identity.credentials = [...identity.credentials.filter((c) => c.name !== credential.name), credential];
  }

  async deleteFederatedCredential(identityId: string, name: string): Promise<void> {
    const identity = this.identities.get(identityId.toLowerCase());
    if (identity) identity.credentials = identity.credentials.filter((c) => c.name !== name);
  }
}

/** Azure role assignments as ARM keeps them: one per principal, role and scope. */
export class InMemoryRoleAssignments implements RoleAssignments {
  readonly assignments: AzureRoleAssignment[] = [];
  /** The next assign fails with this error (once), as ARM refusing the bot would. */
  failNext: AppError | undefined;

  async assign(a: AzureRoleAssignment): Promise<'created' | 'exists'> {
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    const same = (x: AzureRoleAssignment) => x.scope.toLowerCase() === a.scope.toLowerCase() && x.principalId === a.principalId && x.roleDefinitionId === a.roleDefinitionId;
    if (this.assignments.some(same)) return 'exists';
    this.assignments.push({ ...a });
    return 'created';
  }

  async remove(scope: string, name: string): Promise<void> {
    const index = this.assignments.findIndex((x) => x.scope.toLowerCase() === scope.toLowerCase() && x.name === name);
    if (index >= 0) this.assignments.splice(index, 1);
  }
}

/** Verify's answer, scripted: ok unless a test says otherwise. */
export class ScriptedVerification implements ConnectionVerification {
  readonly verified: string[] = [];
  answer: Verification = { ok: true };

  async verify(_project: string, endpointId: string): Promise<Verification> {
    this.verified.push(endpointId);
    return this.answer;
  }
}
