/**
 * Stable error codes. Adapters throw AppError with one of these; one translator turns codes into chat text.
 * Never classify an error by its message text.
 */
export const ERROR_CODES = [
  'DEVOPS.THROTTLED',
  'DEVOPS.UNAUTHORIZED',
  'DEVOPS.FORBIDDEN',
  'DEVOPS.NOT_FOUND',
  'DEVOPS.CONFLICT',
  'DEVOPS.BAD_REQUEST',
  'DEVOPS.UNAVAILABLE',
  'DEVOPS.TIMEOUT',
  'IDENTITY.UNAVAILABLE',
  'CONFIG.INVALID',
  'GRAPH.FORBIDDEN',
  'GRAPH.NOT_FOUND',
  'GRAPH.UNAVAILABLE',
  'ARM.FORBIDDEN',
  'ARM.NOT_FOUND',
  'ARM.UNAVAILABLE',
  'VAULT.NOT_FOUND',
  'VAULT.FORBIDDEN',
  'VAULT.UNAVAILABLE',
  'SECRET.NOT_VERIFIED',
  'TEAMS.THROTTLED',
  'TEAMS.REFUSED',
  'TEAMS.UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorOptions {
  cause?: unknown;
  status?: number;
  retryAfterMs?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * The HTTP status an error carries: an AppError's `status`, or, before an adapter has typed it, the numeric
 * `statusCode` client libraries put on their errors (azure-devops-node-api, @azure/core's RestError, the Bot
 * Connector). The one reading of a status for retries, 404/409 handling and counters; never taken from message text.
 */
export function statusOf(error: unknown): number | undefined {
  if (isAppError(error)) return error.status;
  const status = typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
}

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** The stable code of anything thrown: an AppError's own, INTERNAL for everything else (never read from message text). */
export function errorCodeOf(error: unknown): ErrorCode {
  return isAppError(error) ? error.code : 'INTERNAL';
}
