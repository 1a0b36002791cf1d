/**
 * Why a connection failed, in a person's words, and the fix that fits: the list of failed connections gives each row
 * its reason and one button. Azure DevOps keeps the failure as a message; the part that decides is Entra's stable
 * AADSTS number in it (as src/azure/trust-agent.ts reads it), never the wording around it.
 */
import { safeStatus, usesSecret } from './findings';
import { isFailed, type ServiceEndpoint } from './endpoint';
import { rotateIneligibility } from './rotation-eligibility';

/** Entra refused the client secret: expired (7000222) or not one of the app's (7000215). A new secret fixes both. */
const SECRET_REFUSED: Readonly<Record<string, string>> = {
  AADSTS7000222: 'Its client secret has expired: a new secret fixes it.',
  AADSTS7000215: 'Entra refuses its client secret (wrong or deleted): a new secret fixes it.',
};

export interface FailureFix {
  /** What went wrong: plainly when the message says it in a way we know, else the message itself (cut at a word). */
  reason: string;
  /** `rotate` when a new secret is the fix and the rotate planner accepts the connection; otherwise `delete`. */
  fix: 'rotate' | 'delete';
}

export function failureFix(endpoint: ServiceEndpoint, project: string): FailureFix | undefined {
  if (!isFailed(endpoint)) return undefined;
  const code = /AADSTS\d+/.exec(String(endpoint.operationStatus?.statusMessage ?? ''))?.[0];
  const plain = code === undefined ? undefined : SECRET_REFUSED[code];
  const rotatable = usesSecret(endpoint) && rotateIneligibility({ endpoint, project: { id: '', name: project }, history: [] }) === undefined;
  if (plain !== undefined && rotatable) return { reason: plain, fix: 'rotate' };
  return { reason: safeStatus(endpoint) || 'Azure DevOps gives no reason.', fix: 'delete' };
}
