/**
 * `POST {project}/_apis/serviceendpoint/endpointproxy?endpointId=…` (spec op 13, ServiceEndpointRequest →
 * ServiceEndpointRequestResult): the portal's Verify. The stand-in calls no external service, so it answers only the
 * `TestConnection` data source a Verify sends [obs: a community script reproducing the button], by what the local
 * cloud can tell: a workload identity federation connection signs in when its identity holds a federated credential
 * with the connection's issuer and subject (Entra's AADSTS700213 otherwise); a secret one when Entra accepts the
 * secret. Like the service it answers 200 either way, the verdict in `statusCode`. Any other data source is refused.
 */
import { randomUUID } from 'node:crypto';
import { lookup, type ServiceEndpoint } from '../wire/service-endpoint';
import type { RuleContext } from './context';
import type { ApiAnswer, ApiRequest } from './http-types';
import { referencesProject } from './endpoint-view';
import { endpointNotFound, serviceEndpointError } from './vss-error';

function verdict(ctx: RuleContext, endpoint: ServiceEndpoint): string | undefined {
  const params = endpoint.authorization?.parameters ?? {};
  const scheme = (endpoint.authorization?.scheme ?? '').toLowerCase();
  if (scheme === 'workloadidentityfederation') {
    if (ctx.hasFederatedCredential(endpoint)) return undefined;
    return `Failed to obtain an access token: AADSTS700213: No matching federated identity record found for presented assertion subject '${lookup(params, 'workloadIdentityFederationSubject') ?? ''}'.`;
  }
  if (scheme === 'serviceprincipal' && ctx.verifyServicePrincipalSecret) {
    const ok = ctx.verifyServicePrincipalSecret(lookup(params, 'tenantid') ?? '', lookup(params, 'serviceprincipalid') ?? '', lookup(params, 'serviceprincipalkey') ?? '');
    return ok ? undefined : 'Failed to obtain an access token: AADSTS7000215: Invalid client secret provided.';
  }
  return undefined;
}

/**
 * Two operations share the route (facts §2, ops 13 and 14): with `?endpointId=` the request form (ServiceEndpointRequest
 * → ServiceEndpointRequestResult), served for TestConnection; without it the legacy query (DataSourceBinding →
 * string[], "use 13 instead"), which is the one in the 7.2 spec file and is refused as any data source call.
 */
export function endpointProxyAnswer(ctx: RuleContext, req: ApiRequest): ApiAnswer {
  if (!req.query.get('endpointId')) throw serviceEndpointError('This stand-in does not call external services, so endpoint proxy requests (data sources) are not executed.');
  const source = (req.body as { dataSourceDetails?: { dataSourceName?: unknown } } | undefined)?.dataSourceDetails?.dataSourceName;
  if (typeof source !== 'string' || source.toLowerCase() !== 'testconnection') {
    throw serviceEndpointError('This stand-in does not call external services, so endpoint proxy requests other than TestConnection (Verify) are not executed.');
  }
  const id = req.query.get('endpointId') ?? '';
  const endpoint = ctx.state.live(id);
  if (!endpoint || (ctx.project && !referencesProject(endpoint, ctx.project))) throw endpointNotFound(id);
  const failure = verdict(ctx, endpoint);
  const body = failure === undefined
    ? { result: [], statusCode: 'ok', errorMessage: '', activityId: randomUUID() }
    : { result: [], statusCode: 'badRequest', errorMessage: failure, activityId: randomUUID() };
  return { status: 200, body };
}
