/**
 * Credential rules of PUT: a secret the caller omits or nulls keeps its stored value (that is how PUTting back
 * what you GET works), server-owned WIF parameters cannot be overwritten, and an Automatic connection refuses new
 * credentials until it is flipped to Manual (facts §7.1, the rlevchenko.com workaround).
 */
import { lookup, type EndpointAuthorization } from '../wire/service-endpoint';
import { PROVISIONED_DATA_KEYS } from './provisioned-data';
import { isConfidentialInput } from '../wire/confidential';
import { serviceEndpointError } from './vss-error';

type Params = Record<string, string | null>;
const SERVER_OWNED = ['workloadIdentityFederationIssuer', 'workloadIdentityFederationSubject'];
const CREDENTIAL_KEYS = ['tenantid', 'serviceprincipalid', 'serviceprincipalkey', 'servicePrincipalCertificate', 'authenticationType'];

const empty = (value: string | null | undefined): boolean => value === null || value === undefined || value === '';

function findKey(params: Params, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(params).find((k) => k.toLowerCase() === lower);
}

function withoutNulls(params: Params): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== null));
}

/** The authorization to store after a PUT. Secrets survive an omitted/null/empty value when the scheme is unchanged. */
export function mergeAuthorization(stored: EndpointAuthorization | null | undefined, incoming: EndpointAuthorization | null | undefined): EndpointAuthorization | undefined {
  if (!incoming) return stored ? structuredClone(stored) : undefined;
  const next: Params = { ...(incoming.parameters ?? {}) };
  const sameScheme = stored?.scheme.toLowerCase() === incoming.scheme.toLowerCase();
  if (stored && sameScheme) {
    for (const [key, value] of Object.entries(stored.parameters ?? {})) {
      const serverOwned = SERVER_OWNED.some((k) => k.toLowerCase() === key.toLowerCase());
      if (!isConfidentialInput(key) && !serverOwned) continue;
      const incomingKey = findKey(next, key);
      if (serverOwned || incomingKey === undefined || empty(next[incomingKey])) {
        if (incomingKey !== undefined) delete next[incomingKey];
        if (value !== null) next[key] = value;
      }
    }
  }
  return { scheme: incoming.scheme, parameters: withoutNulls(next) };
}

/** True when the new authorization carries different service principal credentials than the stored one. */
export function credentialsChanged(stored: EndpointAuthorization | null | undefined, next: EndpointAuthorization | undefined): boolean {
  if (!stored || !next) return false;
  if (stored.scheme.toLowerCase() !== next.scheme.toLowerCase()) return true;
  return CREDENTIAL_KEYS.some((key) => {
    const before = lookup(stored.parameters ?? undefined, key) ?? '';
    const after = lookup(next.parameters ?? undefined, key) ?? '';
    return before !== after;
  });
}

export function isAutomatic(data: Record<string, string> | null | undefined): boolean {
  return (lookup(data ?? undefined, 'creationMode') ?? '').toLowerCase() === 'automatic';
}

/**
 * Applies the Automatic/Manual rule and returns the data to store. Throws 400 when an Automatic connection would
 * get new credentials; drops the keys only Azure DevOps' own app registration uses once the connection is Manual.
 */
export function dataAfterUpdate(
  storedData: Record<string, string> | null | undefined,
  incomingData: Record<string, string>,
  credentialChange: boolean,
): Record<string, string> {
  if (isAutomatic(storedData) && isAutomatic(incomingData) && credentialChange) {
    throw serviceEndpointError(
      'The credentials of a service connection created with creationMode Automatic are managed by Azure DevOps and cannot be updated. Set data.creationMode to Manual to supply your own service principal credentials.',
    );
  }
  if (isAutomatic(incomingData)) return { ...incomingData };
  const automaticOnly = new Set<string>(PROVISIONED_DATA_KEYS.map((k) => k.toLowerCase()));
  return Object.fromEntries(Object.entries(incomingData).filter(([key]) => !automaticOnly.has(key.toLowerCase())));
}
