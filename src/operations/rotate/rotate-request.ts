/** The PUT request of a rotation and what its failure means: the value lives only in that request. */
import type { ServiceEndpoint } from '../../domain/endpoint';
import { AppError } from '../../domain/errors';
import type { SecretPlan } from '../../domain/plan';
import { setParams } from '../../domain/planning';
import { scrubText } from '../../domain/redaction';
import { failed, type StepOutcome } from '../../execution/step';

/** A timeout or a dropped connection after the request went out: the service may have applied it. */
export function mayHaveApplied(error: unknown): error is AppError {
  return error instanceof AppError && (error.code === 'DEVOPS.TIMEOUT' || (error.code === 'DEVOPS.UNAVAILABLE' && error.status === undefined));
}

export function keptAfterUnclearUpdate(error: AppError, keyId: string | undefined): StepOutcome {
  return failed({ kind: 'update-uncertain', ...(keyId ? { keptKeyId: keyId } : {}) }, error.code);
}

export function appIdOf(plan: SecretPlan): string | undefined {
  return plan.source === 'graph' ? plan.appId : undefined;
}

/** The planned connection with the secret set; this object lives only for the PUT request. */
export function withSecret(after: ServiceEndpoint, value: string): ServiceEndpoint {
  const authorization = after.authorization ?? { scheme: 'ServicePrincipal', parameters: {} };
  return { ...after, authorization: { ...authorization, parameters: setParams(authorization.parameters, { serviceprincipalkey: value, authenticationType: 'spnKey' }) } };
}

/** An error that might quote the request body loses the value before anyone logs or stores it. */
export function scrubbed(error: unknown, value: string): unknown {
  if (!(error instanceof Error) || !error.message.includes(value)) return error;
  if (error instanceof AppError) return new AppError(error.code, scrubText(error.message, [value]), { status: error.status, retryAfterMs: error.retryAfterMs });
  return new Error(scrubText(error.message, [value]));
}
