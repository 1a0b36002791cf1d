/**
 * Readiness after a credential change (optional realism, see DevOpsEmulatorOptions.verifyServicePrincipalSecret):
 * Azure DevOps tries the new service principal secret against Entra; the connection is Ready only if it works.
 */
import { lookup, type ServiceEndpoint } from '../wire/service-endpoint';
import type { RuleContext } from './context';

const key = (endpoint: ServiceEndpoint, name: string) => lookup(endpoint.authorization?.parameters ?? undefined, name);

export function applySecretReadiness(ctx: RuleContext, before: ServiceEndpoint, after: ServiceEndpoint): void {
  if (!ctx.verifyServicePrincipalSecret) return;
  if (after.authorization?.scheme.toLowerCase() !== 'serviceprincipal') return;
  const secret = key(after, 'serviceprincipalkey');
  if (!secret || secret === key(before, 'serviceprincipalkey')) return;
  const clientId = key(after, 'serviceprincipalid') ?? '';
  if (ctx.verifyServicePrincipalSecret(key(after, 'tenantid') ?? '', clientId, secret)) {
    after.isReady = true;
    after.operationStatus = { state: 'Ready', statusMessage: '' };
    return;
  }
  after.isReady = false;
  after.operationStatus = {
    state: 'Failed',
    statusMessage: `Failed to obtain the Json Web Token(JWT) using service principal client ID. Exception Message: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  };
}
