/**
 * migrate issuer / migrate issuer all (connection-lifecycle facts §1): move workload identity federation connections
 * from the retiring Azure DevOps issuer to the Entra issuer. Azure DevOps makes the move; when it cannot create the
 * new federated credential itself (a bot is not a user: facts §1.4), the bot creates it on the app (Graph) or the
 * user-assigned managed identity (ARM) with exactly the issuer and subject the service names, then asks again.
 */
import type { ServiceEndpoint } from '../../domain/endpoint';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import {
  credentialNameFor, daysUntilIssuerRetirement, entraIssuer, FEDERATION_AUDIENCE, federationSubject, issuerMoveIneligibility, param,
  type FederatedIdentity,
} from '../../domain/issuer';
import { federationIssuer } from '../../domain/endpoint';
import type { Plan, PlannedCall, PlanWarning, SkippedConnection } from '../../domain/plan';
import type { IssuerItem, IssuerMovePlan } from './migrate-issuer.payload';
import type { PlanTarget, Refusal } from '../../domain/planning';
import { DEVOPS_ENDPOINT, refusal, safeCopy, setParams, skippedOf } from '../../domain/planning';

export const MIGRATION_CALL = 'devops POST _apis/public/serviceendpoint/externalfederatedcredentialmigration?api-version=7.2-preview.1';
/** Stands in for the subject Azure DevOps assigns during the move; the real one is read from its answer. */
export const NEW_SUBJECT_PLACEHOLDER = '(named by Azure DevOps: …/sc/<organization id>/<connection id>)';

/** One connection as read, with the identity behind it. */
export interface IssuerTarget extends PlanTarget {
  identity: FederatedIdentity;
}

export interface MigrateIssuerInput {
  id: string;
  command: string;
  now: Date;
  targets: readonly IssuerTarget[];
}

function identityOf(identity: FederatedIdentity): IssuerMovePlan['identity'] {
  if (identity.kind === 'app') return { kind: 'app', appId: identity.appId };
  if (identity.kind === 'managed-identity') return { kind: 'managed-identity', clientId: identity.clientId, resourceId: identity.resourceId };
  return { kind: 'unknown', clientId: identity.clientId };
}

export function issuerMoveOf(endpoint: ServiceEndpoint, identity: FederatedIdentity): IssuerMovePlan {
  return {
    oldSubject: federationSubject(endpoint) ?? '', oldIssuer: federationIssuer(endpoint) ?? '', newIssuer: entraIssuer(param(endpoint, 'tenantid') ?? ''),
    audience: FEDERATION_AUDIENCE, credentialName: credentialNameFor(endpoint.id), identity: identityOf(identity),
  };
}

/** What the connection looks like after the move: Entra issuer, the service's subject, issuer type EntraID. */
export function afterMove(endpoint: ServiceEndpoint, move: IssuerMovePlan): ServiceEndpoint {
  const copy = structuredClone(endpoint);
  const parameters = setParams(copy.authorization?.parameters, {
    workloadIdentityFederationIssuer: move.newIssuer, workloadIdentityFederationSubject: NEW_SUBJECT_PLACEHOLDER, workloadIdentityFederationIssuerType: 'EntraID',
  });
  return { ...copy, authorization: { scheme: copy.authorization?.scheme ?? 'WorkloadIdentityFederation', parameters } };
}

function credentialCall(move: IssuerMovePlan): PlannedCall | undefined {
  const condition = 'if Azure DevOps cannot create the new federated credential itself';
  if (move.identity.kind === 'app') {
    return { method: 'POST', target: `graph POST applications(appId='${move.identity.appId}')/federatedIdentityCredentials`, purpose: `Create '${move.credentialName}' on the app registration (see the connection's details).`, condition };
  }
  if (move.identity.kind === 'managed-identity') {
    return { method: 'PUT', target: `arm PUT ${move.identity.resourceId}/federatedIdentityCredentials/${move.credentialName}?api-version=2023-01-31`, purpose: 'Create it on the managed identity (see the connection\'s details).', condition };
  }
  return undefined;
}

