/**
 * The wire of the portal's "Verify" (endpointproxy, ServiceEndpointRequest → ServiceEndpointRequestResult).
 *
 * OBSERVED / INFERRED: the route and the result's shape are in the 7.2 spec (azure-devops-api facts §2 op 13: HTTP
 * 200 even when the check failed, the verdict in `statusCode`), but which data source Verify runs is not documented:
 * `TestConnection` is what a community script that reproduces the Verify button sends [obs], and reading
 * `statusCode` "ok" (case-insensitive) as success is [infer]. Only this file and AzureDevOpsServiceEndpoints.verify
 * know it.
 */
import type { Verification } from './connection-verification.port';

export const VERIFY_API_VERSION = '7.2-preview.1';
export const VERIFY_DATA_SOURCE = 'TestConnection';

export function verifyRequestBody(): Record<string, unknown> {
  return {
    dataSourceDetails: { dataSourceName: VERIFY_DATA_SOURCE, dataSourceUrl: '', headers: null, resourceUrl: '', requestContent: null, requestVerb: null, parameters: null, resultSelector: '', initialContextTemplate: '' },
    resultTransformationDetails: { callbackContextTemplate: '', callbackRequiredTemplate: '', resultTemplate: '' },
  };
}

const MESSAGE_MAX = 300;

export function readVerification(body: unknown): Verification {
  const answer = (body && typeof body === 'object' ? body : {}) as { statusCode?: unknown; errorMessage?: unknown };
  if (String(answer.statusCode ?? '').toLowerCase() === 'ok') return { ok: true };
  const message = typeof answer.errorMessage === 'string' && answer.errorMessage.trim() ? answer.errorMessage.trim().slice(0, MESSAGE_MAX) : `Azure DevOps answered ${String(answer.statusCode ?? 'no status')}`;
  return { ok: false, message };
}
