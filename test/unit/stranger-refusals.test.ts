import { describe, expect, it } from 'vitest';
import { ApprovalService } from '../../src/approvals/approval-service';
import { AUDIT_COLLECTION, REFUSAL_COUNTS_COLLECTION, StoreAuditLog } from '../../src/audit/store-audit-log';
import type { CommandContext } from '../../src/commands';
import { DENY_ALL_POLICY, type PolicyConfig } from '../../src/domain/policy';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { StorePlanRepository } from '../../src/plans/store-plan-repository';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { FakeRunner, RecordingCards } from './approval-fixture';
import { mutatingContext, run } from './commands-mutating-fixture';
import { ENDPOINTS, NOW, PROJECTS } from './planners-fixture';

/**
 * Strangers cannot grow the audit trail: refusals from a tenant not on the allow-list (messages, and card taps
 * with made-up plan ids, checked before anything is read or written) are counted in one record per tenant per
 * hour instead of one record each.
 */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const STRANGER = '99999999-9999-4999-8999-999999999999';
const policy: PolicyConfig = { ...DENY_ALL_POLICY, tenants: [TENANT], conversations: ['19:c'], requesters: { users: ['00000000-0000-4000-8000-0000000000d1'], groups: [] } };

function setting() {
  const store = new EmbeddedStore();
  const audit = new StoreAuditLog(store);
  const clock = new ManualClock(NOW);
  const plans = new StorePlanRepository(store);
  const service = new ApprovalService({
    store, plans, audit, devops: new InMemoryServiceEndpoints(PROJECTS, ENDPOINTS), clock, policy, runner: new FakeRunner(), notifier: new RecordingCards(),
  });
  const message = (tenant: string, conversation = '19:c') => {
    const overrides: Partial<CommandContext> = {
      user: { id: '29:x', name: 'X', aadObjectId: '00000000-0000-4000-8000-0000000000d1' }, conversation: { id: conversation, type: 'channel' },
      place: { conversationId: conversation, tenantId: tenant }, policy, audit, clock,
    };
    return run('rotate sc-prod', mutatingContext(overrides).ctx);
  };
  const tapUnknown = (tenant: string, n: number) => service.tap({
    verb: 'approve', data: { planId: `P-${String(n).padStart(8, '0')}`, version: '0123456789abcdef' },
    user: { id: '29:x', name: 'X', aadObjectId: '00000000-0000-4000-8000-0000000000d1' }, conversation: { id: '19:c', type: 'channel', tenantId: tenant },
  });
  return { store, clock, message, tapUnknown };
}

describe('refusals from tenants not on the allow-list', () => {
  it('500 messages and 200 taps with unknown plan ids make one counted record for the hour, no audit events', async () => {
    const { store, message, tapUnknown } = setting();
    for (let n = 0; n < 500; n += 1) expect((await message(STRANGER)).text).toContain('tenant');
    for (let n = 0; n < 200; n += 1) expect((await tapUnknown(STRANGER, n)).text).toContain('tenant');
    expect(await store.keys(AUDIT_COLLECTION)).toEqual([]);
    const counts = await store.list<{ tenantId: string; count: number }>(REFUSAL_COUNTS_COLLECTION);
    expect(counts.map((c) => [c.key, c.value.tenantId, c.value.count])).toEqual([[`${NOW.toISOString().slice(0, 13)}/${STRANGER}`, STRANGER, 700]]);
  });

  it('starts a new record each hour, and one per tenant', async () => {
    const { store, clock, message } = setting();
    await message(STRANGER);
    await message('not-a-guid');
    clock.advance(60 * 60_000);
    await message(STRANGER);
    expect((await store.list(REFUSAL_COUNTS_COLLECTION)).length).toBe(3);
  });

  it('still audits each refusal inside an allowed tenant, and an unknown plan tapped there', async () => {
    const { store, message, tapUnknown } = setting();
    expect((await message(TENANT, '19:elsewhere')).text).toContain('conversation');
    await tapUnknown(TENANT, 1);
    expect(await store.keys(AUDIT_COLLECTION)).toHaveLength(2);
    expect(await store.keys(REFUSAL_COUNTS_COLLECTION)).toEqual([]);
  });
});
