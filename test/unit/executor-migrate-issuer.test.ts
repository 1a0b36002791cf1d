import { beforeEach, describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import type { FederatedIdentity } from '../../src/domain/issuer';
import type { Plan } from '../../src/domain/plan';
import { planMigrateIssuer } from '../../src/operations/migrate-issuer/migrate-issuer.planner';
import type { ManualClock } from '@scbot/stand-ins';
import { Executor, ItemStates, SecretLedger, StorePlanRepository } from '../../src/execution';
import { createSteps } from '../../src/operations/operations';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { InMemoryIdentities, NO_MIGRATE_STEP } from '../support/federation-fakes';
import { InMemoryPipelineAccess } from '../support/in-memory-pipeline-access';
import { worded } from '../support/worded';
import { FakeAppSecrets, newClock, PROJECT, RecordingEndpoints, TENANT } from './executor-fixture';
import { FakeMigrationService, newSubjectOf, SUBSCRIPTION, wifEndpoint } from './migrate-issuer-fixture';

const ENTRA = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const clientOf = (e: ServiceEndpoint) => String(e.authorization?.parameters?.serviceprincipalid);
const miId = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;

describe('Executor: migrate issuer (service move, federated credential fallback, verify)', () => {
  let clock: ManualClock;
  let store: EmbeddedStore;
  let identities: InMemoryIdentities;

  beforeEach(() => {
    clock = newClock();
    store = new EmbeddedStore();
    identities = new InMemoryIdentities();
  });

  const setUp = (endpoints: ServiceEndpoint[]) => {
    const devops = new RecordingEndpoints(endpoints, clock);
    const migration = new FakeMigrationService(devops, identities);
    const executor = () => {
      const secrets = new FakeAppSecrets();
      const steps = createSteps({ appSecrets: secrets, verifier: secrets, ledger: new SecretLedger(store, clock), sleep: async () => undefined }, { ...NO_MIGRATE_STEP, pipelines: new InMemoryPipelineAccess(), migration, apps: identities, managedIdentities: identities });
      return new Executor({ store, devops, steps, clock, concurrency: 1, sleep: async () => undefined });
    };
    return { devops, migration, executor };
  };

  const identityOf = (e: ServiceEndpoint): FederatedIdentity => {
    const clientId = clientOf(e);
    const app = identities.apps.get(clientId);
    if (app) return { kind: 'app', appId: clientId, objectId: app.objectId };
    const mi = [...identities.identities.values()].find((i) => i.clientId === clientId);
    return mi ? { kind: 'managed-identity', clientId, resourceId: mi.id, name: mi.name } : { kind: 'unknown', clientId };
  };

  const plan = async (endpoints: ServiceEndpoint[]): Promise<Plan> => {
    const p = planMigrateIssuer({ id: 'plan-migrate', command: 'migrate issuer all', now: clock.now(), targets: endpoints.map((endpoint) => ({ endpoint, project: { ...PROJECT }, history: [], identity: identityOf(endpoint) })) });
    await new StorePlanRepository(store).save(p);
    return p;
  };

  const issuerOf = async (devops: RecordingEndpoints, e: ServiceEndpoint) => (await devops.inner.get(PROJECT.id, e.id))?.authorization?.parameters?.workloadIdentityFederationIssuer;

  it('an Automatic connection is moved by Azure DevOps itself: one call, then the read-back', async () => {
    const e = wifEndpoint('sc-auto', { mode: 'Automatic' });
    identities.addApp({ appId: clientOf(e), objectId: 'o1' });
    const { devops, migration, executor } = setUp([e]);
    const report = worded(await executor().run(await plan([e])));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(report.items[0]?.reason).toMatch(/^its old federated credential \(issuer https:\/\/vstoken\.dev\.azure\.com\/.*, subject sc:\/\/contoso\/Alpha\/sc-auto\) is still on the identity\. Reminder: remove it once pipelines run fine, before 2027-07-01/);
    expect(migration.calls).toEqual(['MIGRATE sc://contoso/Alpha/sc-auto']);
    expect(identities.credentialsOf(clientOf(e))).toEqual([]);
    expect(await issuerOf(devops, e)).toBe(ENTRA);
    expect(devops.callsFor(e.id)).toEqual([`LIST ${e.id}`, `GET ${e.id}`]);
  });

  it('fallback on an app: the credential gets exactly the issuer and subject the service named, then "Try again" moves it', async () => {
    const e = wifEndpoint('sc-manual');
    identities.addApp({ appId: clientOf(e), objectId: 'o2' });
    const { devops, migration, executor } = setUp([e]);
    const report = worded(await executor().run(await plan([e])));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(report.items[0]?.reason).toContain(`I created the federated credential 'scbot-entra-${e.id}' on the app registration.`);
    expect(migration.calls).toHaveLength(2);
    expect(identities.credentialsOf(clientOf(e))).toEqual([{
      name: `scbot-entra-${e.id}`, issuer: ENTRA, subject: newSubjectOf(e), audiences: ['api://AzureADTokenExchange'],
      description: `Created by scbot to move Azure DevOps service connection ${e.id} to the Entra issuer.`,
    }]);
    expect(await issuerOf(devops, e)).toBe(ENTRA);
  });

  it('fallback on a user-assigned managed identity goes through ARM', async () => {
    const e = wifEndpoint('sc-mi');
    identities.addManagedIdentity({ id: miId('id-deploy'), name: 'id-deploy', clientId: clientOf(e), subscriptionId: SUBSCRIPTION });
    const { executor } = setUp([e]);
    const report = worded(await executor().run(await plan([e])));
    expect(report.items[0]?.reason).toContain('on the managed identity');
    expect(identities.credentialsOf(clientOf(e)).map((c) => [c.name, c.issuer, c.subject])).toEqual([[`scbot-entra-${e.id}`, ENTRA, newSubjectOf(e)]]);
  });

  it('an identity the bot cannot see: not moved, and the owner is told exactly what to add', async () => {
    const e = wifEndpoint('sc-foreign');
    const { devops, executor } = setUp([e]);
    const report = worded(await executor().run(await plan([e])));
    expect(report.items[0]).toMatchObject({ status: 'failed' });
    expect(report.items[0]?.reason).toBe(`not moved: Azure DevOps cannot create the new federated credential. I cannot reach the identity behind it. Its owner adds one with issuer ${ENTRA}, subject ${newSubjectOf(e)}, audience api://AzureADTokenExchange; then run \`(the plan)\` again`);
    expect(await issuerOf(devops, e)).toMatch(/^https:\/\/vstoken\./);
  });

  it('a service that names a foreign issuer gets no credential at all', async () => {
    const e = wifEndpoint('sc-odd');
    identities.addApp({ appId: clientOf(e), objectId: 'o3' });
    const { migration, executor } = setUp([e]);
    migration.fallbackIssuer = 'https://evil.example.com/';
    const report = worded(await executor().run(await plan([e])));
    expect(report.items[0]).toMatchObject({ status: 'failed' });
    expect(report.items[0]?.reason).toContain('named the issuer https://evil.example.com/');
    expect(identities.credentialsOf(clientOf(e))).toEqual([]);
  });

  it('a service that still asks after the credential exists: failed, naming the credential it made', async () => {
    const e = wifEndpoint('sc-stuck');
    identities.addApp({ appId: clientOf(e), objectId: 'o4' });
    const { migration, executor } = setUp([e]);
    migration.alwaysFallback = true;
    const report = worded(await executor().run(await plan([e])));
    expect(report.items[0]?.reason).toContain(`I created 'scbot-entra-${e.id}', but Azure DevOps still asks for it.`);
  });

  it('crash after the credential was created: the resumed run only asks again, and makes no second credential', async () => {
    const e = wifEndpoint('sc-crash');
    identities.addApp({ appId: clientOf(e), objectId: 'o5' });
    const { migration, executor } = setUp([e]);
    let calls = 0;
    // The process "dies" during the second migration call: it never returns.
    migration.beforeMigrate = () => (++calls === 2 ? new Promise<void>(() => undefined) : undefined);
    const p = await plan([e]);
    void executor().run(p);
    await expect.poll(() => migration.calls.length).toBe(2);
    const state = (await new ItemStates(store, clock).all(p.id)).get(e.id.toLowerCase());
    expect(state).toMatchObject({ status: 'running', progress: { credential: { name: `scbot-entra-${e.id}`, on: 'app', existed: false } } });
    migration.beforeMigrate = undefined;
    clock.advance(5 * 60_000); // the dead run's claim lapses
    const report = worded(await executor().run(p));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(report.items[0]?.reason).toContain(`I created the federated credential 'scbot-entra-${e.id}' on the app registration.`);
    expect(migration.calls).toHaveLength(3);
    expect(identities.credentialsOf(clientOf(e))).toHaveLength(1);
  });

  it('crash after the move went through: the re-read settles it, no further migration call', async () => {
    const e = wifEndpoint('sc-moved');
    identities.addApp({ appId: clientOf(e), objectId: 'o6' });
    const { migration, executor } = setUp([e]);
    const p = await plan([e]);
    await migration.migrateIssuer('sc://contoso/Alpha/sc-moved').then(async () => {
      // Not moved yet (Manual, no credential): put the credential in place and move, as the dead run had done.
      await identities.addFederatedCredential(clientOf(e), { name: `scbot-entra-${e.id}`, issuer: ENTRA, subject: newSubjectOf(e), audiences: ['api://AzureADTokenExchange'] });
      await migration.migrateIssuer('sc://contoso/Alpha/sc-moved');
    });
    const credential = { name: `scbot-entra-${e.id}`, on: 'app' as const, existed: false };
    await new ItemStates(store, clock).write(p.id, e.id, { status: 'running', progress: { credential, updated: true } });
    const before = migration.calls.length;
    const report = worded(await executor().run(p));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(report.items[0]?.reason).toContain(`I created the federated credential 'scbot-entra-${e.id}'`);
    expect(migration.calls).toHaveLength(before);
  });

  it('bulk with one failure: the others move; the failed one is moved by a new plan once its owner added the credential', async () => {
    const a = wifEndpoint('sc-a', { mode: 'Automatic' });
    const b = wifEndpoint('sc-b');
    const c = wifEndpoint('sc-c');
    identities.addApp({ appId: clientOf(a), objectId: 'oa' }).addApp({ appId: clientOf(c), objectId: 'oc' });
    const { migration, executor, devops } = setUp([a, b, c]);
    const first = worded(await executor().run(await plan([a, b, c])));
    expect(first.counts).toEqual({ done: 2, skipped: 0, failed: 1 });
    expect(first.items.find((i) => i.endpointId === b.id)?.reason).toContain('Its owner adds one with issuer');
    // The owner adds it by hand; the retry plan is made from the connection as it is now.
    identities.addApp({ appId: clientOf(b), objectId: 'ob' });
    await identities.addFederatedCredential(clientOf(b), { name: 'by-hand', issuer: ENTRA, subject: newSubjectOf(b), audiences: ['api://AzureADTokenExchange'] });
    const current = await devops.inner.get(PROJECT.id, b.id);
    const retry = planMigrateIssuer({ id: 'plan-retry', command: 'migrate issuer all', now: clock.now(), targets: [{ endpoint: current as ServiceEndpoint, project: { ...PROJECT }, history: [], identity: identityOf(b) }] });
    await new StorePlanRepository(store).save(retry);
    const calls = migration.calls.length;
    const second = worded(await executor().run(retry));
    expect(second.counts).toEqual({ done: 1, skipped: 0, failed: 0 });
    expect(migration.calls.length - calls).toBe(1); // the service found the owner's credential: no fallback
    expect(identities.credentialsOf(clientOf(b)).map((x) => x.name)).toEqual(['by-hand']);
  });
});
