import { describe, expect, it } from 'vitest';
import { DENY_ALL_POLICY, mayApprove, type PolicyConfig, type Principal } from '../../src/domain/policy';
import { CachingMembershipSource, decideWithMembership, placeOf, principalOf } from '../../src/policy/index';
import { InMemoryMembershipSource } from '../support/in-memory-membership-source';
import type { MembershipSource } from '../../src/policy/membership-source.port';
import { ManualClock } from '@scbot/stand-ins/test-kit';

const USER = '00000000-0000-4000-8000-0000000000b2';
const GROUP = 'a7000000-0000-4000-8000-0000000000a1';

const clock = (start = 0): ManualClock => new ManualClock(new Date(start));

/** Counts calls and lets the test decide when (and how) each one settles. */
class ControlledSource implements MembershipSource {
  calls = 0;
  private pending: Array<{ resolve: (g: string[]) => void; reject: (e: unknown) => void }> = [];
  groupsOf(): Promise<string[]> {
    this.calls += 1;
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  settle(groups: string[] | Error): void {
    for (const p of this.pending.splice(0)) {
      if (groups instanceof Error) p.reject(groups);
      else p.resolve(groups);
    }
  }
}

describe('CachingMembershipSource', () => {
  it('reuses an answer within the TTL and asks again after it', async () => {
    const inner = new InMemoryMembershipSource({ [USER]: [GROUP] });
    const time = clock();
    const cache = new CachingMembershipSource(inner, time, 60_000);
    expect(await cache.groupsOf(USER)).toEqual([GROUP]);
    time.advance(59_999);
    expect(await cache.groupsOf(USER.toUpperCase())).toEqual([GROUP]);
    expect(inner.asked).toHaveLength(1);
    time.advance(1);
    await cache.groupsOf(USER);
    expect(inner.asked).toHaveLength(2);
  });

  it('shares one call between concurrent asks', async () => {
    const inner = new ControlledSource();
    const cache = new CachingMembershipSource(inner, clock());
    const both = Promise.all([cache.groupsOf(USER), cache.groupsOf(USER)]);
    inner.settle([GROUP]);
    expect(await both).toEqual([[GROUP], [GROUP]]);
    expect(inner.calls).toBe(1);
  });

  it('does not remember a failure', async () => {
    const inner = new ControlledSource();
    const cache = new CachingMembershipSource(inner, clock());
    const failed = cache.groupsOf(USER);
    inner.settle(new Error('graph down'));
    await expect(failed).rejects.toThrow('graph down');
    const retried = cache.groupsOf(USER);
    inner.settle([GROUP]);
    expect(await retried).toEqual([GROUP]);
    expect(inner.calls).toBe(2);
  });

  it('hands out copies, so a caller cannot change what the next one sees', async () => {
    const cache = new CachingMembershipSource(new InMemoryMembershipSource({ [USER]: [GROUP] }), clock());
    (await cache.groupsOf(USER)).push('tampered');
    expect(await cache.groupsOf(USER)).toEqual([GROUP]);
  });
});

describe('decideWithMembership', () => {
  const REQUESTER = '00000000-0000-4000-8000-0000000000d1';
  const config: PolicyConfig = { ...DENY_ALL_POLICY, tenants: ['*'], conversations: ['*'], approvers: { users: [], groups: [GROUP] } };
  const requester: Principal = { aadObjectId: REQUESTER, groups: [] };
  const here = { conversationId: 'c', tenantId: 't' };
  const approve = (p: Principal) => mayApprove(config, requester, p, here, []);
  const who: Principal = { aadObjectId: USER, groups: [] };

  it('looks the approver up and allows a group member', async () => {
    const source = new InMemoryMembershipSource({ [USER]: [GROUP] });
    expect(await decideWithMembership(who, config.approvers.groups, source, approve)).toEqual({ allowed: true });
    expect(source.asked).toEqual([USER]);
  });

  it('does not look up when groups cannot change the answer', async () => {
    const source = new InMemoryMembershipSource({ [USER]: [GROUP] });
    // A place denial is final whatever the groups.
    const elsewhere = (p: Principal) => mayApprove({ ...config, conversations: ['19:changes'] }, requester, p, here, []);
    expect(await decideWithMembership(who, config.approvers.groups, source, elsewhere)).toEqual({ allowed: false, code: 'CONVERSATION_NOT_ALLOWED' });
    // No group in the role, no Entra id to look up, or no source at all.
    expect(await decideWithMembership(who, [], source, approve)).toEqual({ allowed: false, code: 'NOT_AN_APPROVER' });
    expect(await decideWithMembership({ groups: [] }, config.approvers.groups, source, approve)).toEqual({ allowed: false, code: 'NOT_AN_APPROVER' });
    expect(await decideWithMembership(who, config.approvers.groups, undefined, approve)).toEqual({ allowed: false, code: 'NOT_AN_APPROVER' });
    expect(source.asked).toEqual([]);
  });

  it('keeps four-eyes after the lookup: a group member still cannot approve their own request', async () => {
    const source = new InMemoryMembershipSource({ [REQUESTER]: [GROUP] });
    expect(await decideWithMembership(requester, config.approvers.groups, source, approve)).toEqual({ allowed: false, code: 'OWN_REQUEST' });
  });
});

describe('principalOf and placeOf', () => {
  const T = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  it('takes the Entra object id and name of the sender', () => {
    expect(principalOf({ from: { aadObjectId: USER, name: 'Ben' } })).toEqual({ aadObjectId: USER, name: 'Ben', groups: [] });
    expect(principalOf({ from: {} })).toEqual({ groups: [] });
  });

  it.each([
    ['channelData only', { conversation: { id: 'c' }, channelData: { tenant: { id: T } } }, { conversationId: 'c', tenantId: T }],
    ['conversation only', { conversation: { id: 'c', tenantId: T } }, { conversationId: 'c', tenantId: T }],
    ['both agreeing (any case)', { conversation: { id: 'c', tenantId: T.toUpperCase() }, channelData: { tenant: { id: T } } }, { conversationId: 'c', tenantId: T }],
    ['both disagreeing: no tenant', { conversation: { id: 'c', tenantId: 'other' }, channelData: { tenant: { id: T } } }, { conversationId: 'c' }],
    ['neither', { conversation: { id: 'c' }, channelData: { tenant: { id: 42 } } }, { conversationId: 'c' }],
    ['no conversation', {}, { conversationId: 'unknown' }],
  ])('%s', (_, activity, place) => {
    expect(placeOf(activity)).toEqual(place);
  });
});
