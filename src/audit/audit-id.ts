import { randomBytes } from 'node:crypto';
import type { AuditActor, AuditMeta } from '../domain/audit';
import type { Clock } from '../domain/clock';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
let sequence = 0;

/**
 * "E-" + a per-process counter (so ids of one millisecond sort in the order they were made) + 8 random
 * characters (so two instances never make the same id).
 */
export function newAuditId(): string {
  sequence += 1;
  const random = [...randomBytes(8)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `E-${sequence.toString(36).toUpperCase().padStart(8, '0')}${random}`;
}

export interface AuditSource {
  clock: Clock;
  user: AuditActor;
  conversation: { id: string; type: string };
  correlationId?: string;
}

/** Who, when and where for an event recorded now, from a command's (or an invoke's) context. */
export function auditMetaFrom(source: AuditSource): AuditMeta {
  return {
    id: newAuditId(), at: source.clock.now(), actor: source.user, conversation: source.conversation,
    correlationId: source.correlationId ?? newAuditId().replace(/^E-/, 'C-'),
  };
}
