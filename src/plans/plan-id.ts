import { randomBytes } from 'node:crypto';

/** A plan id a user can quote: "P-" and 8 characters without look-alikes (0/O, 1/I/L). */
export function newPlanId(): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  return `P-${[...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}