function callsFor(target: IssuerTarget, move: IssuerMovePlan): PlannedCall[] {
  const ask: PlannedCall = { method: 'POST', target: MIGRATION_CALL, purpose: `Ask Azure DevOps to move the connection to the Entra issuer (input ${move.oldSubject}).` };
  const credential = credentialCall(move);
  return [
    ask,
    ...(credential ? [credential, { ...ask, purpose: 'Ask again ("Try again"), now that the credential exists.', condition: 'after creating the credential' }] : []),
    { method: 'GET', target: `devops GET ${target.project.name}/${DEVOPS_ENDPOINT}/${target.endpoint.id}`, purpose: 'Verify the connection now names the Entra issuer and is ready.' },
  ];
}

function identityName(move: IssuerMovePlan): string {
  if (move.identity.kind === 'app') return `app ${move.identity.appId}`;
  if (move.identity.kind === 'managed-identity') return `managed identity ${move.identity.resourceId.split('/').pop() ?? move.identity.clientId}`;
  return `identity ${move.identity.clientId}`;
}

function warningsFor(move: IssuerMovePlan): PlanWarning[] {
  const created: PlanWarning[] = move.identity.kind === 'unknown' ? [] : [{
    code: 'NEW_CREDENTIAL',
    text: `If Azure DevOps cannot, the bot adds federated credential '${move.credentialName}': issuer ${move.newIssuer}, audience ${move.audience}, subject exactly as Azure DevOps names it.`,
  }];
  const out: PlanWarning[] = [...created, {
    code: 'OLD_CREDENTIAL_KEPT',
    text: `The old federated credential on ${identityName(move)} (issuer ${move.oldIssuer}, subject ${move.oldSubject}) is left in place; remove it once pipelines run fine on the new issuer.`,
  }];
  if (move.identity.kind === 'unknown') {
    out.push({ code: 'IDENTITY_NOT_VISIBLE', text: `The bot cannot see ${identityName(move)} (no app it can read, no managed identity in the subscription): if Azure DevOps cannot create the credential, the outcome names the issuer, subject and audience for its owner to add.` });
  }
  return out;
}

export function migrateIssuerItem(target: IssuerTarget): IssuerItem | SkippedConnection {
  const why = issuerMoveIneligibility(target.endpoint, target.identity);
  if (why) return skippedOf(target, why);
  const before = safeCopy(target.endpoint);
  const move = issuerMoveOf(before, target.identity);
  return {
    endpointId: before.id, name: before.name, projectId: target.project.id, projectName: target.project.name,
    before, after: afterMove(before, move), issuer: move, calls: callsFor(target, move), fingerprint: fingerprintEndpoint(target.endpoint), warnings: warningsFor(move),
  };
}

const isItem = (x: IssuerItem | SkippedConnection): x is IssuerItem => 'calls' in x;

function retirementWarning(now: Date): PlanWarning {
  return { code: 'ISSUER_RETIRES', text: `The Azure DevOps issuer stops working on 2027-07-01 (${daysUntilIssuerRetirement(now)} days from now); connections still on it fail that day.` };
}

/** `migrate issuer all`: every eligible connection planned, every other one listed with its reason. */
export function planMigrateIssuer(input: MigrateIssuerInput): Plan<IssuerItem> {
  const results = input.targets.map(migrateIssuerItem);
  const items = results.filter(isItem);
  const skipped = results.filter((r): r is SkippedConnection => !isItem(r));
  return { id: input.id, operation: 'migrate-issuer', command: input.command, createdAt: input.now.toISOString(), items, skipped, warnings: [retirementWarning(input.now)] };
}

/** `migrate issuer <name>`: one connection, or a refusal that says why not. */
export function planMigrateIssuerOne(input: Omit<MigrateIssuerInput, 'targets'> & { target: IssuerTarget }): Plan<IssuerItem> | Refusal {
  const why = issuerMoveIneligibility(input.target.endpoint, input.target.identity);
  if (why) return refusal(input.target, `cannot be moved to the Entra issuer: ${why}`);
  return planMigrateIssuer({ ...input, targets: [input.target] });
}

/** True when a connection is worth looking at for `migrate issuer all` (anything federated); the rest is not listed. */
export function isFederated(endpoint: ServiceEndpoint): boolean {
  return (endpoint.authorization?.scheme ?? '').toLowerCase() === 'workloadidentityfederation' || federationIssuer(endpoint) !== undefined;
}
