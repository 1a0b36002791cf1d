/**
 * `POST {org}/_apis/public/serviceendpoint/externalfederatedcredentialmigration` (facts lifecycle §1): moves a
 * workload identity federation connection from the Azure DevOps issuer to the Entra issuer. The caller names the
 * connection by its old subject, `sc://<org>/<project>/<connection name>`. When the app (or managed identity)
 * already holds a federated credential for the new issuer and subject — or Azure DevOps manages the app itself
 * (Automatic) and adds it — the connection moves; otherwise the manual fallback: nothing changes and the answer
 * names the issuer, subject and audience the identity owner must add before trying again. Bearer tokens only.
 */
import { lookup, type ServiceEndpoint } from '../wire/service-endpoint';
import type { RuleContext } from './context';
import { isAutomatic } from './credentials';
import { entraIssuer, entraSubject } from './provisioning';
import { MIGRATION_WIRE } from './federated-migration-wire';
import { argumentError, argumentNullError, serviceEndpointError, VssError } from './vss-error';

const ADO_ISSUER = /^https:\/\/(app\.)?vstoken\.(dev\.azure\.com|visualstudio\.com)\//i;

function parseSubject(input: unknown, organization: string): { project: string; name: string } {
  if (typeof input !== 'string' || input === '') throw argumentNullError('serviceConnectionInput');
  const match = /^sc:\/\/([^/]+)\/([^/]+)\/(.+)$/.exec(input);
  if (!match?.[1] || !match[2] || !match[3]) throw argumentError(`'${input}' is not a service connection subject (sc://<organization>/<project>/<connection>).`);
  if (match[1].toLowerCase() !== organization.toLowerCase()) throw argumentError(`The subject names organization '${match[1]}', not '${organization}'.`);
  return { project: match[2], name: match[3] };
}

function findConnection(ctx: RuleContext, project: string, name: string): ServiceEndpoint {
  const p = ctx.state.project(project);
  const found = p && ctx.state.liveAll().find((e) => (e.serviceEndpointProjectReferences ?? [])
    .some((r) => r.projectReference.id.toLowerCase() === p.id.toLowerCase() && r.name.toLowerCase() === name.toLowerCase()));
  if (!found) throw new VssError(404, 'ServiceEndpointNotFoundException', `Service connection '${name}' was not found in project '${project}'.`);
  return found;
}

export interface MigrationRequest {
  authScheme: string | undefined;
  body: unknown;
  organization: string;
}

export function migrateFederatedCredential(ctx: RuleContext, req: MigrationRequest): { status: number; body: unknown } {
  if (req.authScheme?.toLowerCase() !== 'bearer') {
    throw new VssError(401, 'UnauthorizedRequestException', 'The migration endpoint accepts only Microsoft Entra bearer tokens.');
  }
  const input = (req.body as { serviceConnectionInput?: unknown } | undefined)?.serviceConnectionInput;
  const { project, name } = parseSubject(input, req.organization);
  const endpoint = findConnection(ctx, project, name);
  const params = endpoint.authorization?.parameters ?? {};
  if (endpoint.authorization?.scheme.toLowerCase() !== 'workloadidentityfederation' || !ADO_ISSUER.test(lookup(params, 'workloadIdentityFederationIssuer') ?? '')) {
    throw serviceEndpointError(`Service connection '${name}' does not use the Azure DevOps issuer; there is nothing to migrate.`);
  }
  const tenantId = lookup(params, 'tenantid') ?? '';
  const appId = lookup(params, 'serviceprincipalid') ?? '';
  const target = { issuer: entraIssuer(tenantId), subject: entraSubject(tenantId, appId, ctx.organizationId, endpoint.id), audience: 'api://AzureADTokenExchange' };
  if (isAutomatic(endpoint.data)) ctx.createFederatedCredential?.({ appId, issuer: target.issuer, subject: target.subject, endpointId: endpoint.id });
  else if (!ctx.hasFederatedCredential(endpoint)) return { status: 200, body: MIGRATION_WIRE.manualActionRequired(target) };
  const moved = { ...params, workloadIdentityFederationIssuer: target.issuer, workloadIdentityFederationSubject: target.subject, workloadIdentityFederationIssuerType: 'EntraID' };
  ctx.state.put({ ...endpoint, authorization: { scheme: endpoint.authorization.scheme, parameters: moved }, modificationDate: ctx.now.toISOString() });
  return { status: 200, body: MIGRATION_WIRE.migrated(target) };
}
