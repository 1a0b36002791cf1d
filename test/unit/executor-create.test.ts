/**
 * The create step under the executor, on in-memory ports that keep state: what exists afterwards (one connection,
 * its federated credential with the subject the create answer named, the role, the pipelines), what a failure
 * removes again, and exactly-once across a run that dies after the POST.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '@scbot/stand-ins';
import { AppError } from '../../src/domain/errors';
import type { Plan } from '../../src/domain/plan';
import { isRefusal } from '../../src/domain/planning';
import { planCreate, type CreateInput } from '../../src/operations/create/create.planner';
import { InMemoryPipelineAccess } from '../support/in-memory-pipeline-access';
import { Executor, ItemStates, SecretLedger, StorePlanRepository } from '../../src/execution';
import { createSteps } from '../../src/operations/operations';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { InMemoryIdentities, InMemoryRoleAssignments, NO_MIGRATE_STEP, ScriptedVerification } from '../support/federation-fakes';
import { worded } from '../support/worded';
import { FakeAppSecrets, MemoryLogger, newClock, PROJECT, RecordingEndpoints, spnEndpoint, TENANT } from './executor-fixture';

const SUB = '5f1e0b2c-7a3d-4c8e-9b6f-2d4a8c1e3f50';
const APP = '11111111-2222-4333-8444-555555555555';
const SP = '22222222-3333-4444-8555-666666666666';
const MI = { clientId: '6c2d9e4f-8a1b-4c3d-9e5f-7a0b1c2d3e4f', id: `/subscriptions/${SUB}/resourceGroups/rg-ops/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-ops`, name: 'id-ops', principalId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' };
const ENTRA = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const ROLE = { name: 'Contributor', assignmentName: '0b7e3c1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d' };

describe('Executor: create', () => {
  let clock: ManualClock;
  let store: EmbeddedStore;
  let identities: InMemoryIdentities;
  let roles: InMemoryRoleAssignments;
  let verification: ScriptedVerification;
  let pipelines: InMemoryPipelineAccess;
  let devops: RecordingEndpoints;
  let logger: MemoryLogger;

  beforeEach(() => {
    clock = newClock();
    store = new EmbeddedStore();
    identities = new InMemoryIdentities().addApp({ appId: APP, objectId: 'o-app', servicePrincipalId: SP }).addManagedIdentity({ ...MI, subscriptionId: SUB });
    roles = new InMemoryRoleAssignments();
    verification = new ScriptedVerification();
    pipelines = new InMemoryPipelineAccess({ pipelines: { [PROJECT.id]: [{ id: 7, name: 'payments-ci' }] } });
    devops = new RecordingEndpoints([spnEndpoint('sc-existing')], clock);
    logger = new MemoryLogger();
  });

  const executor = () => {
    const secrets = new FakeAppSecrets();
    const steps = createSteps({ appSecrets: secrets, verifier: secrets, ledger: new SecretLedger(store, clock), sleep: async () => undefined },
      { ...NO_MIGRATE_STEP, pipelines, apps: identities, managedIdentities: identities, roles, verification });
    return new Executor({ store, devops, steps, clock, concurrency: 1, logger, sleep: async () => undefined });
  };

  const plan = async (over: Partial<CreateInput> = {}): Promise<Plan> => {
    const p = planCreate({
      id: 'P-CREATE01', command: 'create sc-new in Alpha …', now: clock.now(), project: PROJECT, name: 'sc-new', tenantId: TENANT, subscriptionId: SUB,
      identity: { kind: 'app', appId: APP }, pipelines: [{ id: 7, name: 'payments-ci' }], ...over,
    });
    if (isRefusal(p)) throw new Error(p.reason);
    await new StorePlanRepository(store).save(p);
    return p;
  };
  const created = () => devops.inner.getByName(PROJECT.id, 'sc-new', { includeFailed: true });
  const posts = () => devops.calls.filter((c) => c === 'POST sc-new');

  it('an app: the connection, the credential with exactly the issuer and subject the answer named, the pipeline, Verify', async () => {
    const report = worded(await executor().run(await plan()));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    const made = await created();
    expect(made?.data).toMatchObject({ creationMode: 'Manual' });
    expect(posts()).toHaveLength(1);
    const subject = made?.authorization?.parameters?.workloadIdentityFederationSubject;
    expect(identities.credentialsOf(APP)).toEqual([expect.objectContaining({ name: 'scbot-sc-new-p-create01', issuer: ENTRA, subject, audiences: ['api://AzureADTokenExchange'] })]);
    expect((await pipelines.permissions(PROJECT.id, made!.id))).toMatchObject({ allPipelines: false, pipelines: [expect.objectContaining({ id: 7 })] });
    expect(verification.verified).toEqual([made?.id]);
    expect(report.items[0]?.reason).toContain(`verified (id ${made?.id}); federated credential 'scbot-sc-new-p-create01' added; authorized for payments-ci`);
  });

  it('a managed identity with a role: the credential through ARM, the role on the identity\'s principal', async () => {
    const report = await executor().run(await plan({ identity: { kind: 'managed-identity', clientId: MI.clientId, resourceId: MI.id, principalId: MI.principalId }, role: ROLE }));
    expect(report.items[0]?.status).toBe('done');
    expect(identities.credentialsOf(MI.clientId)).toHaveLength(1);
    expect(roles.assignments).toEqual([expect.objectContaining({ scope: `/subscriptions/${SUB}`, name: ROLE.assignmentName, principalId: MI.principalId })]);
  });

  it('a new app: Graph makes app and service principal, the connection signs in as it, the role goes to its principal', async () => {
    const report = worded(await executor().run(await plan({ identity: { kind: 'new-app', displayName: 'scbot-sc-new-p-create01' }, role: ROLE })));
    expect(report.items[0]?.status).toBe('done');
    const app = await identities.findByDisplayName('scbot-sc-new-p-create01');
    expect((await created())?.authorization?.parameters?.serviceprincipalid).toBe(app?.appId);
    expect(identities.credentialsOf(app!.appId)).toHaveLength(1);
    expect(roles.assignments[0]?.principalId).toBe(app?.servicePrincipalId);
    expect(report.items[0]?.reason).toContain(`app registration ${app?.appId} made for it; Contributor assigned on its scope`);
  });

  it('a new app Graph holds as multitenant under the run\'s key: not used, removed again, the reason said', async () => {
    const register = identities.registerApp.bind(identities);
    identities.registerApp = async (a) => {
      const app = await register(a);
      identities.apps.get(app.appId)!.signInAudience = 'AzureADMultipleOrgs';
      return (await identities.findByKey(a.key))!;
    };
    const report = worded(await executor().run(await plan({ identity: { kind: 'new-app', displayName: 'scbot-sc-new-p-create01' }, role: ROLE })));
    expect(report.items[0]?.reason).toMatch(/^not created: the app registration could not be created \(app registration aa[0-9a-f-]+ is not single-tenant \(AzureADMultipleOrgs\), so I do not use it\)\. Everything it had made was removed again\./);
    expect(identities.apps.size).toBe(1);
    expect(posts()).toHaveLength(0);
    expect(roles.assignments).toEqual([]);
  });

  it('the run\'s key is recorded before the first write, and the POST carries it beside the marker', async () => {
    const p = await plan();
    devops.afterCreate = () => new Promise<void>(() => undefined);
    void executor().run(p);
    await expect.poll(() => posts().length).toBe(1);
    const key = (await new ItemStates(store, clock).all(p.id)).get('new:sc-new')?.progress?.create?.key;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect((await created())?.description).toBe(`Created by scbot [scbot:P-CREATE01:create] [key:${key}]`);
    expect(JSON.stringify(p)).not.toContain(key);
  });

  it('Verify fails: connection, credential, role assignment and new app are removed again; the outcome says so', async () => {
    verification.answer = { ok: false, message: 'AADSTS700213: No matching federated identity record found' };
    const report = worded(await executor().run(await plan({ identity: { kind: 'new-app', displayName: 'scbot-sc-new-p-create01' }, role: ROLE })));
    expect(report.items[0]?.status).toBe('failed');
    expect(report.items[0]?.reason).toBe('not created: Verify failed (AADSTS700213: No matching federated identity record found). Everything it had made was removed again. Then run `(the plan)` again');
    expect(await created()).toBeNull();
    expect(await identities.findByDisplayName('scbot-sc-new-p-create01')).toBeNull();
    expect(roles.assignments).toEqual([]);
    // Asked as often as the readiness polling allows (5 by default), then given up.
    expect(verification.verified).toHaveLength(5);
  });

  it('Verify that fails only at first (a credential still propagating) is asked again, and the connection stays', async () => {
    const verify = verification.verify.bind(verification);
    verification.verify = async (project, id) => {
      const answer = await verify(project, id);
      return verification.verified.length === 1 ? { ok: false, message: 'AADSTS700213: not yet' } : answer;
    };
    const report = await executor().run(await plan());
    expect(report.items[0]?.status).toBe('done');
    expect(verification.verified).toHaveLength(2);
    expect(await created()).not.toBeNull();
  });

  it('a role the bot may not assign: what was made is removed; what cannot be removed is listed by name', async () => {
    roles.failNext = new AppError('ARM.FORBIDDEN', 'createRoleAssignment: ARM answered 403 AuthorizationFailed.', { status: 403 });
    identities.removeFederatedCredential = async () => { throw new AppError('GRAPH.UNAVAILABLE', 'Graph is down'); };
    const report = worded(await executor().run(await plan({ role: ROLE })), 'create sc-new …');
    expect(report.items[0]).toMatchObject({ status: 'failed', code: 'ARM.FORBIDDEN' });
    expect(report.items[0]?.reason).toMatch(/^not created: the role could not be assigned \(ARM\.FORBIDDEN, reference R-[A-Z0-9]+\)\. I could not remove: federated credential 'scbot-sc-new-p-create01' on app 11111111-2222-4333-8444-555555555555 \(GRAPH\.UNAVAILABLE\) — delete it by hand\./);
    expect(report.items[0]?.reason).toContain('The bot needs User Access Administrator or Owner on the scope. Then run `create sc-new …` again');
    expect(await created()).toBeNull();
    expect(identities.credentialsOf(APP)).toHaveLength(1);
    // Never a stack trace or a service message in the outcome; the log has the details under the reference.
    expect(report.items[0]?.reason).not.toMatch(/\n\s+at |AuthorizationFailed/);
    expect(logger.lines.some((l) => l.includes('plan item step failed'))).toBe(true);
  });

  it('a name taken since the preview: nothing is made', async () => {
    const p = await plan();
    await devops.inner.create({ ...spnEndpoint('sc-new'), serviceEndpointProjectReferences: [{ projectReference: { ...PROJECT }, name: 'sc-new' }] });
    const report = worded(await executor().run(p));
    expect(report.items[0]).toMatchObject({ status: 'skipped', reason: 'a connection of that name exists and this plan did not make it, so I made nothing' });
    expect(posts()).toHaveLength(0);
  });

  it('another run claimed the item meanwhile (a progress write loses the race): this run steps back and removes nothing', async () => {
    const p = await plan();
    const items = new ItemStates(store, clock);
    // Right after the POST, another instance takes the item over (its write lands between ours).
    devops.afterCreate = async () => {
      const current = await items.get(p.id, 'new:sc-new');
      await items.write(p.id, 'new:sc-new', { status: 'running', runId: 'other-run', leaseUntil: new Date(clock.now().getTime() + 60_000).toISOString(), progress: {} }, current?.version);
    };
    const report = await executor().run(p);
    expect(report.items[0]).toMatchObject({ status: 'skipped', reason: { kind: 'another-run' } });
    expect(await created()).not.toBeNull();
  });

  it('crash after the POST, before its answer was recorded: the resumed run adopts the connection (marker) and finishes once', async () => {
    const p = await plan();
    // The POST reaches Azure DevOps; the process dies before it hears the answer.
    devops.afterCreate = () => new Promise<void>(() => undefined);
    void executor().run(p);
    await expect.poll(() => posts().length).toBe(1);
    const state = (await new ItemStates(store, clock).all(p.id)).get('new:sc-new');
    expect(state).toMatchObject({ status: 'running', progress: { create: { posting: true } } });
    expect(state?.progress?.create?.endpointId).toBeUndefined();
    devops.afterCreate = undefined;
    clock.advance(5 * 60_000); // the dead run's claim lapses
    const report = await executor().run(p);
    expect(report.items[0]?.status).toBe('done');
    expect(posts()).toHaveLength(1);
    expect((await devops.inner.list(PROJECT.id, { includeFailed: true })).filter((e) => e.name === 'sc-new')).toHaveLength(1);
    expect(identities.credentialsOf(APP)).toHaveLength(1);
  });

  it('crash after the credential: the resumed run goes on from the role, and makes nothing twice', async () => {
    const p = await plan({ role: ROLE });
    let assigns = 0;
    const assign = roles.assign.bind(roles);
    roles.assign = async (a) => (++assigns === 1 ? new Promise<never>(() => undefined) : assign(a));
    void executor().run(p);
    await expect.poll(() => assigns).toBe(1);
    expect((await new ItemStates(store, clock).all(p.id)).get('new:sc-new')?.progress?.create).toMatchObject({ credential: true });
    clock.advance(5 * 60_000);
    const report = await executor().run(p);
    expect(report.items[0]?.status).toBe('done');
    expect(posts()).toHaveLength(1);
    expect(identities.credentialsOf(APP)).toHaveLength(1);
    expect(roles.assignments).toHaveLength(1);
  });
});
