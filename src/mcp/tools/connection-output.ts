/**
 * One connection as data for an agent (show_connection): what the detail card shows, as fields instead of markdown.
 * Built from the redacted endpoint only, and the failure message Azure DevOps wrote is scrubbed of the connection's
 * own secret values before it is cut: the same two guards as the card (src/cards/connection-detail-view.ts).
 */
import { z } from 'zod';
import { visibleText } from '../../cards/outside-text';
import { daysUntilAutoDisable, disabledBy, disabledByText } from '../../domain/disable';
import {
  authScheme, connectionState, creationMode, federationIssuer, isSharedEndpoint, readKey, usesRetiringIssuer, type ExecutionRecord, type ServiceEndpoint,
} from '../../domain/endpoint';
import { isSecretParameter, redactEndpoint, scrubText, secretValuesOf } from '../../domain/redaction';

const FAILURE_MAX = 1_200;
const FIELD_MAX = 300;

export const connectionDetailShape = {
  id: z.string(),
  name: z.string(),
  project: z.string(),
  type: z.string(),
  url: z.string().optional(),
  scheme: z.string(),
  state: z.string().describe('Ready, Failed, InProgress or NotReady.'),
  failure: z.string().optional().describe('Why it failed, as Azure DevOps says (cut to 1,200 characters).'),
  creationMode: z.string().optional(),
  authenticationType: z.string().optional(),
  tenantId: z.string().optional(),
  clientId: z.string().optional().describe('The service principal\'s app (client) id; never a secret.'),
  scope: z.string().optional(),
  subscription: z.string().optional(),
  issuer: z.string().optional().describe('Workload identity federation issuer.'),
  subject: z.string().optional().describe('Workload identity federation subject.'),
  usesRetiringIssuer: z.boolean().describe('Federated through the Azure DevOps issuer, which stops issuing on 2027-07-01.'),
  outdated: z.boolean(),
  disabled: z.boolean(),
  disabledBy: z.string().optional(),
  daysUntilAutoDisable: z.number().int().optional().describe('Days until Azure DevOps disables it for 100 days without use.'),
  revertDeadline: z.string().optional().describe('Until when a conversion to federation can be reverted.'),
  sharedWith: z.array(z.object({ project: z.string(), name: z.string() })),
  created: z.string().optional(),
  recentRuns: z.array(z.object({ result: z.string(), pipeline: z.string(), at: z.string().optional() })),
};

type Detail = z.infer<z.ZodObject<typeof connectionDetailShape>>;

const iso = (value: unknown): string | undefined => {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** Strings from Azure DevOps: hidden and look-alike characters shown, cut; absent when empty. */
const field = (value: string | null | undefined, max = FIELD_MAX): string | undefined => (value ? visibleText(value, max) : undefined);

export function connectionDetail(endpoint: ServiceEndpoint, project: string, runs: readonly ExecutionRecord[], now: Date): Detail {
  const e = redactEndpoint(endpoint);
  const param = (key: string) => (isSecretParameter(key) ? undefined : field(readKey(e.authorization?.parameters ?? undefined, key)));
  const data = (key: string) => field(readKey(e.data ?? undefined, key));
  const state = connectionState(e);
  const newest = runs[0] ? runs[0].finishTime ?? runs[0].startTime : undefined;
  const failure = state === 'Failed' ? field(scrubText(String(e.operationStatus?.statusMessage ?? ''), secretValuesOf(endpoint)), FAILURE_MAX) : undefined;
  const optional = {
    url: field(e.url), failure, creationMode: creationMode(e), authenticationType: param('authenticationType'), tenantId: param('tenantid'),
    clientId: param('serviceprincipalid'), scope: param('scope'), subscription: data('subscriptionName') ?? data('subscriptionId'),
    issuer: field(federationIssuer(e)), subject: param('workloadIdentityFederationSubject'), revertDeadline: iso(readKey(e.data ?? undefined, 'revertSchemeDeadline')),
    created: iso(e.creationDate), disabledBy: e.isDisabled ? disabledByText(disabledBy(e, newest, now)) : undefined,
    daysUntilAutoDisable: e.isDisabled ? undefined : daysUntilAutoDisable(e, newest, now),
  };
  return {
    id: e.id, name: visibleText(e.name, FIELD_MAX), project, type: visibleText(e.type, FIELD_MAX), scheme: authScheme(e), state,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    usesRetiringIssuer: usesRetiringIssuer(e), outdated: e.isOutdated === true, disabled: e.isDisabled === true,
    sharedWith: isSharedEndpoint(e) ? (e.serviceEndpointProjectReferences ?? []).map((r) => ({ project: r.projectReference.name ?? r.projectReference.id, name: r.name ?? e.name })) : [],
    recentRuns: runs.map((r) => ({ result: String(r.result ?? 'unknown'), pipeline: visibleText(r.definitionName ?? 'unnamed pipeline', FIELD_MAX), ...(iso(r.finishTime ?? r.startTime) ? { at: iso(r.finishTime ?? r.startTime) } : {}) })),
  };
}
