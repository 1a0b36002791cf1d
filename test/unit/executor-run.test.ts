import { NO_MIGRATE_STEP } from '../support/federation-fakes';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { AppError } from '../../src/domain/errors';
import type { Plan } from '../../src/domain/plan';
import { planConvert } from '../../src/operations/convert/convert.planner';
import { planDelete } from '../../src/operations/delete/delete.planner';
import { planRevert } from '../../src/operations/revert/revert.planner';
import type { Refusal } from '../../src/domain/planning';
import type { ManualClock } from '@scbot/stand-ins';
import { Executor, ItemStates, SecretLedger, StorePlanRepository } from '../../src/execution';
import { createSteps } from '../../src/operations/operations';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { FakeAppSecrets, newClock, OTHER, PROJECT, RecordingEndpoints, spnEndpoint, target } from './executor-fixture';
import { worded } from '../support/worded';
import { InMemoryPipelineAccess } from '../support/in-memory-pipeline-access';

describe('Executor: convert, delete, revert against a recording fake', () => {
  let clock: ManualClock;
  let store: EmbeddedStore;
  let plans: StorePlanRepository;
  /** The saved plan, as the approval workflow hands it to the executor. */
  const saved = async (id: string) => {
    const plan = await plans.get(id);
    if (!plan) throw new Error(`no saved plan ${id}`);
    return plan;
  };

  beforeEach(() => {
    clock = newClock();
    store = new EmbeddedStore();
    plans = new StorePlanRepository(store);
  });

  const executor = (devops: RecordingEndpoints, concurrency = 8) => {
    const secrets = new FakeAppSecrets();
    const steps = createSteps({ appSecrets: secrets, verifier: secrets, ledger: new SecretLedger(store, clock), sleep: async () => undefined }, { pipelines: new InMemoryPipelineAccess(), ...NO_MIGRATE_STEP });
    return new Executor({ store, devops, steps, clock, concurrency });
  };
  const save = async (plan: Plan | Refusal): Promise<Plan> => {
    if ('kind' in plan) throw new Error(`refused: ${plan.reason}`);
    await plans.save(plan);
    return plan;
  };
  const convertPlan = (endpoints: ServiceEndpoint[]) =>
    save(planConvert({ id: 'plan-convert', command: 'convert all', now: clock.now(), targets: endpoints.map(target) }));

  it('converts every planned item with one list read and one PUT ?operation each (its answer says ready), and reports progress', async () => {
    const endpoints = [spnEndpoint('sc-a'), spnEndpoint('sc-b'), spnEndpoint('sc-c'), spnEndpoint('sc-manual', { data: { creationMode: 'Manual' } })];
    const devops = new RecordingEndpoints(endpoints, clock);
    await convertPlan(endpoints);
    const progress: Array<[number, number]> = [];
    const report = worded(await executor(devops).run(await saved('plan-convert'), { onProgress: (done, total) => progress.push([done, total]) }));
    expect(report.counts).toEqual({ done: 3, skipped: 1, failed: 0 });
    expect(report.items.find((i) => i.name === 'sc-manual')).toMatchObject({ status: 'skipped' });
    for (const e of endpoints.slice(0, 3)) {
      expect(devops.callsFor(e.id)).toEqual([`LIST ${e.id}`, `PUT ${e.id} ConvertAuthenticationScheme`]);
      expect((await devops.inner.get(PROJECT.id, e.id))?.authorization?.scheme).toBe('WorkloadIdentityFederation');
    }
    expect(devops.bodies.every((b) => !('revertSchemeDeadline' in (b.data ?? {})))).toBe(true);
    expect(devops.callsFor(endpoints[3]?.id ?? '')).toEqual([]);
    expect(devops.lists()).toEqual([endpoints.slice(0, 3).map((e) => e.id)]);
    expect(devops.calls.filter((c) => c.startsWith('GET'))).toEqual([]);
    expect(progress).toEqual([[1, 3], [2, 3], [3, 3]]);
  });

  it('starts no new item once its run lease is lost (the signal aborts): items in flight finish, the rest are left to the new owner', async () => {
    const endpoints = [spnEndpoint('sc-a'), spnEndpoint('sc-b'), spnEndpoint('sc-c')];
    const devops = new RecordingEndpoints(endpoints, clock);
    await convertPlan(endpoints);
    const lost = new AbortController();
    // Concurrency 1: the lease is lost while the first item is in flight.
    const report = worded(await executor(devops, 1).run(await saved('plan-convert'), { signal: lost.signal, onProgress: () => lost.abort() }));
    expect(report.items.map((i) => [i.name, i.status, i.reason])).toEqual([
      ['sc-a', 'done', undefined], ['sc-b', 'skipped', 'being executed by another run'], ['sc-c', 'skipped', 'being executed by another run'],
    ]);
    expect(devops.calls.filter((c) => c.startsWith('PUT'))).toEqual([`PUT ${endpoints[0]!.id} ConvertAuthenticationScheme`]);
    // The items it left are still pending: the run that took over owns them.
    expect((await new ItemStates(store, clock).get('plan-convert', endpoints[1]!.id))?.value.status).toBe('pending');
  });

  it('skips an item that changed since the preview, with no call of its own and no write', async () => {
    const a = spnEndpoint('sc-a');
    const b = spnEndpoint('sc-b');
    const devops = new RecordingEndpoints([a, b], clock);
    await convertPlan([a, b]);
    await devops.inner.update({ ...b, description: 'edited after the preview', url: 'https://elsewhere/' });
    const report = worded(await executor(devops).run(await saved('plan-convert')));
    expect(report.items.find((i) => i.endpointId === b.id)).toMatchObject({ status: 'skipped', reason: 'changed since preview' });
    expect(devops.callsFor(b.id)).toEqual([`LIST ${b.id}`]);
    expect(report.counts.done).toBe(1);
  });

  it('fails one item with the translated text and its code; the others complete', async () => {
    const endpoints = [spnEndpoint('sc-a'), spnEndpoint('sc-b'), spnEndpoint('sc-c')];
    const devops = new RecordingEndpoints(endpoints, clock);
    const broken = endpoints[1]?.id;
    devops.beforeUpdate = (id) => { if (id === broken) throw new AppError('DEVOPS.UNAVAILABLE', 'Azure DevOps answered HTTP 500 while updating', { status: 500 }); };
    await convertPlan(endpoints);
    const run = await executor(devops).run(await saved('plan-convert'));
    // The item keeps a value (code + reference); the words are drawn from it with the plan's command.
    expect(run.items.find((i) => i.endpointId === broken)?.reason).toMatchObject({ kind: 'error', referenceId: expect.stringMatching(/^R-/) });
    const report = worded(run, 'convert all');
    const failed = report.items.find((i) => i.endpointId === broken);
    expect(failed).toMatchObject({ status: 'failed', code: 'DEVOPS.UNAVAILABLE' });
    expect(failed?.reason).toContain('Azure DevOps is not answering properly right now.');
    expect(failed?.reason).toContain('`convert all`');
    expect(failed?.reason).toMatch(/Reference: R-[0-9A-Z]{8}/);
    expect(failed?.reason).not.toContain('HTTP 500');
    expect(report.counts).toEqual({ done: 2, skipped: 0, failed: 1 });
  });

  it('reverts a conversion that is not ready, and reports it as failed', async () => {
    const a = spnEndpoint('sc-a');
    const devops = new RecordingEndpoints([a], clock);
    devops.notReadyAfterConvert.add(a.id);
    await convertPlan([a]);
    const report = worded(await executor(devops).run(await saved('plan-convert')));
    expect(report.items[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('reverted automatically') });
    expect(devops.callsFor(a.id)).toEqual([`LIST ${a.id}`, `PUT ${a.id} ConvertAuthenticationScheme`, `PUT ${a.id} ConvertAuthenticationScheme`]);
    expect((await devops.inner.get(PROJECT.id, a.id))?.authorization?.scheme).toBe('ServicePrincipal');
  });

  it('a second run of a finished plan makes no call at all', async () => {
    const endpoints = [spnEndpoint('sc-a'), spnEndpoint('sc-b')];
    const devops = new RecordingEndpoints(endpoints, clock);
    await convertPlan(endpoints);
    const first = worded(await executor(devops).run(await saved('plan-convert')));
    const calls = devops.calls.length;
    const second = worded(await executor(devops).run(await saved('plan-convert')));
    expect(devops.calls).toHaveLength(calls);
    expect(second).toEqual(first);
  });

  it('resumes an abandoned run: finished items are not repeated, the interrupted one is re-read', async () => {
    const endpoints = ['sc-a', 'sc-b', 'sc-c', 'sc-d'].map((n) => spnEndpoint(n));
    const [a, b, c, d] = endpoints as [ServiceEndpoint, ServiceEndpoint, ServiceEndpoint, ServiceEndpoint];
    const crashed = new RecordingEndpoints(endpoints, clock);
    // The process "dies" during b's PUT: the call never returns and the executor is abandoned.
    crashed.beforeUpdate = (id) => (id === b.id ? new Promise<void>(() => undefined) : undefined);
    await convertPlan(endpoints);
    void executor(crashed, 1).run(await saved('plan-convert'));
    await expect.poll(() => crashed.callsFor(b.id)).toEqual([`LIST ${b.id}`, `PUT ${b.id} ConvertAuthenticationScheme`]);
    const states = await new ItemStates(store, clock).all('plan-convert');
    expect(states.get(a.id)?.status).toBe('done');
    expect(states.get(b.id)?.status).toBe('running');
    // A new process: same store, a fresh adapter onto the same service state (the lost PUT never applied).
    const early = new RecordingEndpoints(endpoints, clock);
    const within = worded(await executor(early, 1).run(await saved('plan-convert')));
    expect(within.items.find((i) => i.endpointId === b.id)).toMatchObject({ status: 'skipped', reason: 'being executed by another run' });
    expect(early.callsFor(a.id)).toEqual([]);
    expect(early.callsFor(b.id)).toEqual([]);
    expect(early.lists()).toEqual([[c.id, d.id]]); // finished and claimed items are not re-read
    expect(early.callsFor(c.id)).toHaveLength(2);
    expect(early.callsFor(d.id)).toHaveLength(2);
    clock.advance(5 * 60_000); // the abandoned run's claim lapses
    const healthy = new RecordingEndpoints(endpoints, clock);
    const report = worded(await executor(healthy, 1).run(await saved('plan-convert')));
    expect(report.counts).toEqual({ done: 4, skipped: 0, failed: 0 });
    expect(healthy.calls).toEqual([`LIST ${b.id}`, `PUT ${b.id} ConvertAuthenticationScheme`]);
  });

  it('an item left running whose conversion went through is settled by the re-read alone', async () => {
    const a = spnEndpoint('sc-a');
    const devops = new RecordingEndpoints([a], clock);
    const plan = await convertPlan([a]);
    await devops.inner.update({ ...a, authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: 't', serviceprincipalid: 's' } } });
    await new ItemStates(store, clock).write(plan.id, a.id, { status: 'running', progress: {} });
    const report = worded(await executor(devops).run(plan));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(devops.calls).toEqual([`LIST ${a.id}`]);
  });

  it('delete: flips an Automatic connection to Manual, then DELETE; a shared one is only unshared', async () => {
    const lone = spnEndpoint('sc-lone');
    const shared = spnEndpoint('sc-shared', {
      isShared: true,
      serviceEndpointProjectReferences: [{ projectReference: { ...PROJECT }, name: 'sc-shared' }, { projectReference: { ...OTHER }, name: 'sc-shared' }],
    });
    const devops = new RecordingEndpoints([lone, shared], clock);
    await save(planDelete({ id: 'plan-del', command: 'delete', now: clock.now(), targets: [lone, shared].map(target), options: { everywhere: false, deep: false } }));
    const report = worded(await executor(devops).run(await saved('plan-del')));
    expect(report.counts.done).toBe(2);
    expect(devops.callsFor(lone.id)).toEqual([`LIST ${lone.id}`, `PUT ${lone.id}`, `DELETE ${lone.id} ${PROJECT.id}`]);
    const flipped = devops.bodies[0];
    expect(flipped?.data).toMatchObject({ creationMode: 'Manual' });
    for (const key of ['azureSpnRoleAssignmentId', 'spnObjectId', 'appObjectId', 'azureSpnPermissions']) expect(flipped?.data ?? {}).not.toHaveProperty(key);
    expect(devops.callsFor(shared.id)).toEqual([`LIST ${shared.id}`, `DELETE ${shared.id} ${PROJECT.id}`]);
    expect(devops.lists()).toHaveLength(1);
    expect(await devops.inner.get(OTHER.id, shared.id)).not.toBeNull();
    expect(await devops.inner.get(PROJECT.id, lone.id)).toBeNull();
  });

  it('revert: within the window PUT back to ServicePrincipal (its answer confirms); once it passed, skipped naming the deadline', async () => {
    const deadline = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const wif = spnEndpoint('sc-wif', {
      authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: 't', serviceprincipalid: 's' } },
      data: { creationMode: 'Automatic', revertSchemeDeadline: deadline },
    });
    const devops = new RecordingEndpoints([wif], clock);
    await save(planRevert({ id: 'plan-rev-1', command: 'revert sc-wif', now: clock.now(), target: target(wif) }));
    await save(planRevert({ id: 'plan-rev-2', command: 'revert sc-wif', now: clock.now(), target: target(wif) }));
    clock.advance(2 * 3_600_000);
    const late = worded(await executor(devops).run(await saved('plan-rev-2')));
    expect(late.items[0]).toMatchObject({ status: 'skipped', reason: `the revert window ended at ${deadline}` });
    expect(devops.calls).toEqual([`LIST ${wif.id}`]);
    clock.advance(-2 * 3_600_000);
    const report = worded(await executor(devops).run(await saved('plan-rev-1')));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(devops.callsFor(wif.id).slice(1)).toEqual([`LIST ${wif.id}`, `PUT ${wif.id} ConvertAuthenticationScheme`]);
  });

  it('two runs of one plan at once: each item is claimed by one of them and converted exactly once', async () => {
    const endpoints = ['sc-a', 'sc-b', 'sc-c', 'sc-d', 'sc-e', 'sc-f'].map((n) => spnEndpoint(n));
    const devops = new RecordingEndpoints(endpoints, clock);
    await convertPlan(endpoints);
    const [one, two] = await Promise.all([executor(devops, 3).run(await saved('plan-convert')), executor(devops, 3).run(await saved('plan-convert'))]);
    for (const e of endpoints) expect(devops.callsFor(e.id).filter((c) => c.startsWith('PUT'))).toHaveLength(1);
    const states = await new ItemStates(store, clock).all('plan-convert');
    expect([...states.values()].every((s) => s.status === 'done')).toBe(true);
    expect((one?.counts.done ?? 0) + (two?.counts.done ?? 0)).toBe(6);
  });

  it('records every item as pending before the first one starts', async () => {
    const endpoints = [spnEndpoint('sc-a'), spnEndpoint('sc-b')];
    const devops = new RecordingEndpoints(endpoints, clock);
    await convertPlan(endpoints);
    const seen: string[][] = [];
    devops.beforeList = async () => { seen.push([...(await new ItemStates(store, clock).all('plan-convert')).values()].map((s) => s.status)); };
    await executor(devops, 1).run(await saved('plan-convert'));
    expect(seen[0]).toEqual(['pending', 'pending']);
  });
});
