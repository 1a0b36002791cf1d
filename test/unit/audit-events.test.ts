import { describe, expect, it } from 'vitest';
import {
  auditEventForApproved, auditEventForExecuted, BOT_ACTOR, auditEventForExpired, auditEventForRefused, auditEventForRejected,
  auditEventForRequested, auditEventForStale, fingerprintPlan, reasonCode,
} from '../../src/domain/audit';
import { planDelete } from '../../src/operations/delete/delete.planner';
import { APPROVER, CONVERSATION, meta, REQUESTER } from './audit-fixture';
import { detailText, rowLine } from '../../src/cards/audit-view';
import { bulkConvert, rotatePlan } from './plan-card-fixture';
import { CANARY, endpoint, expectNoSecret, NOW, target } from './planners-fixture';

describe('audit events', () => {
  it('a requested event names the human, the plan, its fingerprint and every connection with its fingerprint', () => {
    const plan = rotatePlan('sc-prod');
    const event = auditEventForRequested(plan, meta({ id: 'E-1', correlationId: 'activity-1' }));
    const item = plan.items[0]!;
    expect(event).toEqual({
      id: 'E-1', kind: 'requested', at: NOW.toISOString(), actor: REQUESTER, conversation: CONVERSATION,
      planId: 'P-ROTATE1', planFingerprint: fingerprintPlan(plan), operation: 'rotate', command: 'rotate sc-prod',
      connections: [{ endpointId: item.endpointId, name: 'sc-prod', project: 'Payments', fingerprint: item.fingerprint }],
      correlationId: 'activity-1',
    });
    expect(event.planFingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('never carries a secret: the plan came from a connection holding the canary', () => {
    expect(JSON.stringify(endpoint('sc-prod'))).toContain(CANARY);
    const plan = rotatePlan('sc-prod');
    const m = meta();
    for (const event of [
      auditEventForRequested(plan, m), auditEventForApproved(plan, m), auditEventForRejected(plan, m, 'NOT_NOW'),
      auditEventForExpired(plan, m), auditEventForStale(plan, m), auditEventForRefused(plan, m, 'OWN_REQUEST'),
      auditEventForExecuted(plan, m, plan.items[0]!.endpointId, { status: 'failed', reason: `leaked ${CANARY}` }),
    ]) expectNoSecret(event);
  });

  it('executed is one event per connection with its outcome; stale lists the connections that moved', () => {
    const plan = bulkConvert(6);
    const [first, second] = plan.items;
    const executed = auditEventForExecuted(plan, meta({ actor: APPROVER }), first!.endpointId.toUpperCase(), { status: 'failed', reason: 'DEVOPS.FORBIDDEN' });
    expect(executed.connections.map((c) => c.endpointId)).toEqual([first!.endpointId]);
    expect(executed).toMatchObject({ kind: 'executed', actor: APPROVER, outcome: { status: 'failed', reason: 'DEVOPS.FORBIDDEN' } });
    expect(auditEventForExecuted(plan, meta(), first!.endpointId, { status: 'done' }).outcome).toEqual({ status: 'done' });
    const stale = auditEventForStale(plan, meta(), [second!.endpointId]);
    expect(stale).toMatchObject({ kind: 'stale', reason: 'CHANGED_SINCE_PREVIEW', connections: [{ endpointId: second!.endpointId }] });
    expect(auditEventForStale(plan, meta()).connections).toHaveLength(plan.items.length);
  });

  it('an execution is the bot\'s, with who requested and who approved it (not credited to the approver)', () => {
    const plan = rotatePlan('sc-prod');
    const executed = auditEventForExecuted(plan, meta({ actor: BOT_ACTOR }), plan.items[0]!.endpointId, { status: 'done' }, { requestedBy: { id: '29:a', name: 'Avery' }, approvedBy: [APPROVER] });
    expect(executed).toMatchObject({ actor: { id: 'scbot', name: 'scbot' }, requestedBy: { id: '29:a', name: 'Avery' }, approvedBy: [APPROVER] });
    const text = detailText(executed);
    expect(text).toContain('By scbot (the bot, with its own identity), approved by');
    expect(text).toContain(`, requested by Avery (no Entra object id; user 29:a)`);
    expect(rowLine(executed)).toContain(`scbot, approved by ${APPROVER.name}`);
  });

  it('keeps reasons only when they are codes', () => {
    expect(reasonCode('DEVOPS.THROTTLED')).toBe('DEVOPS.THROTTLED');
    expect(reasonCode('changed since preview')).toBe('UNCLASSIFIED');
    expect(reasonCode(undefined)).toBeUndefined();
    expect(auditEventForRejected(rotatePlan(), meta()).reason).toBeUndefined();
  });

  it('records a refusal for a plan id that names no plan, without echoing arbitrary card data', () => {
    expect(auditEventForRefused('P-ABCDEFGH', meta(), 'UNKNOWN_PLAN')).toMatchObject({ kind: 'refused', planId: 'P-ABCDEFGH', operation: null, connections: [], reason: 'UNKNOWN_PLAN' });
    expect(auditEventForRefused(`P-1 ${CANARY}`, meta(), 'UNKNOWN_PLAN').planId).toBe('(not a plan id)');
  });

  it('copies the actor field by field and caps the correlation id', () => {
    const actor = { ...REQUESTER, extra: CANARY } as typeof REQUESTER;
    const event = auditEventForApproved(rotatePlan(), meta({ actor, correlationId: 'x'.repeat(500) }));
    expect(event.actor).toEqual(REQUESTER);
    expect(event.correlationId).toHaveLength(128);
  });
});

describe('plan fingerprint', () => {
  it('is stable, ignores item order and the plan id, and changes with what the plan would do', () => {
    const plan = bulkConvert(8);
    expect(fingerprintPlan(plan)).toBe(fingerprintPlan(structuredClone(plan)));
    expect(fingerprintPlan({ ...plan, items: [...plan.items].reverse() })).toBe(fingerprintPlan(plan));
    expect(fingerprintPlan({ ...plan, operation: 'revert' })).not.toBe(fingerprintPlan(plan));
    const moved = plan.items.map((i, k) => (k === 0 ? { ...i, fingerprint: '0000000000000000' } : i));
    expect(fingerprintPlan({ ...plan, items: moved })).not.toBe(fingerprintPlan(plan));
    expect(fingerprintPlan({ ...plan, items: plan.items.slice(1) })).not.toBe(fingerprintPlan(plan));
  });

  it('tells deleting here from deleting everywhere', () => {
    const make = (everywhere: boolean) => planDelete({ id: 'P-D', command: 'delete', now: NOW, targets: [target('sc-shared-registry')], options: { everywhere, deep: false } });
    expect(fingerprintPlan(make(true))).not.toBe(fingerprintPlan(make(false)));
  });
});
