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
}
