import { TaskCancelledError } from 'cockatiel';
import { AppError, isAppError, statusOf, type ErrorCode } from '../domain/errors';

/**
 * Turning azure-devops-node-api failures into AppError codes, and deciding which failures are worth another try.
 * Everything here reads the HTTP status or the Node error code, never the message text: the client builds its
 * message from whatever the body holds (JSON message, an HTML page, "Failed request: (503)").
 */

/** Thrown from the response observer when a 2xx answer is the HTML sign-in page (facts §5: expired/invalid token). */
export class SignInPageError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number) {
    super(`Azure DevOps answered HTTP ${statusCode} with a sign-in page`);
    this.name = 'SignInPageError';
    this.statusCode = statusCode;
  }
}

/** Socket-level failures where the request may not have reached the service (Node's `code` on the error). */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const GATEWAY_STATUSES = new Set([502, 503, 504]);
const MAX_SERVICE_MESSAGE = 500;

interface ClientErrorShape {
  statusCode?: unknown;
  code?: unknown;
  result?: { message?: unknown } | null;
  responseHeaders?: Record<string, unknown> | null;
  rateLimit?: { retryAfter?: unknown; delay?: unknown } | null;
}

function shape(error: unknown): ClientErrorShape {
  return typeof error === 'object' && error !== null ? (error as ClientErrorShape) : {};
}

export function isNetworkError(error: unknown): boolean {
  const code = shape(error).code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

function seconds(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The wait the service asked for (Retry-After, else X-RateLimit-Delay), in ms, from the failed response. */
export function retryAfterMsOf(error: unknown): number | undefined {
  const { responseHeaders, rateLimit } = shape(error);
  const s = seconds(responseHeaders?.['retry-after']) ?? seconds(rateLimit?.retryAfter)
    ?? seconds(responseHeaders?.['x-ratelimit-delay']) ?? seconds(rateLimit?.delay);
  return s === undefined ? undefined : Math.round(s * 1000);
}

/**
 * Whether another attempt is safe and useful. A 429 means the service did not process the request, so any verb
 * may be retried; gateway errors and resets may have been processed, so only idempotent calls are retried.
 * Timeouts are not retried: the caller asked for an answer within requestTimeoutMs.
 */
export function isRetryable(error: unknown, idempotent: boolean, maxRetryAfterMs: number): boolean {
  if (isAppError(error) || error instanceof TaskCancelledError || error instanceof SignInPageError) return false;
  const status = statusOf(error);
  if (status === 429) return (retryAfterMsOf(error) ?? 0) <= maxRetryAfterMs;
  if (status !== undefined) return idempotent && GATEWAY_STATUSES.has(status);
  return idempotent && isNetworkError(error);
}

/** The service's own message (JSON `message`), which is the useful part of a 400/409; never the raw body. */
function serviceMessage(error: unknown): string | undefined {
  const message = shape(error).result?.message;
  return typeof message === 'string' && message.trim() ? message.trim().slice(0, MAX_SERVICE_MESSAGE) : undefined;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 203) return 'DEVOPS.UNAUTHORIZED';
  if (status === 403) return 'DEVOPS.FORBIDDEN';
  if (status === 404) return 'DEVOPS.NOT_FOUND';
  if (status === 409) return 'DEVOPS.CONFLICT';
  if (status === 429) return 'DEVOPS.THROTTLED';
  if (status >= 500) return 'DEVOPS.UNAVAILABLE';
  return 'DEVOPS.BAD_REQUEST';
}

function fromStatus(error: unknown, status: number, operation: string): AppError {
  const code = codeForStatus(status);
  const detail = code === 'DEVOPS.BAD_REQUEST' || code === 'DEVOPS.CONFLICT' ? serviceMessage(error) : undefined;
  const base = `Azure DevOps answered HTTP ${status} while ${operation}`;
  return new AppError(code, detail ? `${base}: ${detail}` : base, {
    status,
    retryAfterMs: code === 'DEVOPS.THROTTLED' ? retryAfterMsOf(error) : undefined,
  });
}

/** The one place a client failure becomes a typed error. The cause is kept out: it may carry request bodies. */
export function toAppError(error: unknown, operation: string, timeoutMs: number): AppError {
  if (isAppError(error)) return error;
  if (error instanceof TaskCancelledError) {
    return new AppError('DEVOPS.TIMEOUT', `Azure DevOps did not answer within ${timeoutMs} ms while ${operation}`);
  }
  if (error instanceof SignInPageError) {
    return new AppError('DEVOPS.UNAUTHORIZED', `Azure DevOps rejected the credentials while ${operation} (sign-in page)`, { status: error.statusCode });
  }
  const status = statusOf(error);
  if (status !== undefined) return fromStatus(error, status, operation);
  if (isNetworkError(error)) {
    return new AppError('DEVOPS.UNAVAILABLE', `Azure DevOps could not be reached while ${operation} (${String(shape(error).code)})`);
  }
  // A programming error stays INTERNAL; anything else (unknown resource area, unexpected shape) means the
  // service did not answer as an Azure DevOps organization does.
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) {
    return new AppError('INTERNAL', `Unexpected failure while ${operation}`);
  }
  return new AppError('DEVOPS.UNAVAILABLE', `Azure DevOps did not answer as expected while ${operation}`);
}
