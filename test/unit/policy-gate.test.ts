import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/commands';
import { DENY_ALL_POLICY, type PolicyConfig } from '../../src/domain/policy';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { InMemoryMembershipSource } from '../support/in-memory-membership-source';
import { LOCAL_DEMO_POLICY } from '../../src/policy/policy-settings';
import { mutatingContext, run } from './commands-mutating-fixture';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';
const CHANGES = '19:changes@thread.tacv2';
const DANA = '00000000-0000-4000-8000-0000000000d1';
const EVE = '00000000-0000-4000-8000-0000000000e4';
const REQUESTERS = 'a7000000-0000-4000-8000-0000000000a3';

const policy: PolicyConfig = {
  ...DENY_ALL_POLICY,
  requesters: { users: [DANA], groups: [REQUESTERS] },
  conversations: [CHANGES],
  tenants: [TENANT],
};

/** A turn as the bot layer builds it: the user, the conversation, the place, the policy and an audit trail. */
function turn(options: { aad?: string; conversation?: string; tenant?: string; policy?: PolicyConfig; membership?: InMemoryMembershipSource } = {}) {
  const audit = new StoreAuditLog(new EmbeddedStore());
  const conversationId = options.conversation ?? CHANGES;
  const aad = 'aad' in options ? options.aad : DANA;
  const overrides: Partial<CommandContext> = {
    user: { id: '29:user', name: 'Dana', ...(aad ? { aadObjectId: aad } : {}) },
    conversation: { id: conversationId, type: 'channel' },
    place: { conversationId, ...(options.tenant === '' ? {} : { tenantId: options.tenant ?? TENANT }) },
    policy: options.policy ?? policy,
    audit,
    ...(options.membership ? { membership: options.membership } : {}),
  };
  return { ...mutatingContext(overrides), audit };
}

