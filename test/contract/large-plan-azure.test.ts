import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { newAuditId } from '../../src/audit/audit-id';
import { ApprovalRecords } from '../../src/approvals/approval-records';
import { newApprovalRecord } from '../../src/domain/approval';
import { auditEventForRequested } from '../../src/domain/audit';
import type { Plan } from '../../src/domain/plan';
import { planConvert } from '../../src/operations/convert/convert.planner';
import { DENY_ALL_POLICY } from '../../src/domain/policy';
import { Executor, SecretLedger, StorePlanRepository } from '../../src/execution';
import { createSteps } from '../../src/operations/operations';
import { AzureTableStore } from '../../src/store/azure-table-store';
import { VersionConflictError } from '../../src/store/store.port';
import { startAzuriteTables, type AzuriteTables } from '../support/azurite';
import { NO_MIGRATE_STEP } from '../support/federation-fakes';
import { FakeAppSecrets, newClock, RecordingEndpoints, spnEndpoint, target } from '../unit/executor-fixture';
import { InMemoryPipelineAccess } from '../support/in-memory-pipeline-access';

/**
 * A `convert all` over 2,000 connections on the shared table store (Azurite): a 300-item plan used to exceed
 * the entity limit (TableRecordLimitError). Saved, read back whole, audited, approved, executed, interrupted
 * mid-run and resumed by a second instance: every connection converted by exactly one PUT.
 */
const COUNT = 2_000;
let azurite: AzuriteTables;
beforeAll(async () => {
  azurite = await startAzuriteTables();
});
afterAll(async () => {
  await azurite?.stop();
});

/** PUTs beyond `answerOnly` are applied and then never answered, as when the bot dies mid-call. */
class CrashingEndpoints extends RecordingEndpoints {
  answerOnly = Infinity;
  private answered = 0;

  override async update(...args: Parameters<RecordingEndpoints['update']>) {
    const answer = await super.update(...args);
    this.answered += 1;
    return this.answered > this.answerOnly ? new Promise<never>(() => undefined) : answer;
  }
}

describe('a 2,000-connection plan on Azure Table storage', () => {
  it('is saved, approved, executed, interrupted and resumed, each connection changed once', async () => {
    const table = `t${randomUUID().replace(/-/g, '')}`;
    const open = () => AzureTableStore.fromConnectionString(azurite.connectionString, table);
    const clock = newClock();
    const endpoints = Array.from({ length: COUNT }, (_, i) => spnEndpoint(`sc-payments-westeurope-subscription-${String(i).padStart(4, '0')}`));
    const plan = planConvert({ id: 'P-LARGE001', command: 'convert all', now: clock.now(), targets: endpoints.map(target) }) as Plan;
    expect(plan.items).toHaveLength(COUNT);
    expect(JSON.stringify(plan).length).toBeGreaterThan(4_000_000);

    const first = open();
    await new StorePlanRepository(first).save(plan);
    expect(await new StorePlanRepository(open()).get(plan.id)).toEqual(plan);
    const meta = { id: newAuditId(), at: clock.now(), actor: { id: '29:dana', name: 'Dana' }, conversation: { id: 'c', type: 'channel' }, correlationId: 'x' };
    await new StoreAuditLog(first).append(auditEventForRequested(plan, meta));
    const records = new ApprovalRecords(first);
    const proposed = await records.create(newApprovalRecord(plan, { id: '29:dana', name: 'Dana' }, { id: 'c', type: 'channel' }, DENY_ALL_POLICY, clock.now()));
    await records.replace({ ...proposed.value, state: 'approved' }, proposed.version);

    const devops = new CrashingEndpoints(endpoints, clock);
    const executor = (store: AzureTableStore, options: { dead?: boolean } = {}) => {
      const secrets = new FakeAppSecrets();
      const steps = createSteps({ appSecrets: secrets, verifier: secrets, ledger: new SecretLedger(store, clock), sleep: async () => undefined }, { pipelines: new InMemoryPipelineAccess(), ...NO_MIGRATE_STEP });
      // A dead process renews nothing: its run's heartbeat (which keeps its items claimed) never ticks.
      return new Executor({ store, devops, steps, clock, concurrency: 8, ...(options.dead ? { repeat: () => () => undefined } : {}) });
    };
    // The first run "crashes" after 700 conversions: the 701st and later PUTs take effect but never answer.
    devops.answerOnly = 700;
    void executor(first, { dead: true }).run((await new StorePlanRepository(first).get(plan.id)) as Plan);
    await expect.poll(() => devops.calls.filter((c) => c.startsWith('PUT')).length, { timeout: 120_000, interval: 200 }).toBeGreaterThanOrEqual(708);

    devops.answerOnly = Infinity;
    clock.advance(6 * 60_000); // the dead run's item leases lapse
    const second = open();
    const report = await executor(second).run((await new StorePlanRepository(second).get(plan.id)) as Plan);
    expect(report.counts).toEqual({ done: COUNT, skipped: 0, failed: 0 });
    for (const e of endpoints) expect(devops.callsFor(e.id).filter((c) => c.startsWith('PUT'))).toHaveLength(1);
  }, 300_000);

  it('audits a 2,000-connection plan with long Unicode names: the event is stored in parts and read back whole', async () => {
    const store = AzureTableStore.fromConnectionString(azurite.connectionString, `t${randomUUID().replace(/-/g, '')}`);
    const clock = newClock();
    const name = (i: number) => `Zählerstand – 接続 – 🚀 prod — “quoted” ${'very-long-connection-name-'.repeat(3)}${i}`;
    const endpoints = Array.from({ length: COUNT }, (_, i) => spnEndpoint(name(i)));
    const plan = planConvert({ id: 'P-LARGE002', command: 'convert all', now: clock.now(), targets: endpoints.map(target) }) as Plan;
    const meta = { id: newAuditId(), at: clock.now(), actor: { id: '29:dana', name: 'Dana' }, conversation: { id: 'c', type: 'channel' }, correlationId: 'x' };
    const event = auditEventForRequested(plan, meta);
    // As the table codec stores it (non-ASCII as \uXXXX escapes): beyond one entity's 480,000 characters.
    expect(JSON.stringify(event).replace(/[\u007f-\uffff]/g, '\\u0000').length).toBeGreaterThan(480_000);
    const audit = new StoreAuditLog(store);
    await audit.append(event);
    await expect(audit.append(event)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await new StoreAuditLog(store).query({ planId: plan.id })).toEqual([event]);
    expect((await audit.query({ connection: name(1999) })).map((e) => e.id)).toEqual([event.id]);
  }, 120_000);
});
