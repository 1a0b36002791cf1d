import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { activeTraceFields } from './telemetry/otel-telemetry';

export type { Logger } from 'pino';

/**
 * Structured logs. Secret-bearing fields are censored by path as a second line of defence: code must
 * not log secrets in the first place (tests scan every log line for seeded secret values).
 */
export const REDACTED_LOG_PATHS = [
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'parameters', '*.parameters', 'secret', '*.secret', 'secretText', '*.secretText', 'password', '*.password',
  'token', '*.token', 'accessToken', '*.accessToken', 'clientSecret', '*.clientSecret',
];

export type LogFormat = 'auto' | 'pretty' | 'json';

export interface LoggerOptions {
  level?: string;
  destination?: DestinationStream;
  /** auto (default): readable on a terminal, JSON otherwise; ignored when a destination is given. */
  format?: LogFormat;
  /** Where readable lines go (default stdout). */
  prettyOutput?: NodeJS.WritableStream;
}

/**
 * Readable lines for a person at a terminal: local time, level, message, then the fields. pino-pretty (pinojs,
 * the pino authors' own prettifier) runs in-process as a stream, so the redaction above applies before it.
 */
function prettyStream(output?: NodeJS.WritableStream): DestinationStream {
  return pretty({ colorize: !output && process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app', singleLine: true, sync: true, ...(output ? { destination: output } : {}) });
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'auto';
  const readable = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  const destination = options.destination ?? (readable ? prettyStream(options.prettyOutput) : undefined);
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'scbot' },
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      // trace_id / span_id of the span the line is written in (telemetry on): a log line leads to its trace.
      mixin: activeTraceFields,
      // Errors are logged by code and message only: stacks and causes may carry request bodies.
      serializers: { err: (e: { name?: string; code?: string; message?: string; status?: number }) => ({ name: e?.name, code: e?.code, message: e?.message, status: e?.status }) },
    },
    destination,
  );
}
