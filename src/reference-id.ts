import { randomBytes } from 'node:crypto';
import { annotateActiveSpan } from './telemetry/otel-telemetry';

/**
 * A short id a user can quote and an operator can find in the logs, e.g. "R-7K2M9QXD". It is also recorded on the
 * span it is handed out in (the turn, or the plan item that failed), so the quote leads to the trace as well.
 */
export function newReferenceId(): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const bytes = randomBytes(8);
  let id = '';
  for (const b of bytes) id += alphabet[b % alphabet.length];
  const referenceId = `R-${id}`;
  annotateActiveSpan({ referenceId });
  return referenceId;
}
