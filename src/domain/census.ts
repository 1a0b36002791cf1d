/**
 * What the health card counts besides findings, gathered by the radar's scan from what it reads anyway: how the
 * connections sign in (a federated credential has no secret to leak or expire) and when the secrets of the others
 * run out, week by week. Small and fixed in size, whatever the number of connections: it lives in the scan's header.
 */
import { authScheme, type ServiceEndpoint } from './endpoint';
import { lastSecret, usesSecret, type PasswordExpiry } from './findings';

/** Weeks ahead the secret expiries are counted (two months: time to rotate or convert); later ones are not a worry yet. */
export const SECRET_WEEKS = 8;
const WEEK_MS = 7 * 86_400_000;

export interface ConnectionCensus {
  /** Workload identity federation: nothing to rotate, nothing to leak. */
  federated: number;
  /** A service principal with a client secret. */
  secret: number;
  /** Everything else: managed identity, certificate, PAT, basic, other service types. */
  other: number;
  /** Connections with a secret by when their longest-lasting secret ends: [0] already ended, [k] within week k (1…SECRET_WEEKS). */
  secretsByWeek: number[];
}

export function emptyCensus(): ConnectionCensus {
  return { federated: 0, secret: 0, other: 0, secretsByWeek: Array.from({ length: SECRET_WEEKS + 1 }, () => 0) };
}

export function countConnection(census: ConnectionCensus, endpoint: ServiceEndpoint): void {
  if (authScheme(endpoint).toLowerCase() === 'workloadidentityfederation') census.federated += 1;
  else if (usesSecret(endpoint)) census.secret += 1;
  else census.other += 1;
}

/** One connection's secrets, read from its app: counted in the week its last secret ends (if within the weeks counted). */
export function countSecretEnd(census: ConnectionCensus, passwords: readonly PasswordExpiry[], now: Date): void {
  const last = lastSecret(passwords);
  if (!last) return;
  const left = last.end.getTime() - now.getTime();
  const week = left <= 0 ? 0 : Math.ceil(left / WEEK_MS);
  if (week <= SECRET_WEEKS) census.secretsByWeek[week] = (census.secretsByWeek[week] ?? 0) + 1;
}
