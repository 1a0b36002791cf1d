/**
 * What a change does to a connection, field by field, for the preview. Secret fields never show a value:
 * the old one is unknown to the bot anyway, the new one is described by where it comes from.
 */
import type { ServiceEndpoint } from './endpoint';
import type { SecretPlan } from './plan';
import { isSecretParameter } from './redaction';

export interface FieldChange {
  /** e.g. "authorization.scheme", "data.creationMode", "authorization.parameters.serviceprincipalkey". */
  path: string;
  /** null when the field is absent on that side. */
  from: string | null;
  to: string | null;
}

const MASK = '••••';

/** The fields a change can touch: scheme, parameters, data, and which projects reference the connection. */
function flatten(endpoint: ServiceEndpoint): Map<string, string> {
  const out = new Map<string, string>();
  const scheme = endpoint.authorization?.scheme;
  if (scheme) out.set('authorization.scheme', scheme);
  for (const [key, value] of Object.entries(endpoint.authorization?.parameters ?? {})) {
    // A redacted secret (null) still means "there is a secret": shown masked, never as a value.
    if (isSecretParameter(key)) out.set(`authorization.parameters.${key}`, MASK);
    else if (value !== null && value !== undefined) out.set(`authorization.parameters.${key}`, value);
  }
  for (const [key, value] of Object.entries(endpoint.data ?? {})) out.set(`data.${key}`, value);
  if (endpoint.isDisabled !== undefined) out.set('isDisabled', String(endpoint.isDisabled));
  const projects = (endpoint.serviceEndpointProjectReferences ?? []).map((r) => r.projectReference.name ?? r.projectReference.id).sort();
  if (projects.length) out.set('projects', projects.join(', '));
  return out;
}

/** How a secret's new value is shown: never the value, only its source. */
export function describeSecret(secret: SecretPlan | undefined): string {
  if (!secret) return '•••• (new secret)';
  if (secret.source === 'graph') return `•••• (new secret from Microsoft Graph addPassword on app ${secret.appId}, expires ${secret.expiresAt.slice(0, 10)})`;
  return `•••• (new secret from Key Vault ${secret.vault}/${secret.secretName})`;
}

const isSecretPath = (path: string): boolean => path.startsWith('authorization.parameters.') && isSecretParameter(path.slice('authorization.parameters.'.length));

/**
 * Field changes from `before` to `after` (null: the connection is deleted), sorted by path. A secret field
 * present in `after` always counts as changed: the bot only ever writes a new secret there.
 */
export function diffEndpoints(before: ServiceEndpoint, after: ServiceEndpoint | null, secret?: SecretPlan): FieldChange[] {
  if (after === null) return [{ path: 'connection', from: before.name, to: null }];
  const from = flatten(before);
  const to = flatten(after);
  const paths = [...new Set([...from.keys(), ...to.keys()])].sort();
  const changes: FieldChange[] = [];
  for (const path of paths) {
    if (isSecretPath(path)) {
      // Only a rotation writes a secret field (with a placeholder); anything else keeps or drops the old one.
      const wrote = secret !== undefined && to.has(path);
      if (wrote) changes.push({ path, from: from.has(path) ? MASK : null, to: describeSecret(secret) });
      else if (from.has(path) && !to.has(path)) changes.push({ path, from: MASK, to: null });
      continue;
    }
    const a = from.get(path) ?? null;
    const b = to.get(path) ?? null;
    if (a !== b) changes.push({ path, from: a, to: b });
  }
  return changes;
}
