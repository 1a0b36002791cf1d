/**
 * `create` when a write's answer never comes back, with the real adapters against the local cloud. At each write
 * (the new app, the POST, the federated credential, the role assignment, the pipeline authorization) the write
 * commits and then either the process dies (a restart resumes it once the dead run's claim lapsed) or the answer is
 * lost (a reset or a gateway error, the stand-ins' "answer lost after commit" fault). Afterwards the stand-ins hold
 * exactly what the outcome says exists: everything once when done, nothing when it failed and lists no leftovers;
 * a removal that fails is listed, and the thing it names is really there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors';
import type { Plan } from '../../src/domain/plan';
import type { CreateInput } from '../../src/operations/create/create.planner';
import { AzureDevOpsPipelineAccess } from '../../src/devops/azure-devops-pipeline-access';
import type { PipelineAccess } from '../../src/devops/pipeline-access.port';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import type { AppRegistrations, RoleAssignments } from '../../src/azure/federated-identities.port';
import { worded } from '../support/worded';
import { BOT, PROJECT, startHarness, SUBSCRIPTION, TENANT, type Harness } from './operations-harness';
import { crash, createExecutor, createWorld, expectWorldAsReported, itemState, never, savedCreatePlan, type CreateFaults } from './create-support';

/** Owner, under a name fixed per plan (as the command derives it). */
const role = (i: number) => ({ name: 'Owner', assignmentName: `2d3e4f5a-6b7c-4d8e-9f0a-${String(i).padStart(12, '0')}` });
const MI = { clientId: 'd9000000-0000-4000-8000-000000000003', principalId: 'd9000000-0000-4000-8000-000000000004' };
const DEPLOYER = 'd9000000-0000-4000-8000-000000000001';
const MI_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-ops/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-faults`;

let h: Harness;
let n = 0;

beforeAll(async () => {
  h = await startHarness([{ n: 1, name: 'sc-existing' }], { pipelines: [{ id: 10, name: 'payments-ci', project: PROJECT.name }] });
  h.cloud.arm.store.addIdentity({ subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-ops', name: 'id-faults', location: 'westeurope', tenantId: TENANT, ...MI });
  h.cloud.graph.registry.registerApplication({ appId: DEPLOYER, displayName: 'deployer', owners: [BOT.objectId] });
});
afterAll(async () => h?.close());

/** A new-app create with a role and a pipeline: every write the step can make. */
function plan(identity?: CreateInput['identity']): Promise<Plan> {
  n += 1;
  const id = `P-FAULT${String(n).padStart(3, '0')}`;
  const name = `sc-fault-${n}`;
  return savedCreatePlan(h, {
    id, name, identity: identity ?? { kind: 'new-app', displayName: `scbot-${name}-${id.toLowerCase()}` }, role: role(n), pipelines: [{ id: 10, name: 'payments-ci' }],
  });
}

type Step = 'app' | 'POST' | 'credential' | 'role' | 'pipelines';

/** A port whose named methods are replaced; the rest (and their state) are the real adapter's. */
const override = <T extends object>(base: T, methods: Partial<T>): T => Object.assign(Object.create(base) as T, methods);

/** Port doubles whose write reaches the stand-in, then never answers: the process dies right after the commit. */
function commitThenDie(step: Step): { faults: CreateFaults; committed: () => boolean } {
  let done = false;
  const after = async (write: Promise<unknown>): Promise<never> => { await write; done = true; return never(); };
  const pipelines = new AzureDevOpsPipelineAccess(h.devops);
  const faults: Record<Step, () => CreateFaults> = {
    app: () => ({ apps: override<AppRegistrations>(h.apps, { registerApp: (a) => after(h.apps.registerApp(a)) }) }),
    POST: () => ({ devops: override<ServiceEndpoints>(h.devops, { create: (e) => after(h.devops.create(e)) }) }),
    credential: () => ({ apps: override<AppRegistrations>(h.apps, { addFederatedCredential: (a, c) => after(h.apps.addFederatedCredential(a, c)) }) }),
    role: () => ({ roles: override<RoleAssignments>(h.roles, { assign: (a) => after(h.roles.assign(a)) }) }),
    pipelines: () => ({ pipelines: override<PipelineAccess>(pipelines, { setPermissions: (project, id, change) => after(pipelines.setPermissions(project, id, change)) }) }),
  };
  return { faults: faults[step](), committed: () => done };
}

/** Arms the stand-in to commit the write and then lose its answer (a reset, or the status given). */
function loseAnswerOf(step: Step, status?: number): void {
  const how = status === undefined ? {} : { status };
  if (step === 'app') h.cloud.graph.loseAnswer({ method: 'PATCH', path: /^\/v1\.0\/applications\(uniqueName=/i }, how);
  if (step === 'POST') h.cloud.devops.faults.loseAnswer({ method: 'POST', path: /\/_apis\/serviceendpoint\/endpoints$/i }, how);
  if (step === 'credential') h.cloud.graph.loseAnswer({ method: 'POST', path: /\/federatedIdentityCredentials$/i }, how);
  if (step === 'role') h.cloud.arm.loseAnswer({ method: 'PUT', path: /\/roleAssignments\//i }, how);
  if (step === 'pipelines') h.cloud.devops.faults.loseAnswer({ method: 'PATCH', path: /pipelinePermissions\/endpoint\//i }, how);
}

const STEPS: readonly Step[] = ['app', 'POST', 'credential', 'role', 'pipelines'];
const STAGE = { app: 'app', POST: 'connection', credential: 'credential', role: 'role', pipelines: 'pipelines' } as const;

describe('create: a crash right after each write', () => {
  it.each(STEPS)('after the %s committed: the restart finishes it, and everything exists exactly once', async (step) => {
    const p = await plan();
    const { faults, committed } = commitThenDie(step);
    await crash(h, p, faults, committed);
    const key = (await itemState(h, p))?.progress?.create?.key;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    const report = await createExecutor(h).run(p);
    expect(report.items[0]?.status).toBe('done');
    expectWorldAsReported(h, p, report);
    // The run's key was never said: not in the outcome, not in a log line.
    expect(JSON.stringify(worded(report))).not.toContain(key);
    expect(h.logLines.join('\n')).not.toContain(key);
  });
});

describe('create: the answer to each write lost after it committed', () => {
  const cases: Array<[Step, number | undefined]> = [...STEPS.map((s): [Step, undefined] => [s, undefined]), ['app', 504], ['POST', 502], ['credential', 503], ['role', 504]];
  it.each(cases)(
    'lost at the %s (status %s): the outcome and the stand-ins agree', async (step, status) => {
      const p = await plan();
      loseAnswerOf(step, status);
      const report = await createExecutor(h).run(p);
      expectWorldAsReported(h, p, report);
      if (step === 'pipelines') {
        // The pipeline PATCH is idempotent: the adapter sends it again, and the create goes on.
        expect(report.items[0]?.status).toBe('done');
        return;
      }
      expect(report.items[0]).toMatchObject({ status: 'failed', reason: { stage: STAGE[step] } });
      expect(worded(report).items[0]?.reason).toContain('Everything it had made was removed again.');
    });

  it('the credential POST on an app that stays, its answer lost: the credential is removed again', async () => {
    const p = await plan({ kind: 'app', appId: DEPLOYER });
    h.cloud.graph.loseAnswer({ method: 'POST', path: /\/federatedIdentityCredentials$/i });
    const report = await createExecutor(h).run(p);
    expect(report.items[0]).toMatchObject({ status: 'failed', reason: { stage: 'credential' } });
    expectWorldAsReported(h, p, report);
    expect(h.cloud.graph.registry.federatedCredentials(DEPLOYER)?.list()).toEqual([]);
  });

  it('the managed identity\'s credential PUT, its answer lost: the credential is removed again', async () => {
    const p = await plan({ kind: 'managed-identity', clientId: MI.clientId, resourceId: MI_ID, principalId: MI.principalId });
    h.cloud.arm.loseAnswer({ method: 'PUT', path: /\/federatedIdentityCredentials\//i });
    const report = await createExecutor(h).run(p);
    expect(report.items[0]).toMatchObject({ status: 'failed', reason: { stage: 'credential' } });
    expectWorldAsReported(h, p, report);
  });

  it('the role PUT lost and its removal refused: the outcome names the assignment to remove, and it is really there', async () => {
    const p = await plan();
    h.cloud.arm.loseAnswer({ method: 'PUT', path: /\/roleAssignments\//i });
    const refused = new AppError('ARM.FORBIDDEN', 'deleteRoleAssignment: ARM answered 403 AuthorizationFailed.', { status: 403 });
    const roles: RoleAssignments = { assign: (a) => h.roles.assign(a), remove: async () => { throw refused; } };
    const report = worded(await createExecutor(h, { roles }).run(p), 'create …');
    expect(report.items[0]?.reason).toContain(`I could not remove: role assignment ${role(n).assignmentName} (Owner) on /subscriptions/${SUBSCRIPTION} (ARM.FORBIDDEN) — delete it by hand.`);
    const world = createWorld(h, p);
    expect(world.roles).toHaveLength(1);
    expect({ ...world, roles: [] }).toEqual({ connections: [], credentials: [], roles: [], apps: [], grants: [] });
    await h.roles.remove(`/subscriptions/${SUBSCRIPTION}`, role(n).assignmentName);
  });
});

describe('create: a crash during the clean-up', () => {
  it('the resumed run finishes the clean-up and reports the first failure; it never creates again', async () => {
    const p = await plan();
    h.cloud.arm.loseAnswer({ method: 'PUT', path: /\/roleAssignments\//i });
    let removing = false;
    const roles: RoleAssignments = { assign: (a) => h.roles.assign(a), remove: () => { removing = true; return never(); } };
    await crash(h, p, { roles }, () => removing);
    expect((await itemState(h, p))?.progress?.create?.undoing).toMatchObject({ stage: 'role', code: 'ARM.UNAVAILABLE' });
    const posts = () => h.cloud.devops.requests.entries().filter((r) => r.method === 'POST' && /\/_apis\/serviceendpoint\/endpoints$/i.test(r.path)).length;
    const before = posts();
    const report = await createExecutor(h).run(p);
    expect(report.items[0]).toMatchObject({ status: 'failed', code: 'ARM.UNAVAILABLE', reason: { kind: 'create-undone', stage: 'role' } });
    expect(posts()).toBe(before);
    expectWorldAsReported(h, p, report);
  });
});
