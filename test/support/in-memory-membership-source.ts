import type { MembershipSource } from '../../src/policy/membership-source.port';

/** A hand-written fake for tests: user object id → transitive group ids, as Graph would answer. */
export class InMemoryMembershipSource implements MembershipSource {
  /** Every id asked for, in order (tests assert a lookup did or did not happen). */
  readonly asked: string[] = [];
  private readonly groups: Map<string, readonly string[]>;

  constructor(groupsByUser: Record<string, readonly string[]> = {}) {
    this.groups = new Map(Object.entries(groupsByUser).map(([user, groups]) => [user.toLowerCase(), groups]));
  }

  groupsOf(aadObjectId: string): Promise<string[]> {
    this.asked.push(aadObjectId);
    return Promise.resolve([...(this.groups.get(aadObjectId.toLowerCase()) ?? [])]);
  }
}
