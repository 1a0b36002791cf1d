/**
 * create across a crash, with the real adapters against the local cloud and the embedded store on disk: the process
 * "dies" at each state the create step records (the new app made but not yet recorded; the POST sent but its answer
 * lost; the credential made but the role not yet assigned); a new executor — as after a restart — resumes once the
 * dead run's claim lapsed. Afterwards exactly one connection, one app, one credential and one role assignment exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/domain/plan';
import type { CreateInput } from '../../src/operations/create/create.planner';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import type { AppRegistrations } from '../../src/azure/federated-identities.port';
import { BOT, PROJECT, startHarness, SUBSCRIPTION, type Harness } from './operations-harness';
import { connectionsNamed, crash as crashAt, createExecutor, itemState, never, savedCreatePlan, type CreateFaults } from './create-support';

const DEPLOYER = 'd8000000-0000-4000-8000-000000000001';
/** One role assignment name per plan, as `create` derives it from the plan id: ARM refuses a name reused for another principal. */
const roleFor = (planId: string) => ({ name: 'Reader', assignmentName: `1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e${planId.slice(-2)}` });

let h: Harness;

beforeAll(async () => {
  h = await startHarness([{ n: 1, name: 'sc-existing' }], { pipelines: [{ id: 10, name: 'payments-ci', project: PROJECT.name }] });
  h.cloud.graph.registry.registerApplication({ appId: DEPLOYER, displayName: 'deployer', owners: [BOT.objectId] });
});
afterAll(async () => h?.close());

const executor = (faults: CreateFaults = {}) => createExecutor(h, faults);
const plan = (id: string, name: string, identity: CreateInput['identity']): Promise<Plan> => savedCreatePlan(h, { id, name, identity, role: roleFor(id), pipelines: [{ id: 10, name: 'payments-ci' }] });
const crash = (p: Plan, faults: CreateFaults, hung: () => boolean) => crashAt(h, p, faults, hung);
const named = (name: string) => connectionsNamed(h, name);
const posts = (name: string) => h.cloud.devops.requests.entries().filter((r) => r.method === 'POST' && /\/_apis\/serviceendpoint\/endpoints$/i.test(r.path) && (r.body as { name?: string })?.name === name);
const state = (p: Plan) => itemState(h, p);

describe('create across a crash', () => {
  it('after the POST, its answer lost: the restart adopts the connection by its marker, no second POST', async () => {
    const p = await plan('P-CRASH001', 'sc-crash-post', { kind: 'app', appId: DEPLOYER });
    let sent = false;
    const devops: ServiceEndpoints = Object.assign(Object.create(h.devops) as ServiceEndpoints, {
      create: async (endpoint: Parameters<ServiceEndpoints['create']>[0]) => { await h.devops.create(endpoint); sent = true; return never(); },
    });
    await crash(p, { devops }, () => sent);
    expect(await state(p)).toMatchObject({ status: 'running', progress: { create: { posting: true } } });
    const report = await executor().run(p);
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(posts('sc-crash-post')).toHaveLength(1);
    expect(named('sc-crash-post')).toHaveLength(1);
    const subject = named('sc-crash-post')[0]?.authorization?.parameters?.workloadIdentityFederationSubject;
    expect(h.cloud.graph.registry.federatedCredentials(DEPLOYER)?.list().filter((f) => f.subject === subject)).toHaveLength(1);
  });

  it('after the credential, before the role: the restart assigns the role once and makes nothing twice', async () => {
    const p = await plan('P-CRASH002', 'sc-crash-role', { kind: 'app', appId: DEPLOYER });
    let asked = false;
    await crash(p, { roles: { assign: () => { asked = true; return never(); }, remove: (s, n) => h.roles.remove(s, n) } }, () => asked);
    expect((await state(p))?.progress?.create).toMatchObject({ credential: true, endpointId: named('sc-crash-role')[0]?.id });
    const report = await executor().run(p);
    expect(report.items[0]?.status).toBe('done');
    expect(posts('sc-crash-role')).toHaveLength(1);
    // Once: the app's principal holds Reader on the scope a single time (the first plan's PUT made it; this one's
    // PUT, under its own name, is ARM's 409 RoleAssignmentExists, which counts as done).
    const principal = h.cloud.graph.registry.servicePrincipalIdOf(DEPLOYER);
    expect(h.cloud.arm.store.roleAssignments.filter((r) => r.principalId === principal && r.scope === `/subscriptions/${SUBSCRIPTION}`)).toHaveLength(1);
  });

  it('a new app made, the process dead before it was recorded: the restart finds it by its key, one app only', async () => {
    const displayName = 'scbot-sc-crash-app-p-crash003';
    const p = await plan('P-CRASH003', 'sc-crash-app', { kind: 'new-app', displayName });
    let made = false;
    const apps: AppRegistrations = Object.assign(Object.create(h.apps) as AppRegistrations, {
      registerApp: async (app: Parameters<AppRegistrations['registerApp']>[0]) => { await h.apps.registerApp(app); made = true; return never(); },
    });
    await crash(p, { apps }, () => made);
    expect((await state(p))?.progress?.create?.app).toBeUndefined();
    const report = await executor().run(p);
    expect(report.items[0]?.status).toBe('done');
    const apps2 = h.cloud.graph.registry.listApplications().filter((a) => a.displayName === displayName);
    expect(apps2).toHaveLength(1);
    expect(named('sc-crash-app')[0]?.authorization?.parameters?.serviceprincipalid).toBe(apps2[0]?.appId);
  });
});
