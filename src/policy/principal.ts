import type { Decision, Place, Principal } from '../domain/policy';
import type { MembershipSource } from './membership-source.port';

/**
 * Decide, looking up group membership only when it can change the answer: the decision without groups was a
 * role denial, the role names groups, and there is a source to ask. Place denials never cost a Graph call.
 * A lookup failure rejects (callers answer with an error: fail closed, never open).
 */
export async function decideWithMembership(
  principal: Principal, roleGroups: readonly string[], membership: MembershipSource | undefined,
  decide: (who: Principal) => Decision,
): Promise<Decision> {
  const first = decide(principal);
  const roleDenial = !first.allowed && (first.code === 'NOT_A_REQUESTER' || first.code === 'NOT_AN_APPROVER');
  if (!roleDenial || roleGroups.length === 0 || !membership || !principal.aadObjectId) return first;
  const groups = await membership.groupsOf(principal.aadObjectId);
  return decide({ ...principal, groups: [...principal.groups, ...groups] });
}

/** The parts of an incoming activity that say who and where (plain data: src/ does not import botbuilder). */
export interface ActivityOrigin {
  from?: { aadObjectId?: string; name?: string };
  conversation?: { id?: string; tenantId?: string };
  channelData?: unknown;
}

/** Who sent the activity, before any group lookup. */
export function principalOf(activity: ActivityOrigin): Principal {
  return { ...(activity.from?.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}), ...(activity.from?.name ? { name: activity.from.name } : {}), groups: [] };
}

/**
 * Where the activity came from. Teams puts the tenant in channelData.tenant.id and conversation.tenantId; when both
 * are present and disagree the activity names no tenant (so a tenant allow-list refuses it).
 */
export function placeOf(activity: ActivityOrigin): Place {
  const channelTenant = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const fromChannel = typeof channelTenant === 'string' && channelTenant ? channelTenant : undefined;
  const fromConversation = activity.conversation?.tenantId || undefined;
  const conflict = fromChannel && fromConversation && fromChannel.toLowerCase() !== fromConversation.toLowerCase();
  const tenantId = conflict ? undefined : fromChannel ?? fromConversation;
  return { conversationId: activity.conversation?.id ?? 'unknown', ...(tenantId ? { tenantId } : {}) };
}
