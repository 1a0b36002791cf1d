/**
 * Which Entra groups a user belongs to, for policies that name groups (SCBOT_REQUESTER_GROUPS, SCBOT_APPROVER_GROUPS).
 */
export interface MembershipSource {
  /**
   * Object ids of every group the user is a member of, transitively (nested groups included). A user the
   * directory does not know belongs to no group. Rejects with an AppError (GRAPH.*) when the directory cannot answer:
   * callers fail closed.
   */
  groupsOf(aadObjectId: string): Promise<string[]>;
}
