import { NO_MIGRATE_STEP } from '../support/federation-fakes';
import { beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/time';
import { CachingServiceEndpoints } from '../../src/devops/caching-service-endpoints';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { AppError } from '../../src/domain/errors';
import type { Plan } from '../../src/domain/plan';
import { planConvert } from '../../src/operations/convert/convert.planner';
import type { ManualClock } from '@scbot/stand-ins';
import { Executor, IDS_PER_LIST, SecretLedger, StorePlanRepository } from '../../src/execution';
import { createSteps } from '../../src/operations/operations';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { FakeAppSecrets, MemoryLogger, newClock, OTHER, PROJECT, RecordingEndpoints, spnEndpoint, target } from './executor-fixture';
import { worded } from '../support/worded';
import { InMemoryPipelineAccess } from '../support/in-memory-pipeline-access';

describe('Executor: the batch read and readiness from the write answer', () => {
  let clock: ManualClock;
  let store: EmbeddedStore;
  let plans: StorePlanRepository;
  /** The saved plan, as the approval workflow hands it to the executor. */
  const saved = async (id: string) => {
    const plan = await plans.get(id);
    if (!plan) throw new Error(`no saved plan ${id}`);
    return plan;
  };
  let sleeps: number[];
  let logger: MemoryLogger;

  beforeEach(() => {
    clock = newClock();
    store = new EmbeddedStore();
    plans = new StorePlanRepository(store);
    sleeps = [];
    logger = new MemoryLogger();
  });

  const executor = (devops: RecordingEndpoints, readiness = { attempts: 3, delayMs: 250 }) => {
    const secrets = new FakeAppSecrets();
    const steps = createSteps({ appSecrets: secrets, verifier: secrets, ledger: new SecretLedger(store, clock), sleep: async () => undefined }, { pipelines: new InMemoryPipelineAccess(), ...NO_MIGRATE_STEP });
    return new Executor({ store, devops, steps, clock, concurrency: 8, logger, readiness, sleep: async (ms) => void sleeps.push(ms) });
  };
  const convertPlan = async (endpoints: ServiceEndpoint[], targets = endpoints.map(target)): Promise<Plan> => {
    const plan = planConvert({ id: 'plan-convert', command: 'convert all', now: clock.now(), targets });
    await plans.save(plan);
    return plan;
  };
  const many = (count: number, project = PROJECT) => Array.from({ length: count }, (_, i) => spnEndpoint(`sc-${project.name}-${i}`, {
    serviceEndpointProjectReferences: [{ projectReference: { ...project }, name: `sc-${project.name}-${i}` }],
  }));

  it(`reads ${IDS_PER_LIST} ids per list call, one set per project, and makes no GET at all`, async () => {
    const alpha = many(120);
    const beta = many(7, OTHER);
    const devops = new RecordingEndpoints([...alpha, ...beta], clock);
    await convertPlan([...alpha, ...beta], [...alpha.map(target), ...beta.map((endpoint) => ({ endpoint, project: { ...OTHER }, history: [] }))]);
    const report = worded(await executor(devops).run(await saved('plan-convert')));
    expect(report.counts).toEqual({ done: 127, skipped: 0, failed: 0 });
    expect(devops.lists().map((ids) => ids.length).sort((a, b) => a - b)).toEqual([7, 20, 50, 50]);
    expect(new Set(devops.lists().flat()).size).toBe(127);
    expect(devops.calls.filter((c) => c.startsWith('PUT'))).toHaveLength(127);
    expect(devops.calls.filter((c) => c.startsWith('GET'))).toEqual([]);
  });

  it('a connection the list no longer has is skipped with no call of its own', async () => {
    const [a, b] = [spnEndpoint('sc-a'), spnEndpoint('sc-b')];
    const devops = new RecordingEndpoints([a, b], clock);
    await convertPlan([a, b]);
    await devops.inner.delete(b.id, [PROJECT.id]);
    const report = worded(await executor(devops).run(await saved('plan-convert')));
    expect(report.items.find((i) => i.endpointId === b.id)).toMatchObject({ status: 'skipped', reason: 'it no longer exists' });
    expect(devops.callsFor(b.id)).toEqual([`LIST ${b.id}`]);
  });

  it('a failed list read falls back to one GET per item of that chunk; the items still run', async () => {
    const [a, b] = [spnEndpoint('sc-a'), spnEndpoint('sc-b')];
    const devops = new RecordingEndpoints([a, b], clock);
    devops.beforeList = () => { throw new AppError('DEVOPS.UNAVAILABLE', 'HTTP 503', { status: 503 }); };
    await convertPlan([a, b]);
    const report = worded(await executor(devops).run(await saved('plan-convert')));
    expect(report.counts.done).toBe(2);
    for (const e of [a, b]) expect(devops.callsFor(e.id)).toEqual([`LIST ${e.id}`, `GET ${e.id}`, `PUT ${e.id} ConvertAuthenticationScheme`]);
    expect(logger.lines.some((l) => l.includes('batch read failed') && l.includes('DEVOPS.UNAVAILABLE'))).toBe(true);
  });

  it('a PUT answer that says InProgress is polled with GET after a wait on the injected sleep, until ready', async () => {
    const a = spnEndpoint('sc-a');
    const devops = new RecordingEndpoints([a], clock);
    devops.answerAfterConvert = (answer) => ({ ...answer, isReady: false, operationStatus: { state: 'InProgress', statusMessage: '' } });
    await convertPlan([a]);
    const report = worded(await executor(devops).run(await saved('plan-convert')));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(devops.callsFor(a.id)).toEqual([`LIST ${a.id}`, `PUT ${a.id} ConvertAuthenticationScheme`, `GET ${a.id}`]);
    expect(sleeps).toEqual([250]);
  });

  it('an answer without a readiness verdict is confirmed by one GET, without waiting', async () => {
    const a = spnEndpoint('sc-a');
    const devops = new RecordingEndpoints([a], clock);
    devops.answerAfterConvert = ({ isReady: _r, operationStatus: _s, ...rest }) => rest;
    await convertPlan([a]);
    await executor(devops).run(await saved('plan-convert'));
    expect(devops.callsFor(a.id)).toEqual([`LIST ${a.id}`, `PUT ${a.id} ConvertAuthenticationScheme`, `GET ${a.id}`]);
    expect(sleeps).toEqual([]);
  });

  it('polling is bounded: still in progress after the last GET → the failure path (automatic revert)', async () => {
    const a = spnEndpoint('sc-a');
    const devops = new RecordingEndpoints([a], clock);
    const inProgress = { isReady: false, operationStatus: { state: 'InProgress', statusMessage: '' } };
    devops.answerAfterConvert = (answer) => ({ ...answer, ...inProgress });
    devops.beforeGet = async (id) => { await devops.inner.update({ ...(await devops.inner.get(PROJECT.id, id))!, ...inProgress }); };
    await convertPlan([a]);
    const report = worded(await executor(devops, { attempts: 2, delayMs: 100 }).run(await saved('plan-convert')));
    expect(report.items[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('reverted automatically') });
    expect(devops.callsFor(a.id)).toEqual([`LIST ${a.id}`, `PUT ${a.id} ConvertAuthenticationScheme`, `GET ${a.id}`, `GET ${a.id}`, `PUT ${a.id} ConvertAuthenticationScheme`]);
    expect(sleeps).toEqual([100, 100]);
  });

  it('execution reads by ids go past the read cache: a change made after a cached list is seen', async () => {
    const a = spnEndpoint('sc-a');
    const devops = new RecordingEndpoints([a], clock);
    const cached = new CachingServiceEndpoints(devops, systemClock, 60_000);
    const filter = { endpointIds: [a.id], includeFailed: true };
    expect(await cached.list(PROJECT.id, filter)).toHaveLength(1);
    await devops.inner.delete(a.id, [PROJECT.id]);
    expect(await cached.list(PROJECT.id, filter)).toEqual([]);
    expect(devops.lists()).toHaveLength(2);
  });
});
