/**
 * `create` against someone who reads the preview card and gets there first, with the real adapters against the local
 * cloud. Everything the card shows (the new app's display name, the marker `[scbot:<plan>:create]`, the connection's
 * name) can be copied; none of it makes the bot take another's app or connection as its own:
 * - an app registered with the card's display name, the bot added as co-owner, is never used;
 * - a connection made with the card's name and marker (open to all pipelines, shared into another project) is never
 *   adopted or touched; the approval itself finds the name taken;
 * - what the bot made itself is taken up again after a crash only while it still is what the plan says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHANGE_SETTINGS } from '../../src/commands';
import { createBody } from '../../src/operations/create/create-connection';
import type { Plan } from '../../src/domain/plan';
import { AzureDevOpsPipelineAccess } from '../../src/devops/azure-devops-pipeline-access';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import type { AppRegistrations, RoleAssignments } from '../../src/azure/federated-identities.port';
import { startPlanChat, type PlanChatSession } from '../support/plan-chat';
import { worded } from '../support/worded';
import { BOT, HARNESS_TUNING, OTHER, PROJECT, startHarness, SUBSCRIPTION, TENANT, type Harness } from './operations-harness';
import { connectionsNamed, crash, createExecutor, createWorld, itemState, never, savedCreatePlan } from './create-support';
import type { CreateItem } from '../../src/operations/create/create.payload';

const ATTACKER = { appId: 'a7000000-0000-4000-8000-000000000001', servicePrincipalId: 'a7000000-0000-4000-8000-000000000002' };
const DEPLOYER = 'd6000000-0000-4000-8000-000000000001';
/** Owner, under a name fixed per plan (as the command derives it). */
const owner = (i: number) => ({ name: 'Owner', assignmentName: `3e4f5a6b-7c8d-4e9f-8a0b-${String(i).padStart(12, '0')}` });

let h: Harness;

beforeAll(async () => {
  h = await startHarness([{ n: 1, name: 'sc-existing' }], { pipelines: [{ id: 10, name: 'payments-ci', project: PROJECT.name }] });
  h.cloud.graph.registry.registerApplication({ appId: DEPLOYER, displayName: 'deployer', owners: [BOT.objectId] });
});
afterAll(async () => h?.close());

const newApp = (id: string, name: string, i: number) => savedCreatePlan(h, { id, name, identity: { kind: 'new-app', displayName: `scbot-${name}-${id.toLowerCase()}` }, role: owner(i) });

/** What a project member with Endpoint Creator can make from the card: the name and the marker, their own app, open to all. */
async function squat(p: Plan<CreateItem>): Promise<string> {
  const made = await h.devops.create(createBody(p.items[0]!.create!, PROJECT, ATTACKER.appId));
  await h.devops.share(made.id, [{ projectReference: { ...OTHER }, name: p.items[0]!.name }]);
  await new AzureDevOpsPipelineAccess(h.devops).setPermissions(PROJECT.id, made.id, { allPipelines: true });
  return made.id;
}

describe('create never takes an app it cannot prove it made', () => {
  it('an app registered first with the card\'s display name, the bot its co-owner: the bot makes its own and the attacker gets nothing', async () => {
    const p = await newApp('P-HIJACK01', 'sc-hijack-app', 1);
    const displayName = (p.items[0]!.create!.identity as { displayName: string }).displayName;
    h.cloud.graph.registry.registerApplication({ appId: ATTACKER.appId, displayName, servicePrincipalId: ATTACKER.servicePrincipalId, owners: [ATTACKER.servicePrincipalId, BOT.objectId] });
    const report = worded(await createExecutor(h).run(p));
    expect(report.items[0]?.status).toBe('done');
    const used = connectionsNamed(h, 'sc-hijack-app')[0]?.authorization?.parameters?.serviceprincipalid;
    expect(used).not.toBe(ATTACKER.appId);
    expect(h.cloud.graph.registry.getApplication(used ?? '')?.uniqueName).toMatch(/^[0-9a-f]{32}$/);
    expect(h.cloud.graph.registry.ownersOf(used ?? '')).toEqual([BOT.objectId.toLowerCase()]);
    // Nothing of the attacker's was touched or empowered: no credential on its app, no role for its principal.
    expect(h.cloud.graph.registry.federatedCredentials(ATTACKER.appId)?.list()).toEqual([]);
    expect(h.cloud.arm.store.roleAssignments.filter((r) => r.principalId === ATTACKER.servicePrincipalId)).toEqual([]);
    expect(report.items[0]?.reason).toContain(`app registration ${used} made for it`);
  });

  /** A run that dies right after Graph made its app; answers the app's client id. */
  async function crashAfterApp(p: Plan): Promise<string> {
    let made: string | undefined;
    const apps: AppRegistrations = Object.assign(Object.create(h.apps) as AppRegistrations, {
      registerApp: async (a: Parameters<AppRegistrations['registerApp']>[0]) => { made = (await h.apps.registerApp(a)).appId; return never(); },
    });
    await crash(h, p, { apps }, () => made !== undefined);
    return made!;
  }

  it('its own app, given another owner before a resumed run takes it up: refused with the reason, and removed', async () => {
    const p = await newApp('P-TAMPER02', 'sc-tampered-2', 2);
    const made = await crashAfterApp(p);
    h.cloud.graph.registry.addOwner(made, ATTACKER.servicePrincipalId);
    const report = worded(await createExecutor(h).run(p));
    expect(report.items[0]).toMatchObject({ status: 'failed' });
    expect(report.items[0]?.reason).toContain(`not created: the app registration could not be created (app registration ${made} is not owned by the bot alone, so I do not use it). Everything it had made was removed again.`);
    expect(h.cloud.graph.registry.getApplication(made)).toBeNull();
    expect(createWorld(h, p)).toEqual({ connections: [], credentials: [], roles: [], apps: [], grants: [] });
  });

  it('its own app, made multitenant before a resumed run: the resent upsert makes it single-tenant again', async () => {
    const p = await newApp('P-TAMPER03', 'sc-tampered-3', 3);
    const made = await crashAfterApp(p);
    h.cloud.graph.registry.updateApplication(made, { signInAudience: 'AzureADMultipleOrgs' });
    expect((await createExecutor(h).run(p)).items[0]?.status).toBe('done');
    expect(h.cloud.graph.registry.getApplication(made)?.signInAudience).toBe('AzureADMyOrg');
  });
});

