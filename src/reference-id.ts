import { randomBytes } from 'node:crypto';

/** A short id a user can quote and an operator can find in the logs, e.g. "R-7K2M9QXD". */
export function newReferenceId(): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const bytes = randomBytes(8);
  let id = '';
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return `R-${id}`;
}
