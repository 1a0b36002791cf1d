import { NO_MIGRATE_STEP } from '../support/federation-fakes';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { AppError } from '../../src/domain/errors';
import type { Plan } from '../../src/domain/plan';
import { planRotate, type RotateSource } from '../../src/operations/rotate/rotate.planner';
import type { ManualClock } from '@scbot/stand-ins';
import { Executor, ItemStates, SecretLedger, StorePlanRepository } from '../../src/execution';
import { createSteps } from '../../src/operations/operations';
import type { VaultSecrets } from '../../src/azure/secret-source.port';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { FakeAppSecrets, MemoryLogger, newClock, PROJECT, RecordingEndpoints, spnEndpoint, target } from './executor-fixture';
import { worded } from '../support/worded';
import { InMemoryPipelineAccess } from '../support/in-memory-pipeline-access';

const HOUR = 3_600_000;

describe('Executor: rotate', () => {
  let clock: ManualClock;
  let store: EmbeddedStore;
  let plans: StorePlanRepository;
  /** The saved plan, as the approval workflow hands it to the executor. */
  const saved = async (id: string) => {
    const plan = await plans.get(id);
    if (!plan) throw new Error(`no saved plan ${id}`);
    return plan;
  };
  let secrets: FakeAppSecrets;
  let ledger: SecretLedger;
  let logger: MemoryLogger;
  let sleeps: number[];
  let appId: string;
  let endpoint: ServiceEndpoint;
  let devops: RecordingEndpoints;

  beforeEach(() => {
    clock = newClock();
    store = new EmbeddedStore();
    plans = new StorePlanRepository(store);
    secrets = new FakeAppSecrets();
    ledger = new SecretLedger(store, clock);
    logger = new MemoryLogger();
    sleeps = [];
    appId = randomUUID();
    endpoint = spnEndpoint('sc-prod', {}, appId);
    secrets.seed(appId, 'human-made-key', 'HUMAN-SECRET-VALUE-1');
    devops = new RecordingEndpoints([endpoint], clock);
  });

  const executor = (vault?: VaultSecrets) => new Executor({
    store, devops, clock, logger,
    steps: createSteps({ appSecrets: secrets, vaultSecrets: vault, verifier: secrets, ledger, verifyAttempts: 3, verifyDelayMs: 2_000, sleep: async (ms) => void sleeps.push(ms) }, { pipelines: new InMemoryPipelineAccess(), ...NO_MIGRATE_STEP }),
  });
  const rotatePlan = async (id: string, source: RotateSource = { kind: 'graph' }): Promise<Plan> => {
    const current = await devops.inner.get(PROJECT.id, endpoint.id);
    if (!current) throw new Error('connection missing');
    const plan = planRotate({ id, command: 'rotate sc-prod', now: clock.now(), target: target(current), source, lifetimeDays: 90, retireAfterHours: 24 });
    if ('kind' in plan) throw new Error(plan.reason);
    await plans.save(plan);
    return plan;
  };
  const everything = async (reports: unknown[]) => JSON.stringify([reports, await store.list('plans'), await store.list('execution-items'),
    await store.list('bot-secrets'), await store.list('connection-secrets'), logger.lines]);

  it('rotates an Automatic connection as seed 000 does: Manual, automatic-only keys gone, spnKey, new secret in the PUT only', async () => {
    await rotatePlan('r1');
    const report = worded(await executor().run(await saved('r1')));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(devops.calls).toEqual([`LIST ${endpoint.id}`, `PUT ${endpoint.id}`]);
    const body = devops.bodies[0];
    const created = secrets.apps.get(appId)?.find((p) => p.keyId !== 'human-made-key');
    expect(body?.authorization?.parameters).toMatchObject({ serviceprincipalkey: created?.value, authenticationType: 'spnKey' });
    expect(body?.data).toMatchObject({ creationMode: 'Manual' });
    for (const key of ['azureSpnRoleAssignmentId', 'spnObjectId', 'appObjectId', 'azureSpnPermissions']) expect(body?.data ?? {}).not.toHaveProperty(key);
    expect(await ledger.isBotMade(appId, created?.keyId ?? '')).toBe(true);
    expect(await ledger.scheduled()).toEqual([]);
    expect(await everything([report])).not.toContain(created?.value);
  });

  it('schedules the previous bot-made secret after the grace period and never touches one it did not make', async () => {
    await rotatePlan('r1');
    await executor().run(await saved('r1'));
    const first = secrets.apps.get(appId)?.find((p) => p.keyId !== 'human-made-key');
    clock.advance(HOUR);
    await rotatePlan('r2');
    const report = worded(await executor().run(await saved('r2')));
    expect(report.items[0]?.reason).toContain('previous bot-made secret retires at');
    expect((await ledger.scheduled()).map((s) => s.keyId)).toEqual([first?.keyId]);
    clock.advance(24 * HOUR);
    expect(await ledger.retireDueSecrets(secrets, new Date(clock.now().getTime() - 1))).toEqual([]);
    expect(await ledger.retireDueSecrets(secrets)).toEqual([{ appId, keyId: first?.keyId }]);
    expect(secrets.removed).toEqual([first?.keyId]);
    expect(secrets.apps.get(appId)?.map((p) => p.keyId)).toContain('human-made-key');
    clock.advance(1000 * HOUR);
    expect(await ledger.retireDueSecrets(secrets)).toEqual([]);
    expect(secrets.apps.get(appId)).toHaveLength(2);
  });

  it('allows for propagation: verification is retried with the injected sleep', async () => {
    secrets.propagationMisses = 2;
    await rotatePlan('r1');
    const report = worded(await executor().run(await saved('r1')));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(secrets.verifications).toBe(3);
    expect(sleeps).toEqual([2000, 2000]);
  });

  it('a secret that never authenticates: SECRET.NOT_VERIFIED, no PUT, and the new password is removed again', async () => {
    secrets.propagationMisses = 99;
    await rotatePlan('r1');
    const report = worded(await executor().run(await saved('r1')));
    expect(report.items[0]).toMatchObject({ status: 'failed', code: 'SECRET.NOT_VERIFIED' });
    expect(devops.calls).toEqual([`LIST ${endpoint.id}`]);
    expect(secrets.apps.get(appId)?.map((p) => p.keyId)).toEqual(['human-made-key']);
    expect(await store.list('bot-secrets')).toEqual([]);
  });

  it('a failed PUT removes the new password (no orphan) and keeps the code', async () => {
    devops.beforeUpdate = () => { throw new AppError('DEVOPS.BAD_REQUEST', 'Azure DevOps answered HTTP 400', { status: 400 }); };
    await rotatePlan('r1');
    const report = worded(await executor().run(await saved('r1')));
    expect(report.items[0]).toMatchObject({ status: 'failed', code: 'DEVOPS.BAD_REQUEST' });
    expect(secrets.removed).toHaveLength(1);
    expect(secrets.apps.get(appId)?.map((p) => p.keyId)).toEqual(['human-made-key']);
  });

  it('a PUT that timed out may have been applied: the new secret is kept (recorded as bot-made), never removed', async () => {
    devops.beforeUpdate = () => { throw new AppError('DEVOPS.TIMEOUT', 'Azure DevOps did not answer within 10000 ms'); };
    await rotatePlan('r1');
    const report = worded(await executor().run(await saved('r1')));
    expect(report.items[0]).toMatchObject({ status: 'failed', code: 'DEVOPS.TIMEOUT', reason: expect.stringContaining('Run rotate again') });
    expect(secrets.removed).toEqual([]);
    const kept = secrets.apps.get(appId)?.find((p) => p.keyId !== 'human-made-key');
    expect(await ledger.isBotMade(appId, kept?.keyId ?? '')).toBe(true);
    expect(await ledger.uncertainFor(endpoint.id)).toEqual([kept?.keyId]);
  });

  it('after a timed-out PUT, the next rotation that goes through retires the kept secret too: none is left without a date', async () => {
    devops.beforeUpdate = () => { throw new AppError('DEVOPS.TIMEOUT', 'Azure DevOps did not answer within 10000 ms'); };
    await rotatePlan('r1');
    await executor().run(await saved('r1'));
    const uncertain = (await ledger.all()).map((s) => s.keyId);
    expect(uncertain).toHaveLength(1);
    devops.beforeUpdate = undefined;
    await rotatePlan('r2');
    const report = worded(await executor().run(await saved('r2')));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    const current = await ledger.currentFor(endpoint.id);
    const others = (await ledger.all()).filter((s) => s.keyId !== current?.keyId);
    expect(others.map((s) => s.keyId)).toEqual(uncertain);
    expect(others.every((s) => s.retireAt === new Date(clock.now().getTime() + 24 * HOUR).toISOString())).toBe(true);
    expect(await ledger.uncertainFor(endpoint.id)).toEqual([]);
    clock.advance(24 * HOUR);
    await ledger.retireDueSecrets(secrets);
    expect(secrets.apps.get(appId)?.map((p) => p.keyId).sort()).toEqual([current?.keyId, 'human-made-key'].sort());
  });

  it('scrubs the new value from an error that quotes the request body before it is logged', async () => {
    devops.beforeUpdate = () => {
      const sent = devops.bodies[0]?.authorization?.parameters?.serviceprincipalkey ?? '';
      throw new AppError('DEVOPS.BAD_REQUEST', `Azure DevOps answered HTTP 400: bad key ${sent}`, { status: 400 });
    };
    await rotatePlan('r1');
    const report = worded(await executor().run(await saved('r1')));
    const sent = devops.bodies[0]?.authorization?.parameters?.serviceprincipalkey ?? 'missing';
    expect(logger.lines.join('\n')).toContain('[redacted]');
    expect(await everything([report])).not.toContain(sent);
  });

  it('from Key Vault: the vault\'s current value goes into the PUT; nothing is recorded as bot-made', async () => {
    const vault: VaultSecrets = { current: async () => ({ value: 'VAULT-SECRET-VALUE-42' }) };
    secrets.seed(appId, 'vault-key', 'VAULT-SECRET-VALUE-42');
    await rotatePlan('r1', { kind: 'keyvault', vault: 'kv-ops', secretName: 'sc-prod' });
    const report = worded(await executor(vault).run(await saved('r1')));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(devops.bodies[0]?.authorization?.parameters?.serviceprincipalkey).toBe('VAULT-SECRET-VALUE-42');
    expect(await store.list('bot-secrets')).toEqual([]);
    expect(await everything([report])).not.toContain('VAULT-SECRET-VALUE-42');
  });

  it('resuming a rotation interrupted after addPassword on a Manual connection rotates again and removes the interrupted secret', async () => {
    endpoint = spnEndpoint('sc-manual', { data: { creationMode: 'Manual' } }, appId);
    devops = new RecordingEndpoints([endpoint], clock);
    const plan = await rotatePlan('r1');
    const interrupted = await secrets.addPassword(appId, { displayName: 'x', endDateTime: '2027-01-01T00:00:00Z' });
    await ledger.recordCreated(appId, interrupted.keyId, endpoint.id);
    await new ItemStates(store, clock).write(plan.id, endpoint.id, { status: 'running', progress: { keyId: interrupted.keyId, appId } });
    const report = worded(await executor().run(await saved('r1')));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(secrets.removed).toEqual([interrupted.keyId]);
    expect(secrets.apps.get(appId)).toHaveLength(2);
    expect(await ledger.isBotMade(appId, interrupted.keyId)).toBe(false);
    expect(devops.calls).toEqual([`LIST ${endpoint.id}`, `PUT ${endpoint.id}`]);
  });

  it('resuming a rotation whose PUT went through (the flip is visible) keeps that secret and only confirms', async () => {
    const plan = await rotatePlan('r1');
    const interrupted = await secrets.addPassword(appId, { displayName: 'x', endDateTime: '2027-01-01T00:00:00Z' });
    await ledger.recordCreated(appId, interrupted.keyId, endpoint.id);
    await devops.inner.update({ ...endpoint, data: { creationMode: 'Manual' } });
    await new ItemStates(store, clock).write(plan.id, endpoint.id, { status: 'running', progress: { keyId: interrupted.keyId, appId } });
    const report = worded(await executor().run(await saved('r1')));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(secrets.removed).toEqual([]);
    expect(devops.calls).toEqual([`LIST ${endpoint.id}`]);
  });
});
