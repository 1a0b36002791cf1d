/**
 * The create step's judgements, apart from its calls: which failure stopped it, whether a connection or app found
 * again is this run's own, whether a write was surely refused (so it made nothing), and the issuer and subject a
 * connection names.
 */
import { carriesKey } from './create-connection';
import { isAppError } from '../../domain/errors';
import type { ServiceEndpoint } from '../../domain/endpoint';
import { param } from '../../domain/issuer';
import type { CreateItem, CreatePlan } from './create.payload';
import type { KeyedApp } from '../../azure/federated-identities.port';
import type { CreateProgress, CreateStage } from '../../execution/run-report';

/** A step of the sequence that cannot go on: its stage, and what to tell the user. `keep`: leave the connection be. */
export class StageFailure extends Error {
  constructor(readonly stage: CreateStage, readonly detail?: string, readonly underlying?: unknown, readonly keep = false) {
    super(`create stopped at ${stage}`);
  }
}

/** Adopted only when this run recorded its id, or (its POST answer lost) it carries the run's key. */
export function ownConnection(endpoint: ServiceEndpoint, planId: string, state: CreateProgress): boolean {
  if (state.endpointId) return endpoint.id === state.endpointId;
  return Boolean(state.posting && state.key && carriesKey(endpoint, planId, state.key));
}

/** Whether any write may have reached a service (and clean-up has something to look for). */
export function sentAnything(state: CreateProgress): boolean {
  return Boolean(state.appSent || state.app || state.posting || state.credentialSent || state.roleSent);
}

/**
 * A single write the service refused outright (bad request, unauthorized, forbidden, not found) made nothing. Anything
 * else may have committed — a 5xx, a reset, a timeout, no answer, and a conflict (something of that name exists,
 * perhaps this run's own from before a crash) — so its "sent" mark stays for clean-up.
 */
export function surelyRefused(error: unknown): boolean {
  const cause = error instanceof StageFailure ? error.underlying : error;
  return isAppError(cause) && [400, 401, 403, 404].includes(cause.status ?? 0);
}

/** Why an app found under the run's key is not taken as the bot's own; undefined when it is. */
export function appRefusal(app: KeyedApp, key: string): string | undefined {
  if ((app.key ?? '').toLowerCase() !== key.toLowerCase()) return 'Graph answered with an app that does not carry this run\'s key';
  if (app.signInAudience !== 'AzureADMyOrg') return `app registration ${app.appId} is not single-tenant (${app.signInAudience || 'no audience'}), so I do not use it`;
  if (!app.ownedByCallerAlone) return `app registration ${app.appId} is not owned by the bot alone, so I do not use it`;
  return undefined;
}

/** The issuer and subject the service named; never created for an issuer other than the tenant's Entra one. */
export function federationOf(plan: CreatePlan, endpoint: ServiceEndpoint): { issuer: string; subject: string } {
  const issuer = param(endpoint, 'workloadIdentityFederationIssuer') ?? '';
  const subject = param(endpoint, 'workloadIdentityFederationSubject') ?? '';
  if (!subject) throw new StageFailure('issuer', 'Azure DevOps named no federation subject');
  if (issuer.toLowerCase() !== plan.credential.issuer.toLowerCase()) throw new StageFailure('issuer', `Azure DevOps named the issuer ${issuer || '(none)'}, not ${plan.credential.issuer}`);
  return { issuer, subject };
}

export function createOf(item: CreateItem): CreatePlan {
  if (!item.create) throw new Error(`plan item ${item.endpointId} has no connection to create`);
  return item.create;
}
