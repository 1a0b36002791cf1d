/**
 * The identities behind workload identity federation connections, and their federated credentials: app
 * registrations over Microsoft Graph, user-assigned managed identities over Azure Resource Manager.
 */

/** A federated identity credential as both Graph and ARM hold it. Never a secret: issuer, subject, audiences. */
export interface FederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description?: string;
}

export interface AppRegistration {
  objectId: string;
  appId: string;
  displayName?: string;
  /** AzureADMyOrg, AzureADMultipleOrgs, …: multitenant apps keep the Azure DevOps issuer. */
  signInAudience?: string;
}

/** App registrations over Graph (`Application.ReadWrite.OwnedBy`, the bot an owner of the app). */
export interface AppRegistrations {
  /** The app with this client id, or null when there is none the bot can read. */
  find(appId: string): Promise<AppRegistration | null>;
  /**
   * Adds the credential; 'exists' when the app already holds one with the same issuer and subject (a retry after a
   * crash, or someone added it by hand), so calling twice is harmless.
   */
  addFederatedCredential(appId: string, credential: FederatedCredential): Promise<'created' | 'exists'>;
  /** Removes the named credential; a credential already gone is not an error (clean-up may run twice). */
  removeFederatedCredential(appId: string, name: string): Promise<void>;
  /** Object id of the app's service principal in this tenant (what a role is assigned to), or null when it has none. */
  servicePrincipalId(appId: string): Promise<string | null>;
  /**
   * A new single-tenant app registration under `key`, its alternate key (Graph's `uniqueName`): an upsert
   * (`Application.ReadWrite.OwnedBy`: the caller owns what it creates), so sending it again after a lost answer
   * makes no second app. Answers the app Graph holds under that key, as `findByKey` does.
   */
  registerApp(app: { displayName: string; key: string }): Promise<KeyedApp>;
  /** The app whose alternate key is `key`, or null when there is none. */
  findByKey(key: string): Promise<KeyedApp | null>;
  /** The app's service principal object id, created when the app has none yet. */
  ensureServicePrincipal(appId: string): Promise<string>;
  /** Deletes an app the bot made (its service principal goes with it); one already gone is not an error. */
  deleteApp(objectId: string): Promise<void>;
}

/** An app registration the bot created, with its service principal. */
export interface NewApp {
  appId: string;
  objectId: string;
  /** Null when the app exists but its service principal was not created yet. */
  servicePrincipalId: string | null;
}

/** An app found by its alternate key, with what tells whether the bot may take it as its own. */
export interface KeyedApp extends NewApp {
  /** Graph's `uniqueName` as it holds it. */
  key: string | null;
  signInAudience: string;
  /** True when the bot's own service principal is its one and only owner (so by construction for an app just made). */
  ownedByCallerAlone: boolean;
}

export interface ManagedIdentity {
  /** ARM resource id, `/subscriptions/…/resourceGroups/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>`. */
  id: string;
  name: string;
  clientId: string;
  principalId?: string;
}

/** User-assigned managed identities over ARM (Managed Identity Contributor or Federated Credential Contributor). */
export interface ManagedIdentities {
  /** The identity with this client id in the subscription, or null. */
  findByClientId(subscriptionId: string, clientId: string): Promise<ManagedIdentity | null>;
  /** PUT of the named credential: ARM's create-or-update, so repeating it is harmless. */
  putFederatedCredential(identityId: string, credential: FederatedCredential): Promise<void>;
  /** DELETE of the named credential; one already gone is not an error. */
  deleteFederatedCredential(identityId: string, name: string): Promise<void>;
}

/** An Azure role assignment as ARM holds it (Microsoft.Authorization/roleAssignments). */
export interface AzureRoleAssignment {
  /** `/subscriptions/<id>[/resourceGroups/<rg>]`. */
  scope: string;
  /** The assignment's name: a GUID the caller chooses, so repeating the PUT creates nothing more. */
  name: string;
  /** `/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<role GUID>`. */
  roleDefinitionId: string;
  /** Object id of the service principal (app) or of the managed identity. */
  principalId: string;
}

/** Azure role assignments over ARM (User Access Administrator or Owner on the scope). */
export interface RoleAssignments {
  /** PUT; 'exists' when this principal already holds this role on the scope (under this or another name). */
  assign(assignment: AzureRoleAssignment): Promise<'created' | 'exists'>;
  /** DELETE by name; one already gone is not an error. */
  remove(scope: string, name: string): Promise<void>;
}
