/**
 * Ids people quote (a plan id on a card, a reference id in an error reply, an audit event id): a letter, a dash and
 * characters without look-alikes (0/O, 1/I/L), random enough that two instances never make the same one.
 */
import { randomBytes } from 'node:crypto';
import { annotateActiveSpan } from './telemetry/otel-telemetry';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** `length` random characters of the quotable alphabet. */
export function quotableChars(length = 8): string {
  return [...randomBytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** A plan id a user can quote: "P-" and 8 characters. */
export const newPlanId = (): string => `P-${quotableChars()}`;

/**
 * A short id a user can quote and an operator can find in the logs, e.g. "R-7K2M9QXD". It is also recorded on the
 * span it is handed out in (the turn, or the plan item that failed), so the quote leads to the trace as well.
 */
export function newReferenceId(): string {
  const referenceId = `R-${quotableChars()}`;
  annotateActiveSpan({ referenceId });
  return referenceId;
}

let sequence = 0;

/**
 * "E-" + a per-process counter (so ids of one millisecond sort in the order they were made) + 8 random
 * characters (so two instances never make the same id).
 */
export function newAuditId(): string {
  sequence += 1;
  return `E-${sequence.toString(36).toUpperCase().padStart(8, '0')}${quotableChars()}`;
}
