/**
 * Which authorization parameters the service never answers: the inputs an endpoint type's authentication scheme
 * declares `isConfidential` (types catalogue, httpExamples/endpoints/ListEndpointTypes.json). Across that catalogue
 * the confidential inputs are the keys, passwords, tokens, certificates and publish profiles; the ids next to them
 * (tenantid, serviceprincipalid, keyid, authenticationType, scope, role) are not. The stand-in stores endpoints of
 * any type, so it applies that naming pattern instead of looking every type up.
 */
import type { ServiceEndpoint } from './service-endpoint';

const CONFIDENTIAL_INPUT = /(key|secret|password|passwd|token|certificate|pfx|privatekey|publishprofile|credential)s?$/i;
const PLAIN_INPUTS = new Set(['authenticationtype', 'tenantid', 'serviceprincipalid', 'scope', 'role', 'keyid']);

export function isConfidentialInput(name: string): boolean {
  const lower = name.toLowerCase();
  return !PLAIN_INPUTS.has(lower) && CONFIDENTIAL_INPUT.test(lower);
}

/** A copy with every confidential parameter answered as null, as the service answers it. */
export function withoutConfidential<T extends ServiceEndpoint>(endpoint: T): T {
  const params = endpoint.authorization?.parameters;
  if (!params || !endpoint.authorization) return { ...endpoint };
  const answered = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, isConfidentialInput(k) ? null : v]));
  return { ...endpoint, authorization: { ...endpoint.authorization, parameters: answered } };
}
