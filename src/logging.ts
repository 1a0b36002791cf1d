import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs. Secret-bearing fields are censored by path as a second line of defence: code must
 * not log secrets in the first place (tests scan every log line for seeded secret values).
 */
export const REDACTED_LOG_PATHS = [
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'parameters', '*.parameters', 'secret', '*.secret', 'secretText', '*.secretText', 'password', '*.password',
  'token', '*.token', 'accessToken', '*.accessToken', 'clientSecret', '*.clientSecret',
];

export interface LoggerOptions {
  level?: string;
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'scbot' },
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      // Errors are logged by code and message only: stacks and causes may carry request bodies.
      serializers: { err: (e: { name?: string; code?: string; message?: string; status?: number }) => ({ name: e?.name, code: e?.code, message: e?.message, status: e?.status }) },
    },
    options.destination,
  );
}
