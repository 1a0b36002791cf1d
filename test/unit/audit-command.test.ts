import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/commands';
import { tokenize } from '../../src/commands';
import { auditCommand } from '../../src/commands/audit.command';
import { StoreAuditLog } from '../../src/audit';
import { auditEventForApproved, auditEventForExecuted, fingerprintPlan } from '../../src/domain/audit';
import { EmbeddedStore } from '../../src/store';
import { APPROVER, CONVERSATION, meta, REQUESTER, steppingClock } from './audit-fixture';
import { mutatingContext, run } from './commands-mutating-fixture';
import { CANARY, expectNoSecret } from './planners-fixture';

const json = (reply: Reply) => JSON.stringify(reply);

function auditedContext(leaky = false) {
  const audit = new StoreAuditLog(new EmbeddedStore());
  const setup = mutatingContext({ audit, leaky, user: REQUESTER, conversation: CONVERSATION, clock: steppingClock(), correlationId: 'activity-42' });
  return { ...setup, audit };
}

describe('audit command: parsing', () => {
  it('takes an optional name, plan id and last N in any order', () => {
    expect(auditCommand.parse(tokenize(''))).toEqual({ ok: true, value: { last: 20 } });
    expect(auditCommand.parse(tokenize('last 50 "sc prod"'))).toEqual({ ok: true, value: { last: 50, connection: 'sc prod' } });
    expect(auditCommand.parse(tokenize('plan p-7k2m9qxd last 200'))).toEqual({ ok: true, value: { last: 200, planId: 'P-7K2M9QXD' } });
  });

  it.each(['last 0', 'last 201', 'last many', 'last', 'a b', 'plan 42', 'last 5 last 6'])('refuses `audit %s`', (text) => {
    expect(auditCommand.parse(tokenize(text)).ok).toBe(false);
  });

  it('is registered, read-only, and answers bad arguments with its usage', async () => {
    const { ctx } = auditedContext();
    expect(auditCommand.mutates).toBe(false);
    expect((await run('audit last 999', ctx)).text).toContain('Usage: `audit [<name>] [plan <id>] [last <n>]`');
    expect((await run('help', ctx)).text + json(await run('help', ctx))).toContain('audit');
  });
});

describe('audit trail of mutating commands', () => {
  it('records `requested` once per saved plan: who, where, the plan and its fingerprint, each connection', async () => {
    const { ctx, audit, plans } = auditedContext();
    await run('rotate sc-prod', ctx);
    const [plan] = plans.all();
    const events = await audit.query();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'requested', actor: REQUESTER, conversation: CONVERSATION, planId: plan!.id, planFingerprint: fingerprintPlan(plan!),
      operation: 'rotate', command: 'rotate sc-prod', correlationId: 'activity-42',
      connections: [{ endpointId: plan!.items[0]!.endpointId, name: 'sc-prod', project: 'Payments', fingerprint: plan!.items[0]!.fingerprint }],
    });
  });

  it('records nothing for a refusal or an unknown connection (no plan was saved)', async () => {
    const { ctx, audit } = auditedContext();
    await run('rotate sc-wif-entra', ctx);
    await run('rotate sc-prd', ctx);
    expect(await audit.query()).toEqual([]);
  });

  it('lists every connection of a bulk plan in its one event', async () => {
    const { ctx, audit, plans } = auditedContext();
    await run('convert all', ctx);
    const [plan] = plans.all();
    const [event] = await audit.query();
    expect(event!.connections.map((c) => c.endpointId)).toEqual(plan!.items.map((i) => i.endpointId));
  });

  it('never stores or shows a secret, even when the adapter leaks the canary', async () => {
    const { ctx, audit, plans } = auditedContext(true);
    await run('rotate sc-staging', ctx);
    const plan = plans.all()[0]!;
    await audit.append(auditEventForApproved(plan, meta({ actor: APPROVER, at: new Date('2026-11-22T07:00:00Z') })));
    await audit.append(auditEventForExecuted(plan, meta({ actor: APPROVER, at: new Date('2026-11-22T07:01:00Z') }), plan.items[0]!.endpointId, { status: 'failed', reason: `oops ${CANARY}` }));
    expectNoSecret(plan);
    expectNoSecret(await audit.query());
    const reply = await run('audit sc-staging', ctx);
    expectNoSecret(reply);
    expect(json(reply)).not.toContain(CANARY);
  });
});

describe('audit command: the card', () => {
  it('shows when, what, who (name and Entra object id), plan, connections and outcome, newest first', async () => {
    const { ctx, audit, plans } = auditedContext();
    await run('rotate sc-prod', ctx);
    const plan = plans.all()[0]!;
    await audit.append(auditEventForExecuted(plan, meta({ actor: APPROVER, at: new Date('2026-11-22T08:00:00Z') }), plan.items[0]!.endpointId, { status: 'failed', reason: 'DEVOPS.FORBIDDEN' }));
    const reply = await run('audit sc-prod', ctx);
    expect(reply.kind).toBe('card');
    expect(reply.text).toBe('Audit trail for sc-prod: 2 events, newest first (last 20 asked).');
    const text = json(reply);
    for (const part of ['❌ 2026-11-22 08:00 UTC · Executed: failed · rotate · sc-prod', 'Outcome: failed (DEVOPS.FORBIDDEN)', APPROVER.name, APPROVER.aadObjectId, 'Requested', REQUESTER.name, REQUESTER.aadObjectId, plan.id, 'sc-prod (Payments)']) {
      expect(text).toContain(part);
    }
    expect(text.indexOf('Executed')).toBeLessThan(text.indexOf('Requested'));
  });

  it('honours last N and plan ids', async () => {
    const { ctx, audit } = auditedContext();
    await run('rotate sc-prod', ctx);
    await run('rotate sc-staging', ctx);
    await run('rotate sc-dev', ctx);
    expect((await run('audit last 2', ctx)).text).toContain('2 events');
    const [newest] = await audit.query({ last: 1 });
    const byPlan = await run(`audit plan ${newest!.planId.toLowerCase()}`, ctx);
    expect(byPlan.text).toBe(`Audit trail for plan ${newest!.planId}: 1 event, newest first (last 20 asked).`);
  });

  it('says clearly when there is nothing', async () => {
    const { ctx } = auditedContext();
    const reply = await run('audit sc-prod', ctx);
    expect(reply.text).toBe('No audit events for sc-prod.');
    expect(json(reply)).toContain('No audit events for sc-prod.');
    expect((await run('audit', ctx)).text).toBe('No audit events.');
  });
});
