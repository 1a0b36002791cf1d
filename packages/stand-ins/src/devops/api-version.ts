/**
 * api-version handling (facts §1): the version comes from `?api-version=` or the Accept header
 * (`application/json;api-version=7.2-preview.4`, which is all the node client sends). Writes without a version
 * and versions newer than the server are refused with the VSS errors the real service returns.
 */
import { VssError } from './vss-error';

export const MAX_VERSION = 7.2;
export const RELEASED_VERSION = 7.1;
const MIN_VERSION = 1.0;
const VERSION_PATTERN = /^(\d+(?:\.\d+)?)(-preview(?:\.(\d+))?)?$/i;

export interface ApiVersion {
  raw: string;
  version: number;
  preview: boolean;
  resourceVersion?: number;
}

export function requestedVersion(query: URLSearchParams, accept: string | undefined): string | undefined {
  const fromQuery = query.get('api-version');
  if (fromQuery) return fromQuery.trim();
  const match = /api-version\s*=\s*([^;,\s]+)/i.exec(accept ?? '');
  return match?.[1];
}

/** Validates the version; returns undefined for a GET/OPTIONS that named none (the service picks a default). */
export function checkApiVersion(method: string, raw: string | undefined): ApiVersion | undefined {
  if (!raw) {
    if (method === 'GET' || method === 'OPTIONS' || method === 'HEAD') return undefined;
    throw new VssError(400, 'VssVersionNotSpecifiedException',
      `No api-version was supplied for the "${method}" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. "?api-version=1.0").`,
      3000, 'Microsoft.VisualStudio.Services.WebApi.VssVersionNotSpecifiedException, Microsoft.VisualStudio.Services.WebApi');
  }
  const match = VERSION_PATTERN.exec(raw);
  if (!match?.[1]) {
    throw new VssError(400, 'VssInvalidApiVersionException', `The api-version '${raw}' is not valid.`, 3000,
      'Microsoft.VisualStudio.Services.WebApi.VssInvalidApiVersionException, Microsoft.VisualStudio.Services.WebApi');
  }
  const version = Number(match[1]);
  if (version > MAX_VERSION || version < MIN_VERSION) {
    throw new VssError(400, 'VssVersionOutOfRangeException',
      `The requested REST API version of ${match[1]} is out of range for this server. The latest REST API version this server supports is ${MAX_VERSION}.`,
      3000, 'Microsoft.VisualStudio.Services.WebApi.VssVersionOutOfRangeException, Microsoft.VisualStudio.Services.WebApi');
  }
  const preview = Boolean(match[2]);
  if (version > RELEASED_VERSION && !preview) {
    throw new VssError(400, 'VssInvalidPreviewVersionException',
      `The requested version "${raw}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${raw}-preview"`,
      3000, 'Microsoft.VisualStudio.Services.WebApi.VssInvalidPreviewVersionException, Microsoft.VisualStudio.Services.WebApi');
  }
  return { raw, version, preview, ...(match[3] ? { resourceVersion: Number(match[3]) } : {}) };
}