describe('the request gate, through the registry', () => {
  it.each([
    ['a requester not listed', { aad: EVE }, 'You are not allowed to request changes.'],
    ['no Entra object id', { aad: undefined }, 'You are not allowed to request changes.'],
    ['a conversation not set up for changes', { conversation: '19:general@thread.tacv2' }, 'Changes cannot be requested or approved in this conversation.'],
  ])('refuses %s: a specific reply, nothing read or planned, a refused audit event', async (_, options, sentence) => {
    const { ctx, endpoints, plans, audit } = turn(options);
    const reply = await run('rotate sc-prod expires 7d', ctx);
    expect(reply.kind).toBe('text');
    expect(reply.text).toMatch(new RegExp(`^${sentence.replace(/[.()]/g, '\\$&')} \\(\`rotate sc-prod expires 7d\` was not run\\.\\) .+ Reference: R-[A-Z0-9]{8}$`));
    expect(endpoints.calls).toEqual([]);
    expect(plans.all()).toEqual([]);
    const events = await audit.query();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'refused', command: 'rotate sc-prod expires 7d', planId: '', conversation: { id: ctx.conversation.id } });
    expect(events[0]?.reason).toMatch(/^(NOT_A_REQUESTER|CONVERSATION_NOT_ALLOWED)$/);
  });

  it.each([
    ['another tenant', { tenant: OTHER_TENANT }, OTHER_TENANT],
    ['no tenant on the activity', { tenant: '' }, 'unknown'],
  ])('refuses %s: a specific reply, nothing read or planned, the refusal counted (not one audit event each)', async (_, options, counted) => {
    const { ctx, endpoints, plans, audit } = turn(options);
    const reply = await run('rotate sc-prod expires 7d', ctx);
    expect(reply.text).toMatch(/^Your organization \(tenant\) is not allowed to use this bot\. \(`rotate sc-prod expires 7d` was not run\.\) .+ Reference: R-[A-Z0-9]{8}$/);
    expect(endpoints.calls).toEqual([]);
    expect(plans.all()).toEqual([]);
    expect(await audit.query()).toEqual([]);
    expect(await audit.refusalCounts()).toMatchObject([{ tenantId: counted, count: 1, reasons: { TENANT_NOT_ALLOWED: 1 } }]);
  });

  it('lets an allowed requester through to the plan preview, with no refusal recorded', async () => {
    const { ctx, endpoints, plans, audit } = turn();
    const reply = await run('rotate sc-prod', ctx);
    expect(reply.text).not.toMatch(/not allowed|was not run/);
    expect(endpoints.calls.length).toBeGreaterThan(0);
    expect(plans.all()).toHaveLength(1);
    expect((await audit.query()).filter((e) => e.kind === 'refused')).toEqual([]);
  });

  it('looks up groups only when the role names groups and the user is not listed by id', async () => {
    const membership = new InMemoryMembershipSource({ [EVE]: [REQUESTERS] });
    const viaGroup = turn({ aad: EVE, membership });
    expect((await run('rotate sc-prod', viaGroup.ctx)).text).not.toMatch(/was not run/);
    expect(membership.asked).toEqual([EVE]);
    await run('rotate sc-prod', turn({ membership }).ctx);
    await run('rotate sc-prod', turn({ aad: EVE, membership, conversation: 'elsewhere' }).ctx);
    expect(membership.asked).toEqual([EVE]);
  });

  it('refuses a user whose groups do not include a requester group', async () => {
    const membership = new InMemoryMembershipSource({ [EVE]: ['a7000000-0000-4000-8000-0000000000a4'] });
    expect((await run('delete sc-prod', turn({ aad: EVE, membership }).ctx)).text).toMatch(/^You are not allowed to request changes\./);
  });

  it('fails closed when the group lookup fails', async () => {
    const membership = { groupsOf: () => Promise.reject(new Error('graph down')) };
    const { ctx, endpoints } = turn({ aad: EVE });
    const reply = await run('rotate sc-prod', { ...ctx, membership });
    expect(reply.text).toMatch(/Something went wrong|Reference: R-/);
    expect(reply.text).not.toMatch(/plan|Approve/i);
    expect(endpoints.calls).toEqual([]);
  });

  it('does not gate read-only commands by role or conversation', async () => {
    const { ctx, endpoints } = turn({ aad: EVE, conversation: 'anywhere' });
    expect((await run('list', ctx)).text).not.toMatch(/not allowed|was not run/);
    expect(endpoints.calls.length).toBeGreaterThan(0);
  });

  it('applies a configured tenant allow-list to read-only commands too', async () => {
    const { ctx, endpoints, audit } = turn({ tenant: OTHER_TENANT });
    expect((await run('show sc-prod', ctx)).text).toMatch(/^Your organization \(tenant\) is not allowed to use this bot\./);
    expect(endpoints.calls).toEqual([]);
    expect(await audit.refusalCounts()).toMatchObject([{ tenantId: OTHER_TENANT, count: 1, reasons: { TENANT_NOT_ALLOWED: 1 } }]);
  });

  it('leaves reads open when no tenant allow-list is set, while changes stay denied (default deny)', async () => {
    const { ctx } = turn({ policy: DENY_ALL_POLICY, tenant: OTHER_TENANT });
    expect((await run('list', ctx)).text).not.toMatch(/was not run/);
    expect((await run('convert sc-prod', ctx)).text).toMatch(/^Your organization \(tenant\) is not allowed/);
  });

  it('the local demo policy lets anyone with an Entra id request', async () => {
    const { ctx } = turn({ policy: LOCAL_DEMO_POLICY, aad: EVE, conversation: 'a:personal', tenant: OTHER_TENANT });
    expect((await run('rotate sc-prod', ctx)).text).not.toMatch(/was not run/);
  });

  it('never echoes a secret-looking argument in the refusal or the audit event', async () => {
    const { ctx, audit, lines } = turn({ aad: EVE });
    const secret = 'Xy7~Qq8.Zr9_Ab3-Cd4Ef5Gh6Ij7Kl8Mn9Op';
    const reply = await run(`rotate sc-prod ${secret}`, ctx);
    expect(reply.text).not.toContain(secret);
    expect(JSON.stringify(await audit.query())).not.toContain(secret);
    expect(lines.join('\n')).not.toContain(secret);
  });
});
