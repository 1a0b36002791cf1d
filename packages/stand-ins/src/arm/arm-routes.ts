/**
 * ARM routes of the stand-in, with ARM's error shape `{ error: { code, message } }`:
 *   GET  /subscriptions/{sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities  (List By Subscription)
 *   GET  …/userAssignedIdentities/{name}                                    (api-version 2023-01-31)
 *   GET  …/userAssignedIdentities/{name}/federatedIdentityCredentials[/{fic}], PUT / DELETE …/{fic}
 *   {scope}/providers/Microsoft.Authorization/roleAssignments[/{guid}]   (2022-04-01, role-assignment-routes.ts)
 */
import { isRefusal, type FederatedCredentialView } from '../entra/federated-credentials';
import type { ArmStore, ManagedIdentity } from './arm-store';
import { armError, routeRoleAssignments, type ArmReply } from './role-assignment-routes';

export type { ArmReply } from './role-assignment-routes';

const IDENTITY = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.managedidentity\/userassignedidentities\/([^/]+)(?:\/federatedidentitycredentials(?:\/([^/]+))?)?$/i;
const IDENTITIES_OF_SUBSCRIPTION = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.managedidentity\/userassignedidentities\/?$/i;
const ROLE = /^(\/.*?)\/providers\/microsoft\.authorization\/roleassignments(?:\/([^/]+))?$/i;

function identityView(i: ManagedIdentity): Record<string, unknown> {
  return {
    id: i.id, name: i.name, type: 'Microsoft.ManagedIdentity/userAssignedIdentities', location: i.location, tags: {},
    properties: { tenantId: i.tenantId, principalId: i.principalId, clientId: i.clientId },
  };
}

function ficView(i: ManagedIdentity, f: FederatedCredentialView): Record<string, unknown> {
  return {
    id: `${i.id}/federatedIdentityCredentials/${f.name}`, name: f.name, type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
    properties: { issuer: f.issuer, subject: f.subject, audiences: f.audiences },
  };
}

function federated(i: ManagedIdentity, method: string, name: string | undefined, body: unknown): ArmReply {
  if (!name) return method === 'GET' ? { status: 200, body: { value: i.federated.list().map((f) => ficView(i, f)) } } : armError(405, 'MethodNotAllowed', `${method} is not allowed here.`);
  const existing = i.federated.get(name);
  if (method === 'GET') return existing ? { status: 200, body: ficView(i, existing) } : armError(404, 'NotFound', `Federated identity credential '${name}' was not found.`);
  if (method === 'DELETE') return { status: i.federated.remove(name) ? 200 : 204 };
  if (method !== 'PUT') return armError(405, 'MethodNotAllowed', `${method} is not allowed here.`);
  const props = (body as { properties?: { issuer?: string; subject?: string; audiences?: string[] } } | undefined)?.properties ?? {};
  if (existing) i.federated.remove(name);
  const added = i.federated.add({ name, issuer: props.issuer ?? '', subject: props.subject ?? '', audiences: props.audiences });
  if (isRefusal(added)) return armError(400, 'BadRequest', added.message);
  return { status: existing ? 200 : 201, body: ficView(i, added) };
}

export function routeArm(store: ArmStore, method: string, path: string, query: URLSearchParams, body: unknown): ArmReply {
  if (!query.get('api-version')) return armError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
  const inSubscription = IDENTITIES_OF_SUBSCRIPTION.exec(path);
  if (inSubscription) {
    if (method !== 'GET') return armError(405, 'MethodNotAllowed', `${method} is not allowed here.`);
    // One page: ARM's nextLink is absent when everything fits, as it does for a stand-in's handful of identities.
    return { status: 200, body: { value: store.identitiesIn(inSubscription[1] ?? '').map(identityView) } };
  }
  const identity = IDENTITY.exec(path);
  if (identity) {
    const [, sub = '', rg = '', name = '', fic] = identity;
    const found = store.identity(sub, rg, name);
    if (!found) return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/${name}' under resource group '${rg}' was not found.`);
    if (path.toLowerCase().includes('/federatedidentitycredentials')) return federated(found, method, fic, body);
    return method === 'GET' ? { status: 200, body: identityView(found) } : armError(405, 'MethodNotAllowed', `${method} is not allowed here.`);
  }
  const role = ROLE.exec(path);
  if (role) return routeRoleAssignments(store, method, role[1] ?? '', role[2], query, body);
  return armError(404, 'InvalidResourceType', `The resource type for '${path}' is not served by this stand-in.`);
}
