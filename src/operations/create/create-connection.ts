/**
 * Creating a workload identity federation `azurerm` connection (connection-lifecycle facts §3): the names and
 * shapes a create uses — the POST body, the ARM scope, the built-in Azure roles, the plan's marker. Pure.
 */
import type { ServiceEndpoint } from '../../domain/endpoint';
import type { CreatePlan } from './create.payload';
import { FEDERATION_AUDIENCE, WORKLOAD_IDENTITY_SCHEME } from '../../domain/issuer';
import { isGuid } from '../../domain/guid';

export { isGuid };

/** ARM resource group names: 1–90 letters, digits, `_ - . ( )`, not ending in a dot. */
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/u;

export { FEDERATION_AUDIENCE };

/**
 * Built-in Azure role definitions by name (their GUIDs are the same in every tenant). The ones a pipeline's
 * connection is usually given; any other role is refused before planning rather than guessed.
 */
export const AZURE_ROLES: Readonly<Record<string, { name: string; id: string }>> = Object.freeze(Object.fromEntries([
  { name: 'Reader', id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7' },
  { name: 'Contributor', id: 'b24988ac-6180-42a0-ab88-20f7382dd24c' },
  { name: 'Owner', id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635' },
  { name: 'User Access Administrator', id: '18d7d88d-d35e-4fb5-a5c3-7773c4a72b9d' },
  { name: 'AcrPush', id: '8311e382-0749-4cb8-b61a-304f252e45ec' },
  { name: 'Storage Blob Data Contributor', id: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' },
  { name: 'Key Vault Secrets User', id: '4633458b-17de-408a-b874-0445c86b69e6' },
].map((r) => [r.name.toLowerCase(), r])));

export function azureRole(name: string): { name: string; id: string } | undefined {
  return AZURE_ROLES[name.trim().toLowerCase()];
}

export const isResourceGroupName = (value: string): boolean => RESOURCE_GROUP.test(value);

/** `/subscriptions/<id>` or `/subscriptions/<id>/resourceGroups/<rg>`: where the connection (and its role) points. */
export function armScope(subscriptionId: string, resourceGroup?: string): string {
  return `/subscriptions/${subscriptionId.toLowerCase()}${resourceGroup ? `/resourceGroups/${resourceGroup}` : ''}`;
}

export function roleDefinitionPath(subscriptionId: string, roleId: string): string {
  return `/subscriptions/${subscriptionId.toLowerCase()}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

/** The marker in the description of a connection this plan made; nothing else writes `[scbot:…]`. */
export const createMarker = (planId: string): string => `[scbot:${planId}:create]`;

/**
 * True when the connection's description carries this plan's marker. Not proof that the plan made it: the marker
 * is on the preview card, so anyone may copy it (`carriesKey` is the proof).
 */
export function madeByPlan(endpoint: ServiceEndpoint, planId: string): boolean {
  return (endpoint.description ?? '').includes(createMarker(planId));
}

/** The tag a create run adds to the description beside the marker: its secret key, known to nobody before the POST. */
const keyTag = (key: string): string => `[key:${key}]`;

/** True when the connection carries this plan's marker and this run's key: only then did this run make it. */
export function carriesKey(endpoint: ServiceEndpoint, planId: string, key: string): boolean {
  return key.length > 0 && madeByPlan(endpoint, planId) && (endpoint.description ?? '').includes(keyTag(key));
}

/** The federated credential's name: readable (the connection's name) and unique per plan; Entra allows 3–120 of `[A-Za-z0-9_-]`. */
export function createdCredentialName(connectionName: string, planId: string): string {
  const slug = connectionName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return `scbot-${slug ? `${slug}-` : ''}${planId.toLowerCase()}`;
}

/**
 * The documented create body (facts §3.2, §3.3): creationMode Manual (Automatic is not supported for a service
 * principal or managed identity caller), scheme WorkloadIdentityFederation, the identity's client id as
 * `serviceprincipalid`; a resource group goes in `parameters.scope` with scopeLevel still Subscription.
 * `clientId` is the new app's when the plan makes one (known only at execution). The portal's `data.identityType` is
 * left out: it is observed, not documented (facts §3.4).
 */
export function createBody(plan: CreatePlan, project: { id: string; name: string }, clientId: string, key?: string): ServiceEndpoint {
  const parameters: Record<string, string> = { tenantid: plan.tenantId, serviceprincipalid: clientId };
  if (plan.resourceGroup) parameters.scope = plan.scope;
  const description = key ? `${plan.description} ${keyTag(key)}` : plan.description;
  return {
    id: '', name: plan.name, type: 'azurerm', url: 'https://management.azure.com/', description,
    authorization: { scheme: WORKLOAD_IDENTITY_SCHEME, parameters },
    data: {
      // subscriptionName: the bot reads no subscription names, so the id stands in for it (README, Azure DevOps).
      environment: 'AzureCloud', scopeLevel: 'Subscription', subscriptionId: plan.subscriptionId, subscriptionName: plan.subscriptionId, creationMode: 'Manual',
    },
    isShared: false, isReady: true,
    serviceEndpointProjectReferences: [{ projectReference: { id: project.id, name: project.name }, name: plan.name, description }],
  };
}

const same = (a: string | null | undefined, b: string | null | undefined): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/**
 * How a connection this run made differs from what the approver was shown, or undefined when it does not: one
 * project (not shared), an azurerm WIF connection for the planned tenant, client id, subscription and scope. Whether
 * it is open to all pipelines is a separate read (pipeline permissions).
 */
export function createMismatch(endpoint: ServiceEndpoint, plan: CreatePlan, projectId: string, clientId: string): string | undefined {
  const refs = endpoint.serviceEndpointProjectReferences ?? [];
  const params = endpoint.authorization?.parameters ?? {};
  if (endpoint.isShared || refs.length !== 1 || !same(refs[0]?.projectReference?.id, projectId)) return 'it is shared with another project';
  if (!same(endpoint.type, 'azurerm') || !same(endpoint.authorization?.scheme, WORKLOAD_IDENTITY_SCHEME)) return 'it is not an azurerm workload identity federation connection';
  if (!same(params.tenantid, plan.tenantId) || !same(params.serviceprincipalid, clientId)) return 'it signs in as another identity';
  if (!same(endpoint.data?.subscriptionId, plan.subscriptionId)) return 'it points at another subscription';
  // Without a resource group the scope is the subscription, whether or not the service spells it out.
  const scopeOk = plan.resourceGroup ? same(params.scope, plan.scope) : params.scope === undefined || params.scope === '' || same(params.scope, plan.scope);
  if (!same(endpoint.data?.scopeLevel, 'Subscription') || !scopeOk) return 'it has another scope';
  return undefined;
}

/** The client id the connection signs in as, when known at planning (not for a new app). */
export function plannedClientId(plan: CreatePlan): string | undefined {
  if (plan.identity.kind === 'app') return plan.identity.appId;
  if (plan.identity.kind === 'managed-identity') return plan.identity.clientId;
  return undefined;
}

export function identityLabel(identity: CreatePlan['identity']): string {
  if (identity.kind === 'app') return `app registration ${identity.appId}${identity.displayName ? ` (${identity.displayName})` : ''}`;
  if (identity.kind === 'managed-identity') return `managed identity ${identity.resourceId.split('/').pop() ?? identity.clientId} (client id ${identity.clientId})`;
  return `a new app registration '${identity.displayName}'`;
}
