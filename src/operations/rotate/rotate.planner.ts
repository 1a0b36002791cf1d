/**
 * rotate (seed 000): give a ServicePrincipal + secret connection a new secret. Automatic connections are flipped
 * to Manual with the automatic-only keys dropped, exactly as the procedure does by hand, because the service
 * refuses a credential change on a connection it manages itself.
 */
import { authScheme, connectionState, creationMode, readKey } from '../../domain/endpoint';
import type { Plan, PlannedCall, PlanWarning, SecretPlan } from '../../domain/plan';
import type { RotateItem } from './rotate.payload';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import type { PlanTarget, Refusal } from '../../domain/planning';
import { automaticToManualWarning, DEVOPS_ENDPOINT, NEW_SECRET_PLACEHOLDER, notReadyWarning, recentUseWarning, refusal, safeCopy, setParams, sharedWarning, toManual, confirmReadyCall } from '../../domain/planning';
import { addDays, isoMinute } from '../../domain/time';

export type RotateSource = { kind: 'graph' } | { kind: 'keyvault'; vault: string; secretName: string };

export interface RotateInput {
  id: string;
  command: string;
  now: Date;
  target: PlanTarget;
  source: RotateSource;
  /** Lifetime of a secret the bot creates with Graph. */
  lifetimeDays: number;
  /** How long the previous bot-made secret keeps working after the switch. */
  retireAfterHours: number;
}

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

function secretPlan(input: RotateInput, appId: string): SecretPlan {
  if (input.source.kind === 'keyvault') return { source: 'keyvault', vault: input.source.vault, secretName: input.source.secretName };
  const expiresAt = addDays(input.now, input.lifetimeDays).toISOString();
  return { source: 'graph', appId, expiresAt, displayName: `scbot rotation ${input.now.toISOString().slice(0, 10)}` };
}

function callsFor(input: RotateInput, appId: string, tenantId: string): PlannedCall[] {
  const e = input.target.endpoint;
  const retireAt = isoMinute(new Date(input.now.getTime() + input.retireAfterHours * 3_600_000));
  const manual = creationMode(e) === 'Automatic' ? ', creationMode Manual' : '';
  const calls: PlannedCall[] = [...(input.source.kind === 'graph'
    ? [{ method: 'POST', target: `graph POST /applications(appId='${appId}')/addPassword`, purpose: `Create the new client secret on app ${appId}.` }]
    : [{ method: 'GET', target: `keyvault GET ${input.source.vault}/secrets/${input.source.secretName}`, purpose: 'Read the current version of the Key Vault secret.' }])];
  calls.push(
    { method: 'POST', target: `entra POST /${tenantId}/oauth2/v2.0/token`, purpose: 'Prove the new secret authenticates (client credentials, a few bounded retries for propagation).' },
    { method: 'PUT', target: `devops PUT ${DEVOPS_ENDPOINT}/${e.id}`, purpose: `Replace the connection: new serviceprincipalkey, authenticationType spnKey${manual}.` },
    confirmReadyCall(input.target.project.name, e.id),
  );
  if (input.source.kind === 'graph') {
    calls.push({
      method: 'POST', target: `graph POST /applications(appId='${appId}')/removePassword`,
      purpose: `Retire the previous secret at ${retireAt}, after a ${input.retireAfterHours} h grace period.`, condition: 'if the bot created the previous secret',
    });
  }
  return calls;
}

function warningsFor(input: RotateInput, secret: SecretPlan): PlanWarning[] {
  const e = input.target.endpoint;
  const expiry: PlanWarning = secret.source === 'graph'
    ? { code: 'SECRET_EXPIRY', text: `The new secret expires ${isoMinute(secret.expiresAt)} (${input.lifetimeDays} days): rotate again before then.` }
    : { code: 'SECRET_EXPIRY', text: `The secret's expiry is managed in Key Vault ${secret.vault}: rotate the vault secret and run this again before it expires.` };
  return [
    ...automaticToManualWarning(e, 'to accept a new secret'),
    ...sharedWarning(input.target, 'the new secret applies in every project.'),
    ...recentUseWarning(input.target.history, input.now, 'their next runs use the new secret.'),
    ...notReadyWarning(e),
    expiry,
  ];
}

export function rotateItem(input: RotateInput): RotateItem | Refusal {
  const why = rotateIneligibility(input.target);
  if (why) return refusal(input.target, why);
  const before = safeCopy(input.target.endpoint);
  const params = before.authorization?.parameters ?? {};
  const appId = readKey(params, 'serviceprincipalid') ?? '';
  const tenantId = readKey(params, 'tenantid') ?? 'organizations';
  const manual = toManual(before);
  const after = { ...manual, authorization: { scheme: authScheme(before), parameters: setParams(params, { authenticationType: 'spnKey', serviceprincipalkey: NEW_SECRET_PLACEHOLDER }) } };
  const secret = secretPlan(input, appId);
  return {
    endpointId: before.id, name: before.name, projectId: input.target.project.id, projectName: input.target.project.name,
    before, after, secret, calls: callsFor(input, appId, tenantId), fingerprint: fingerprintEndpoint(input.target.endpoint), warnings: warningsFor(input, secret),
  };
}

export function planRotate(input: RotateInput): Plan<RotateItem> | Refusal {
  const item = rotateItem(input);
  if ('reason' in item) return item;
  return { id: input.id, operation: 'rotate', command: input.command, createdAt: input.now.toISOString(), items: [item], skipped: [], warnings: [] };
}
