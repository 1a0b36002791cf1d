import type { AuditActor, AuditMeta } from '../domain/audit';
import type { Clock } from '../domain/time';
import { newAuditId } from '../ids';

export { newAuditId };

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
