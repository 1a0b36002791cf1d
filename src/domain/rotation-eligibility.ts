/**
 * Which connections have a client secret the bot can rotate. The rotate operation plans with it
 * (src/operations/rotate), and the failed-connection advice and alert fixes offer `rotate` only where it holds, so
 * it sits in the domain where both can reach it.
 */
import { authScheme, connectionState, readKey } from './endpoint';
import type { PlanTarget } from './planning';

const UNSUPPORTED: Record<string, string> = {
  workloadidentityfederation: 'nothing to rotate: it uses workload identity federation, which has no secret.',
  managedserviceidentity: 'nothing to rotate: a managed identity has no secret.',
  publishprofile: 'not supported: publish-profile connections carry a publish profile, not a client secret.',
};

/** Why this connection cannot be rotated, or undefined when it can. */
export function rotateIneligibility(target: PlanTarget): string | undefined {
  const e = target.endpoint;
  const scheme = authScheme(e);
  if (e.type.toLowerCase() !== 'azurerm') return `not supported: rotation covers Azure Resource Manager connections, this one is ${e.type}.`;
  const known = UNSUPPORTED[scheme.toLowerCase()];
  if (known) return known;
  if (scheme.toLowerCase() !== 'serviceprincipal') return `not supported: the ${scheme} scheme has no client secret to rotate.`;
  const params = e.authorization?.parameters ?? undefined;
  const authType = readKey(params, 'authenticationType')?.toLowerCase();
  if (authType === 'spncertificate') return 'not supported: it authenticates with a certificate, not a secret (renew the certificate instead).';
  const hasKeyParam = params !== undefined && readKey(params, 'serviceprincipalkey') !== undefined;
  if (authType !== 'spnkey' && !(authType === undefined && hasKeyParam)) return `not supported: authentication type ${authType ?? 'unknown'} is not a client secret.`;
  if (!readKey(params, 'serviceprincipalid')) return 'not supported: the connection names no app registration (serviceprincipalid is empty).';
  if (connectionState(e) === 'InProgress') return 'not now: Azure DevOps is still setting this connection up; try again when it is ready or failed.';
  return undefined;
}
