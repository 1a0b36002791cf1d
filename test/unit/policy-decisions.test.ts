import { describe, expect, it } from 'vitest';
import {
  ANYONE, approvalsNeeded, DENY_ALL_POLICY, denialHint, denialText, mayApprove, mayRead, mayRequest,
  type DenialCode, type Place, type PolicyConfig, type Principal,
} from '../../src/domain/policy';

const TENANT = '11111111-1111-1111-1111-111111111111';
const OTHER_TENANT = '99999999-9999-9999-9999-999999999999';
const ALICE = 'aaaaaaaa-0000-0000-0000-000000000001';
const BOB = 'bbbbbbbb-0000-0000-0000-000000000002';
const CAROL = 'cccccccc-0000-0000-0000-000000000003';
const DAVE = 'dddddddd-0000-0000-0000-000000000004';
const APPROVERS_GROUP = 'a9900000-0000-0000-0000-00000000000a';
const REQUESTERS_GROUP = 'e9900000-0000-0000-0000-00000000000e';
const CHANGES = '19:changes@thread.tacv2';

const config: PolicyConfig = {
  requesters: { users: [ALICE], groups: [REQUESTERS_GROUP] },
  approvers: { users: [BOB], groups: [APPROVERS_GROUP] },
  conversations: [CHANGES],
  tenants: [TENANT],
  planTtlMinutes: 30,
  twoApproversOver: 10,
};

const who = (aadObjectId: string | undefined, groups: string[] = []): Principal => ({ aadObjectId, groups });
const here: Place = { conversationId: CHANGES, tenantId: TENANT };

describe('mayRequest', () => {
  it.each<[string, Principal, Place, DenialCode | 'allowed']>([
    ['a listed user', who(ALICE), here, 'allowed'],
    ['a listed user, GUID in upper case', who(ALICE.toUpperCase()), here, 'allowed'],
    ['a member of a requester group', who(DAVE, [REQUESTERS_GROUP]), here, 'allowed'],
    ['someone not listed', who(DAVE), here, 'NOT_A_REQUESTER'],
    ['an approver is not a requester', who(BOB, [APPROVERS_GROUP]), here, 'NOT_A_REQUESTER'],
    ['no Entra object id', who(undefined, [REQUESTERS_GROUP]), here, 'NOT_A_REQUESTER'],
    ['another conversation', who(ALICE), { ...here, conversationId: '19:general@thread.tacv2' }, 'CONVERSATION_NOT_ALLOWED'],
    ['another tenant', who(ALICE), { ...here, tenantId: OTHER_TENANT }, 'TENANT_NOT_ALLOWED'],
    ['no tenant on the activity', who(ALICE), { conversationId: CHANGES }, 'TENANT_NOT_ALLOWED'],
    ['tenant is checked before conversation', who(DAVE), { conversationId: 'x', tenantId: OTHER_TENANT }, 'TENANT_NOT_ALLOWED'],
    ['conversation is checked before role', who(DAVE), { ...here, conversationId: 'x' }, 'CONVERSATION_NOT_ALLOWED'],
  ])('%s', (_, principal, place, expected) => {
    const decision = mayRequest(config, principal, place);
    expect(decision).toEqual(expected === 'allowed' ? { allowed: true } : { allowed: false, code: expected });
  });
});

describe('mayApprove', () => {
  const alice = who(ALICE);
  it.each<[string, Principal, Principal, Place, string[], DenialCode | 'allowed']>([
    ['a listed approver', alice, who(BOB), here, [], 'allowed'],
    ['a member of the approver group', alice, who(CAROL, [APPROVERS_GROUP]), here, [], 'allowed'],
    ['the second distinct approver', alice, who(CAROL, [APPROVERS_GROUP]), here, [BOB], 'allowed'],
    ['not an approver', alice, who(DAVE), here, [], 'NOT_AN_APPROVER'],
    ['a requester is not an approver', alice, who(ALICE, [REQUESTERS_GROUP]), here, [], 'NOT_AN_APPROVER'],
    ['own request', who(BOB), who(BOB), here, [], 'OWN_REQUEST'],
    ['own request, id in another case', who(BOB.toUpperCase()), who(BOB), here, [], 'OWN_REQUEST'],
    ['approving twice', alice, who(BOB), here, [BOB], 'ALREADY_APPROVED_BY_YOU'],
    ['approving twice, id in another case', alice, who(BOB), here, [BOB.toUpperCase()], 'ALREADY_APPROVED_BY_YOU'],
    ['no Entra object id', alice, who(undefined, [APPROVERS_GROUP]), here, [], 'NOT_AN_APPROVER'],
    ['another conversation', alice, who(BOB), { ...here, conversationId: 'x' }, [], 'CONVERSATION_NOT_ALLOWED'],
    ['another tenant', alice, who(BOB), { ...here, tenantId: OTHER_TENANT }, [], 'TENANT_NOT_ALLOWED'],
    ['role before own request', who(DAVE), who(DAVE), here, [], 'NOT_AN_APPROVER'],
    ['own request before approving twice', who(BOB), who(BOB), here, [BOB], 'OWN_REQUEST'],
  ])('%s', (_, requester, approver, place, prior, expected) => {
    const decision = mayApprove(config, requester, approver, place, prior);
    expect(decision).toEqual(expected === 'allowed' ? { allowed: true } : { allowed: false, code: expected });
  });

  it('a prior approver id of "*" does not count as everyone', () => {
    expect(mayApprove(config, alice, who(BOB), here, [ANYONE])).toEqual({ allowed: true });
  });
});

