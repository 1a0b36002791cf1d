/**
 * rotate (seed 000): give a ServicePrincipal + secret connection a new secret. Automatic connections are flipped
 * to Manual with the automatic-only keys dropped, exactly as the procedure does by hand, because the service
 * refuses a credential change on a connection it manages itself.
 */
import { authScheme, creationMode, readKey } from '../../domain/endpoint';
import type { Plan, PlannedCall, PlanWarning, SecretPlan } from '../../domain/plan';
import type { RotateItem } from './rotate.payload';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import type { PlanTarget, Refusal } from '../../domain/planning';
import { automaticToManualWarning, DEVOPS_ENDPOINT, NEW_SECRET_PLACEHOLDER, notReadyWarning, recentUseWarning, refusal, safeCopy, setParams, sharedWarning, toManual, confirmReadyCall } from '../../domain/planning';
import { addDays, isoMinute } from '../../domain/time';
import { rotateIneligibility } from '../../domain/rotation-eligibility';

export { rotateIneligibility };

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
