/**
 * The move off the Azure DevOps issuer (connection-lifecycle facts §1): which workload identity federation
 * connections can move to the Entra issuer, and the names a move uses. Pure: what was read in, reasons out.
 */
import { authScheme, connectionState, federationIssuer, readKey, usesRetiringIssuer, type ServiceEndpoint } from './endpoint';
import { ISSUER_RETIREMENT } from './findings';
import { DAY_MS } from './time';

/** The audience every workload identity federation credential for Azure DevOps carries. */
export const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';
export const WORKLOAD_IDENTITY_SCHEME = 'WorkloadIdentityFederation';


/** The identity behind a connection, as far as the bot can see it (Graph for apps, ARM for managed identities). */
export type FederatedIdentity =
  | { kind: 'app'; appId: string; objectId: string; displayName?: string; signInAudience?: string }
  | { kind: 'managed-identity'; clientId: string; resourceId: string; name: string }
  /** Neither an app the bot can read nor a managed identity in the connection's subscription. */
  | { kind: 'unknown'; clientId: string }
  /** Graph refused to let the bot read app registrations at all (no Graph permission): an app, multitenant or not. */
  | { kind: 'unreadable-app'; clientId: string };

/** The Graph application permission the bot needs to read (every) and change (its own) app registrations. */
export const GRAPH_APP_PERMISSION = 'Application.ReadWrite.OwnedBy';

/** Apps that keep the Azure DevOps issuer (facts §1.5): multitenant sign-in audiences. */
const MULTITENANT = new Set(['azureadmultipleorgs', 'azureadandpersonalmicrosoftaccount']);
/** Clouds outside the move (facts §1.5): they keep the Azure DevOps issuer. */
const SOVEREIGN: Readonly<Record<string, string>> = {
  azureusgovernment: 'Azure Government', azurechinacloud: 'Azure China', azurestack: 'Azure Stack', azuregermancloud: 'Azure Germany',
};

export function entraIssuer(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

export function isEntraIssuer(issuer: string | undefined): boolean {
  return (issuer ?? '').toLowerCase().startsWith('https://login.microsoftonline.com/');
}

export const param = (endpoint: ServiceEndpoint, key: string): string | undefined =>
  readKey(endpoint.authorization?.parameters ?? undefined, key) ?? undefined;

/** The old subject (`sc://<org>/<project>/<name>`): what the migration call takes and what the old credential holds. */
export function federationSubject(endpoint: ServiceEndpoint): string | undefined {
  return param(endpoint, 'workloadIdentityFederationSubject');
}

/** Why a connection cannot be moved to the Entra issuer, or undefined when it can. In the order a user would ask. */
export function issuerMoveIneligibility(endpoint: ServiceEndpoint, identity: FederatedIdentity): string | undefined {
  const scheme = authScheme(endpoint);
  if (scheme.toLowerCase() !== WORKLOAD_IDENTITY_SCHEME.toLowerCase()) return `does not use workload identity federation (scheme ${scheme || 'none'}).`;
  const issuer = federationIssuer(endpoint);
  if (isEntraIssuer(issuer)) return 'already on the Entra issuer.';
  if (!usesRetiringIssuer(endpoint)) return issuer ? `its issuer ${issuer} is not the Azure DevOps one.` : 'Azure DevOps reports no issuer for it yet.';
  const environment = (readKey(endpoint.data ?? undefined, 'environment') ?? 'AzureCloud').toLowerCase();
  const cloud = SOVEREIGN[environment];
  if (cloud) return `${cloud} connections keep the Azure DevOps issuer (the move covers Azure public cloud only).`;
  if (identity.kind === 'app' && MULTITENANT.has((identity.signInAudience ?? '').toLowerCase())) {
    return `multitenant app (${identity.signInAudience}): multitenant apps keep the Azure DevOps issuer.`;
  }
  // Unread is not single-tenant: moving a multitenant app's connection is what the check above exists to prevent.
  if (identity.kind === 'unreadable-app') return `Graph won't let me read its app (grant me ${GRAPH_APP_PERMISSION}): multitenant apps keep the old issuer.`;
  if (!federationSubject(endpoint)) return 'Azure DevOps reports no federation subject for it.';
  if (!param(endpoint, 'tenantid')) return 'no tenant id on the connection.';
  const state = connectionState(endpoint);
  if (state !== 'Ready') return `not ready (${state}): fix it first, then move it.`;
  return undefined;
}

/** Whole days left until the Azure DevOps issuer stops working (0 on and after the day). */
export function daysUntilIssuerRetirement(now: Date): number {
  return Math.max(0, Math.ceil((Date.parse(ISSUER_RETIREMENT) - now.getTime()) / DAY_MS));
}

/** The federated credential the bot creates when Azure DevOps cannot: named after the connection, so a retry finds it. */
export function credentialNameFor(endpointId: string): string {
  return `scbot-entra-${endpointId.toLowerCase()}`;
}
