import { describe, expect, it } from 'vitest';
import type { MembershipSource } from '../../src/policy/membership-source.port';

/**
 * The MembershipSource contract: one directory, every implementation (the in-memory fake and the Graph adapter
 * against the Graph stand-in). Group order is not part of the contract.
 */
export const DIRECTORY = {
  users: {
    requester: '00000000-0000-4000-8000-0000000000d1',
    approver: '00000000-0000-4000-8000-0000000000b2',
    nestedApprover: '00000000-0000-4000-8000-0000000000c3',
    loner: '00000000-0000-4000-8000-0000000000e4',
  },
  groups: {
    approvers: 'a7000000-0000-4000-8000-0000000000a1',
    leads: 'a7000000-0000-4000-8000-0000000000a2',
    requesters: 'a7000000-0000-4000-8000-0000000000a3',
    mailList: 'a7000000-0000-4000-8000-0000000000a4',
  },
} as const;

const { users: U, groups: G } = DIRECTORY;

/** The seed sections for the Graph stand-in: leads is nested in approvers; the mail list is not security-enabled. */
export const directorySeed = {
  users: Object.entries(U).map(([name, id]) => ({ id, displayName: name })),
  groups: [
    { id: G.approvers, displayName: 'scbot-approvers', members: [U.approver, G.leads] },
    { id: G.leads, displayName: 'platform-leads', members: [U.nestedApprover] },
    { id: G.requesters, displayName: 'scbot-requesters', members: [U.requester] },
    { id: G.mailList, displayName: 'all-staff', securityEnabled: false, members: [U.requester, U.approver] },
  ],
};

/** What Graph's getMemberGroups answers for the directory above (securityEnabledOnly: false). */
export const expectedGroups: Record<string, string[]> = {
  [U.requester]: [G.requesters, G.mailList],
  [U.approver]: [G.approvers, G.mailList],
  [U.nestedApprover]: [G.leads, G.approvers],
  [U.loner]: [],
};

export function describeMembershipContract(name: string, makeSubject: () => MembershipSource): void {
  describe(`MembershipSource contract: ${name}`, () => {
    it.each(Object.entries(expectedGroups))('answers the transitive groups of %s', async (user, groups) => {
      expect((await makeSubject().groupsOf(user)).sort()).toEqual([...groups].sort());
    });

    it('matches the object id case-insensitively', async () => {
      expect((await makeSubject().groupsOf(U.approver.toUpperCase())).sort()).toEqual([...expectedGroups[U.approver] ?? []].sort());
    });

    it('answers no groups for a user the directory does not know', async () => {
      expect(await makeSubject().groupsOf('00000000-0000-4000-8000-0000000000ff')).toEqual([]);
    });

    it('answers no groups for an id that is not a GUID, without trouble', async () => {
      expect(await makeSubject().groupsOf("x'/../applications")).toEqual([]);
    });
  });
}
