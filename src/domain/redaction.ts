/**
 * Secrets never leave the bot: not in a reply, a card, a log line, an audit event or an error.
 * Azure DevOps itself answers secret parameters as null; we do the same to anything we hold.
 */
import type { ServiceEndpoint } from './endpoint';

const SECRET_NAME = /(key|secret|password|passwd|token|certificate|pfx|privatekey|publishprofile|credential)s?$/i;
const NOT_SECRET = new Set(['authenticationtype', 'tenantid', 'serviceprincipalid', 'scope', 'role', 'keyid']);

/** True for parameter names that hold a secret value (serviceprincipalkey, password, apitoken, …). */
export function isSecretParameter(name: string): boolean {
  const lower = name.toLowerCase();
  if (NOT_SECRET.has(lower)) return false;
  return SECRET_NAME.test(lower);
}

/** A copy of the endpoint with every secret parameter nulled, as the REST API itself returns it. */
export function redactEndpoint<T extends ServiceEndpoint>(endpoint: T): T {
  const params = endpoint.authorization?.parameters;
  if (!params || !endpoint.authorization) return { ...endpoint };
  const redacted: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(params)) redacted[key] = isSecretParameter(key) ? null : value;
  return { ...endpoint, authorization: { ...endpoint.authorization, parameters: redacted } };
}

/** Every secret value held in an endpoint's parameters (for scrubbers and canary scans). */
export function secretValuesOf(endpoint: ServiceEndpoint): string[] {
  const params = endpoint.authorization?.parameters ?? {};
  return Object.entries(params)
    .filter(([key, value]) => isSecretParameter(key) && typeof value === 'string' && value.length > 0)
    .map(([, value]) => value as string);
}

/** Replace any occurrence of the given secret values in a text (defence in depth for error messages). */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
