/**
 * ManagedIdentities over ARM (Microsoft.ManagedIdentity 2023-01-31): find a user-assigned identity by its client id
 * in a subscription (List By Subscription, following nextLink) and create-or-update one federated credential on it.
 * Needs Reader on the subscription to find it and Managed Identity Contributor (or Federated Credential
 * Contributor) on the identity to add the credential.
 */
import { statusOf } from '../domain/errors';
import type { FederatedCredential, ManagedIdentities, ManagedIdentity } from './federated-identities.port';
import { ArmClient, type ArmClientOptions } from './arm-client';
import { GUID } from '../domain/guid';

export const MANAGED_IDENTITY_API = '2023-01-31';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/;
const IDENTITY_ID = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.managedidentity\/userassignedidentities\/[^/]+$/i;
const PAGES_MAX = 20;

interface IdentityJson {
  id?: string;
  name?: string;
  properties?: { clientId?: string; principalId?: string };
}

export class ArmManagedIdentities implements ManagedIdentities {
  private readonly arm: ArmClient;

  constructor(options: ArmClientOptions) {
    this.arm = new ArmClient(options);
  }

  async findByClientId(subscriptionId: string, clientId: string): Promise<ManagedIdentity | null> {
    if (!GUID.test(subscriptionId) || !GUID.test(clientId)) return null;
    let path: string | undefined = `/subscriptions/${subscriptionId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=${MANAGED_IDENTITY_API}`;
    for (let page = 0; path && page < PAGES_MAX; page += 1) {
      const reply = await this.arm.call({ operation: 'listManagedIdentities', method: 'GET', path });
      const body = JSON.parse(reply.bodyAsText ?? '{}') as { value?: IdentityJson[]; nextLink?: string };
      const found = (body.value ?? []).find((i) => (i.properties?.clientId ?? '').toLowerCase() === clientId.toLowerCase());
      if (found?.id && found.name) return { id: found.id, name: found.name, clientId, ...(found.properties?.principalId ? { principalId: found.properties.principalId } : {}) };
      path = body.nextLink ? new URL(body.nextLink).pathname + new URL(body.nextLink).search : undefined;
    }
    return null;
  }

  async deleteFederatedCredential(identityId: string, name: string): Promise<void> {
    if (!IDENTITY_ID.test(identityId) || !NAME.test(name)) throw new Error('not a managed identity id or credential name');
    try {
      await this.arm.call({ operation: 'deleteFederatedIdentityCredential', method: 'DELETE', path: `${identityId}/federatedIdentityCredentials/${name}?api-version=${MANAGED_IDENTITY_API}` });
    } catch (error) {
      // Already gone (ARM answers 204 for most deletes of nothing, 404 for some): clean-up may run twice.
      if (statusOf(error) === 404) return;
      throw error;
    }
  }

  async putFederatedCredential(identityId: string, credential: FederatedCredential): Promise<void> {
    // Both come from our own reads and plan; checked so nothing else is ever spliced into the path.
    if (!IDENTITY_ID.test(identityId) || !NAME.test(credential.name)) throw new Error('not a managed identity id or credential name');
    const body = { properties: { issuer: credential.issuer, subject: credential.subject, audiences: credential.audiences } };
    await this.arm.call({ operation: 'putFederatedIdentityCredential', method: 'PUT', path: `${identityId}/federatedIdentityCredentials/${credential.name}?api-version=${MANAGED_IDENTITY_API}`, body });
  }
}