describe('create never adopts a connection it did not make', () => {
  it('made first with the card\'s name and marker, open to all pipelines and shared: left alone, nothing added to it', async () => {
    const p = await savedCreatePlan(h, { id: 'P-HIJACK03', name: 'sc-hijack-conn', identity: { kind: 'app', appId: DEPLOYER }, role: owner(4), pipelines: [{ id: 10, name: 'payments-ci' }] });
    const foreign = await squat(p);
    const before = JSON.stringify(h.cloud.devops.state.live(foreign));
    const report = worded(await createExecutor(h).run(p));
    expect(report.items[0]).toMatchObject({ status: 'skipped', reason: 'a connection of that name exists and this plan did not make it, so I made nothing' });
    expect(JSON.stringify(h.cloud.devops.state.live(foreign))).toBe(before);
    expect(h.cloud.devops.state.pipelines.permissionsOf(PROJECT.id, 'endpoint', foreign).allPipelines?.authorized).toBe(true);
    expect(h.cloud.graph.registry.federatedCredentials(DEPLOYER)?.list()).toEqual([]);
    expect(h.cloud.arm.store.roleAssignments.filter((r) => r.name === owner(4).assignmentName)).toEqual([]);
  });

  it('through the approval: the name is taken since the preview, so nothing runs', async () => {
    const session: PlanChatSession = await startPlanChat(h.ports(), { changes: { ...DEFAULT_CHANGE_SETTINGS, tenantId: TENANT } }, HARNESS_TUNING);
    try {
      const preview = await session.chat.ask(`create sc-squatted in Payments subscription ${SUBSCRIPTION} app ${DEPLOYER} role Owner`);
      await squat(await h.plans.get(preview.planId) as Plan);
      const { text } = await session.chat.approve(preview);
      expect(text).toMatch(/changed since/i);
      expect(connectionsNamed(h, 'sc-squatted')).toHaveLength(1);
      expect(h.cloud.graph.registry.federatedCredentials(DEPLOYER)?.list()).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('its own connection, shared into another project before a resumed run: left as it is, everything else removed, and the outcome says so', async () => {
    const p = await savedCreatePlan(h, { id: 'P-HIJACK04', name: 'sc-own-shared', identity: { kind: 'app', appId: DEPLOYER }, role: owner(5) });
    let asked = false;
    const roles: RoleAssignments = { assign: () => { asked = true; return never(); }, remove: (s, n) => h.roles.remove(s, n) };
    await crash(h, p, { roles }, () => asked);
    const own = (await itemState(h, p))?.progress?.create?.endpointId ?? '';
    await h.devops.share(own, [{ projectReference: { ...OTHER }, name: 'sc-own-shared' }]);
    const report = worded(await createExecutor(h).run(p), 'create sc-own-shared …');
    expect(report.items[0]).toMatchObject({ status: 'failed' });
    expect(report.items[0]?.reason).toContain('not created: the connection changed after I made it (it is shared with another project). Everything it had made but the connection was removed again. I left the connection as it is');
    expect(h.cloud.devops.state.live(own)).toBeDefined();
    const world = createWorld(h, p);
    expect({ credentials: world.credentials, roles: world.roles }).toEqual({ credentials: [], roles: [] });
  });

  it('a connection whose POST answer was lost is taken up again only by this run\'s key, never by the marker alone', async () => {
    const p = await savedCreatePlan(h, { id: 'P-HIJACK05', name: 'sc-lost-post', identity: { kind: 'app', appId: DEPLOYER } });
    let sent = false;
    const devops: ServiceEndpoints = Object.assign(Object.create(h.devops) as ServiceEndpoints, {
      // The POST never leaves; meanwhile someone makes the connection from the card.
      create: async () => { sent = true; return never(); },
    });
    await crash(h, p, { devops }, () => sent);
    const foreign = await squat(p);
    const report = worded(await createExecutor(h).run(p));
    expect(report.items[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('a connection of that name appeared meanwhile') });
    expect(h.cloud.devops.state.live(foreign)).toBeDefined();
    expect(h.cloud.graph.registry.federatedCredentials(DEPLOYER)?.list()).toEqual([]);
  });
});
