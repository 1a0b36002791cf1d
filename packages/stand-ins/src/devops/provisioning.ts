/**
 * What the service does on its own around a create: an Automatic azurerm connection gets an app registration
 * made for it (InProgress until the clock passes `provisioningMs`, then Ready), and any workload identity
 * federation connection gets its issuer and subject (facts §7.3).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { lookup, type ServiceEndpoint } from '../wire/service-endpoint';
import type { RuleContext } from './context';
import { isAutomatic } from './credentials';

const WIF = 'workloadidentityfederation';

export function entraIssuer(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

const guidB64 = (guid: string): string => Buffer.from(guid.replace(/-/g, ''), 'hex').toString('base64url');

/** Opaque on purpose: clients must read it from the response, never rebuild it. */
export function entraSubject(tenantId: string, appId: string, organizationId: string, endpointId: string): string {
  return `/eid1/c/pub/t/${guidB64(tenantId)}/a/${guidB64(appId)}/sc/${organizationId}/${endpointId}`;
}

function setParam(endpoint: ServiceEndpoint, name: string, value: string): void {
  const params = { ...(endpoint.authorization?.parameters ?? {}) };
  const existing = Object.keys(params).find((k) => k.toLowerCase() === name.toLowerCase());
  params[existing ?? name] = value;
  endpoint.authorization = { scheme: endpoint.authorization?.scheme ?? 'None', parameters: params };
}

export function addFederationSubject(ctx: RuleContext, endpoint: ServiceEndpoint): void {
  if (endpoint.authorization?.scheme.toLowerCase() !== WIF) return;
  const params = endpoint.authorization.parameters ?? {};
  const tenantId = lookup(params, 'tenantid') ?? '00000000-0000-0000-0000-000000000000';
  if (!lookup(params, 'serviceprincipalid')) setParam(endpoint, 'serviceprincipalid', randomUUID());
  const appId = lookup(endpoint.authorization.parameters ?? {}, 'serviceprincipalid') ?? '';
  setParam(endpoint, 'workloadIdentityFederationIssuer', entraIssuer(tenantId));
  setParam(endpoint, 'workloadIdentityFederationSubject', entraSubject(tenantId, appId, ctx.organizationId, endpoint.id));
}

/** Automatic azurerm create: Azure DevOps registers the app itself, so the ids and secret are server-made. */
export function provisionAutomatic(ctx: RuleContext, id: string): void {
  const endpoint = ctx.state.live(id);
  if (!endpoint || endpoint.type.toLowerCase() !== 'azurerm' || !isAutomatic(endpoint.data)) return;
  if (!lookup(endpoint.authorization?.parameters ?? {}, 'serviceprincipalid')) setParam(endpoint, 'serviceprincipalid', randomUUID());
  if (endpoint.authorization?.scheme.toLowerCase() === 'serviceprincipal') {
    setParam(endpoint, 'authenticationType', 'spnKey');
    setParam(endpoint, 'serviceprincipalkey', randomBytes(24).toString('base64url'));
  }
  const roleAssignmentId = randomUUID();
  endpoint.data = {
    ...(endpoint.data ?? {}),
    spnObjectId: randomUUID(),
    appObjectId: randomUUID(),
    azureSpnRoleAssignmentId: roleAssignmentId,
    azureSpnPermissions: JSON.stringify([{ roleAssignmentId, resourceProvider: 'Microsoft.RoleAssignment', provisioned: true }]),
  };
  endpoint.isReady = false;
  endpoint.operationStatus = { state: 'InProgress', statusMessage: '' };
  const failure = ctx.lifecycle.takeFailure('create', endpoint.name);
  ctx.state.remember(id, { readyAt: ctx.now.getTime() + ctx.lifecycle.settings.provisioningMs, failure });
}