describe('default deny', () => {
  const everyone = [who(ALICE), who(BOB, [APPROVERS_GROUP]), who(DAVE, [REQUESTERS_GROUP])];
  it.each(everyone)('an empty configuration denies requesting and approving (%#)', (principal) => {
    expect(mayRequest(DENY_ALL_POLICY, principal, here).allowed).toBe(false);
    expect(mayApprove(DENY_ALL_POLICY, who(CAROL), principal, here, []).allowed).toBe(false);
  });

  it('an empty role denies even in an allowed place', () => {
    const noRoles = { ...DENY_ALL_POLICY, tenants: [TENANT], conversations: [CHANGES] };
    expect(mayRequest(noRoles, who(ALICE), here)).toEqual({ allowed: false, code: 'NOT_A_REQUESTER' });
    expect(mayApprove(noRoles, who(ALICE), who(BOB), here, [])).toEqual({ allowed: false, code: 'NOT_AN_APPROVER' });
  });
});

describe('the "*" wildcard (local demo policy)', () => {
  const open: PolicyConfig = {
    ...DENY_ALL_POLICY, tenants: [ANYONE], conversations: [ANYONE],
    requesters: { users: [ANYONE], groups: [] }, approvers: { users: [ANYONE], groups: [] },
  };
  it('lets anyone with an Entra id request and approve', () => {
    expect(mayRequest(open, who(DAVE), { conversationId: 'any', tenantId: OTHER_TENANT })).toEqual({ allowed: true });
    expect(mayApprove(open, who(ALICE), who(BOB), here, [])).toEqual({ allowed: true });
  });
  it('still enforces four-eyes and needs an Entra id', () => {
    expect(mayApprove(open, who(ALICE), who(ALICE), here, [])).toEqual({ allowed: false, code: 'OWN_REQUEST' });
    expect(mayApprove(open, who(ALICE), who(BOB), here, [BOB])).toEqual({ allowed: false, code: 'ALREADY_APPROVED_BY_YOU' });
    expect(mayRequest(open, who(undefined), here)).toEqual({ allowed: false, code: 'NOT_A_REQUESTER' });
  });
});

describe('mayRead', () => {
  it.each<[string, readonly string[], string | undefined, boolean]>([
    ['no allow-list: reads are open', [], OTHER_TENANT, true],
    ['no allow-list, no tenant', [], undefined, true],
    ['listed tenant', [TENANT], TENANT, true],
    ['unlisted tenant', [TENANT], OTHER_TENANT, false],
    ['missing tenant with an allow-list', [TENANT], undefined, false],
  ])('%s', (_, tenants, tenantId, allowed) => {
    expect(mayRead({ ...DENY_ALL_POLICY, tenants }, { conversationId: 'c', tenantId }).allowed).toBe(allowed);
  });
});

describe('approvalsNeeded', () => {
  const item = (extra: { deep?: boolean; warnings?: { code: string }[] } = {}) => ({ warnings: [], ...extra });
  const plan = (items: ReturnType<typeof item>[], warnings: { code: string }[] = []) => ({ items, warnings });
  it.each<[string, ReturnType<typeof plan>, 1 | 2]>([
    ['one plain item', plan([item()]), 1],
    ['exactly the threshold', plan(Array.from({ length: 10 }, () => item())), 1],
    ['one over the threshold', plan(Array.from({ length: 11 }, () => item())), 2],
    ['a deep delete', plan([item({ deep: true })]), 2],
    ['a DEEP_DELETE warning', plan([item({ warnings: [{ code: 'DEEP_DELETE' }] })]), 2],
    ['a delete everywhere', plan([item({ warnings: [{ code: 'DELETE_EVERYWHERE' }] })]), 2],
    ['a plan-level DELETE_EVERYWHERE', plan([item()], [{ code: 'DELETE_EVERYWHERE' }]), 2],
    ['other warnings only', plan([item({ warnings: [{ code: 'SHARED' }, { code: 'RECENTLY_USED' }] })]), 1],
    ['an empty plan', plan([]), 1],
  ])('%s', (_, p, expected) => {
    expect(approvalsNeeded({ twoApproversOver: 10 }, p)).toBe(expected);
  });

  it('honours a configured threshold of 0 (every plan needs two)', () => {
    expect(approvalsNeeded({ twoApproversOver: 0 }, plan([item()]))).toBe(2);
  });
});

describe('denialText', () => {
  const codes: DenialCode[] = ['TENANT_NOT_ALLOWED', 'CONVERSATION_NOT_ALLOWED', 'NOT_A_REQUESTER', 'NOT_AN_APPROVER', 'OWN_REQUEST', 'ALREADY_APPROVED_BY_YOU'];
  it('says the specific thing', () => {
    expect(denialText('NOT_AN_APPROVER')).toBe('You are not allowed to approve changes.');
    expect(denialText('OWN_REQUEST')).toBe('You cannot approve your own request.');
    expect(denialText('NOT_A_REQUESTER')).toBe('You are not allowed to request changes.');
  });
  it.each(codes)('%s has a distinct short sentence and a next step', (code) => {
    expect(denialText(code)).toMatch(/^[A-Z].{10,100}\.$/);
    expect(denialHint(code).length).toBeGreaterThan(10);
    expect(codes.filter((c) => denialText(c) === denialText(code))).toEqual([code]);
  });
});
