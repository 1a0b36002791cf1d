/**
 * PUT ?operation=ConvertAuthenticationScheme (facts §7.4): ServicePrincipal → WorkloadIdentityFederation for an
 * azurerm connection, and back within the 7-day revert window. Messages are the service's where they are known.
 */
import { randomBytes } from 'node:crypto';
import { lookup, type EndpointAuthorization, type ServiceEndpoint } from '../wire/service-endpoint';
import type { RuleContext } from './context';
import { isAutomatic } from './credentials';
import { addFederationSubject } from './provisioning';
import { argumentNullError, serviceEndpointError } from './vss-error';

const SP = 'ServicePrincipal';
const WIF = 'WorkloadIdentityFederation';
const REVERT_WINDOW_MS = 7 * 24 * 3_600_000;
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function notAnUpgrade(type: string, from: string, to: string): Error {
  return serviceEndpointError(`Converting endpoint type ${type} scheme from ${from} to ${to} is neither an upgrade or a downgrade and is not supported.`);
}

function toFederation(ctx: RuleContext, existing: ServiceEndpoint): ServiceEndpoint {
  if ((existing.serviceEndpointProjectReferences ?? []).length > 1) {
    throw serviceEndpointError('A service connection shared with other projects cannot be converted. Convert it in the project that owns it before sharing it.');
  }
  if (!isAutomatic(existing.data) && !ctx.hasFederatedCredential(existing)) {
    throw serviceEndpointError(`The authorization scheme could not be upgraded to ${WIF} because the service principal could not be configured automatically, and no valid configuration exists.`);
  }
  const params = existing.authorization?.parameters ?? {};
  const keep = ['tenantid', 'serviceprincipalid', 'scope'];
  const converted: ServiceEndpoint = {
    ...existing,
    authorization: {
      scheme: WIF,
      parameters: Object.fromEntries(Object.entries(params).filter(([k]) => keep.includes(k.toLowerCase()))),
    },
    data: { ...(existing.data ?? {}), revertSchemeDeadline: new Date(ctx.now.getTime() + REVERT_WINDOW_MS).toISOString() },
  };
  addFederationSubject(ctx, converted);
  if (isAutomatic(existing.data)) announceFederatedCredential(ctx, converted);
  ctx.state.remember(existing.id, { revertAuthorization: structuredClone(existing.authorization ?? undefined) });
  return converted;
}

/** Azure DevOps manages an Automatic connection's app, so it adds the federated credential there itself. */
function announceFederatedCredential(ctx: RuleContext, converted: ServiceEndpoint): void {
  const params = converted.authorization?.parameters ?? {};
  ctx.createFederatedCredential?.({
    appId: lookup(params, 'serviceprincipalid') ?? '',
    issuer: lookup(params, 'workloadIdentityFederationIssuer') ?? '',
    subject: lookup(params, 'workloadIdentityFederationSubject') ?? '',
    endpointId: converted.id,
  });
}

/** A connection seeded as already converted has no remembered secret; the service would still hold one. */
function seededPrevious(existing: ServiceEndpoint): EndpointAuthorization {
  const params = existing.authorization?.parameters ?? {};
  return {
    scheme: SP,
    parameters: {
      tenantid: lookup(params, 'tenantid') ?? '',
      serviceprincipalid: lookup(params, 'serviceprincipalid') ?? '',
      authenticationType: 'spnKey',
      serviceprincipalkey: randomBytes(24).toString('base64url'),
    },
  };
}

function backToSecret(ctx: RuleContext, existing: ServiceEndpoint): ServiceEndpoint {
  const deadline = lookup(existing.data ?? undefined, 'revertSchemeDeadline');
  const previous = ctx.state.recall(existing.id).revertAuthorization ?? (deadline ? seededPrevious(existing) : undefined);
  if (!deadline || !previous) {
    throw serviceEndpointError(`The authorization scheme of this service connection was not converted from ${SP}, so it cannot be reverted to it.`);
  }
  if (ctx.now.getTime() >= Date.parse(deadline)) {
    throw serviceEndpointError(`The authorization scheme can no longer be reverted to ${SP}: the revert window ended at ${deadline}.`);
  }
  const data = Object.fromEntries(Object.entries(existing.data ?? {}).filter(([k]) => !same(k, 'revertSchemeDeadline')));
  ctx.state.remember(existing.id, { revertAuthorization: undefined });
  return { ...existing, authorization: previous, data };
}

export function convertScheme(ctx: RuleContext, existing: ServiceEndpoint, body: Partial<ServiceEndpoint>): ServiceEndpoint {
  const target = body.authorization?.scheme;
  if (!target) throw argumentNullError('endpoint.Authorization.Scheme');
  const from = existing.authorization?.scheme ?? 'None';
  const azurerm = same(existing.type, 'azurerm');
  let converted: ServiceEndpoint;
  if (azurerm && same(from, SP) && same(target, WIF)) converted = toFederation(ctx, existing);
  else if (azurerm && same(from, WIF) && same(target, SP)) converted = backToSecret(ctx, existing);
  else throw notAnUpgrade(existing.type, from, target);
  converted.modificationDate = ctx.now.toISOString();
  ctx.state.put(converted);
  answerWhileConverting(ctx, converted);
  return converted;
}

/**
 * With a conversion delay (or a scripted failure) the service answers the PUT while still converting: InProgress
 * until the delay passes on the clock, then Ready — or Failed with the scheme already changed, as the portal shows.
 */
function answerWhileConverting(ctx: RuleContext, converted: ServiceEndpoint): void {
  const failure = ctx.lifecycle.takeFailure('convert', converted.name);
  if (ctx.lifecycle.settings.conversionMs === 0 && failure === undefined) return;
  const stored = ctx.state.live(converted.id) as ServiceEndpoint;
  stored.isReady = converted.isReady = false;
  stored.operationStatus = converted.operationStatus = { state: 'InProgress', statusMessage: '' };
  ctx.state.remember(converted.id, { readyAt: ctx.now.getTime() + ctx.lifecycle.settings.conversionMs, failure });
}
