import { isRestError } from '@azure/core-rest-pipeline';
import { AppError, isAppError } from '../domain/errors';

/** Graph's error envelope code (e.g. Authorization_RequestDenied), when the body has one. */
export function graphCodeOf(bodyText: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(bodyText ?? '') as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}

function retryAfterMs(header: string | undefined): number | undefined {
  const seconds = Number(header);
  return header !== undefined && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/**
 * A non-2xx Graph reply as an AppError, classified by status (never by message). The message names the operation,
 * the status and Graph's error code only: Graph messages are not ours to forward and bodies may echo input.
 */
export function graphError(operation: string, status: number, bodyText: string | undefined, retryAfter?: string): AppError {
  const detail = `${operation}: Graph answered ${status}${graphCodeOf(bodyText) ? ` ${graphCodeOf(bodyText)}` : ''}.`;
  if (status === 401) return new AppError('IDENTITY.UNAVAILABLE', `${detail} The bot's Graph token was refused.`, { status });
  if (status === 403) return new AppError('GRAPH.FORBIDDEN', `${detail} The bot must own the app registration.`, { status });
  if (status === 404) return new AppError('GRAPH.NOT_FOUND', detail, { status });
  if (status === 429 || status >= 500) return new AppError('GRAPH.UNAVAILABLE', detail, { status, retryAfterMs: retryAfterMs(retryAfter) });
  // 400/409 from a request we built is our bug, not the user's.
  return new AppError('INTERNAL', detail, { status });
}

/** A failure before any reply (DNS, refused, TLS, timeout) or a token failure, as an AppError. */
export function graphTransportError(operation: string, error: unknown): AppError {
  if (isAppError(error)) return error;
  const code = isRestError(error) && error.code ? ` (${error.code})` : '';
  return new AppError('GRAPH.UNAVAILABLE', `${operation}: Microsoft Graph could not be reached${code}.`, { cause: error });
}
