import type { ApprovalPerson } from '../domain/approval';
import type { Place, Principal } from '../domain/policy';
import type { Tap } from './types';

/** Who, as recorded: id, name and Entra object id only (nothing else the client sent). */
export function person(user: ApprovalPerson): ApprovalPerson {
  return { id: user.id, name: user.name, ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}) };
}

export function principal(user: ApprovalPerson & { groups?: readonly string[] }): Principal {
  return { ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}), name: user.name, groups: user.groups ?? [] };
}

export function place(tap: Tap): Place {
  return { conversationId: tap.conversation.id, ...(tap.conversation.tenantId ? { tenantId: tap.conversation.tenantId } : {}) };
}
