/**
 * What the create e2e tests share: an executor whose identity, role, pipeline and Azure DevOps ports a test may
 * wrap (to crash after a write committed), a saved create plan, a crash that leaves the item running, and the world
 * a create left in the stand-ins — connections of the name, credentials of the plan's name, role assignments of the
 * plan's name, apps of the plan's display name, pipeline grants on every connection the run touched.
 */
import { expect } from 'vitest';
import type { Plan } from '../../src/domain/plan';
import { isRefusal } from '../../src/domain/planning';
import { planCreate, type CreateInput } from '../../src/operations/create/create.planner';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import type { PipelineAccess } from '../../src/devops/pipeline-access.port';
import { AzureDevOpsPipelineAccess } from '../../src/devops/azure-devops-pipeline-access';
import { Executor, ItemStates, SecretLedger, type RunReport } from '../../src/execution';
import { createSteps } from '../../src/operations/operations';
import type { AppRegistrations, ManagedIdentities, RoleAssignments } from '../../src/azure/federated-identities.port';
import { NO_MIGRATION } from '../support/federation-fakes';
import { PROJECT, SUBSCRIPTION, TENANT, type Harness } from './operations-harness';
import type { CreateItem } from '../../src/operations/create/create.payload';

export interface CreateFaults {
  devops?: ServiceEndpoints;
  apps?: AppRegistrations;
  roles?: RoleAssignments;
  managedIdentities?: ManagedIdentities;
  pipelines?: PipelineAccess;
}

export const never = (): Promise<never> => new Promise<never>(() => undefined);

/** `dead`: the run's heartbeat timer never fires, as a killed process's would not (and no write outlives the test). */
export function createExecutor(h: Harness, faults: CreateFaults = {}, dead = false): Executor {
  const steps = createSteps({ appSecrets: h.graph, verifier: h.verifier, ledger: new SecretLedger(h.store, h.clock) }, {
    pipelines: faults.pipelines ?? new AzureDevOpsPipelineAccess(h.devops), migration: NO_MIGRATION, apps: faults.apps ?? h.apps,
    managedIdentities: faults.managedIdentities ?? h.managedIdentities, roles: faults.roles ?? h.roles, verification: h.devops,
  });
  return new Executor({ store: h.store, devops: faults.devops ?? h.devops, steps, clock: h.clock, logger: h.logger, sleep: async () => undefined, ...(dead ? { repeat: () => () => undefined } : {}) });
}

export async function savedCreatePlan(h: Harness, input: Pick<CreateInput, 'id' | 'name' | 'identity'> & Partial<CreateInput>): Promise<Plan<CreateItem>> {
  const p = planCreate({ command: `create ${input.name}`, now: h.clock.now(), project: PROJECT, tenantId: TENANT, subscriptionId: SUBSCRIPTION, pipelines: [], ...input });
  if (isRefusal(p)) throw new Error(p.reason);
  return h.save(p);
}

/** Starts a run that will hang at the fault, waits until it did, then lets the dead run's claim lapse. */
export async function crash(h: Harness, p: Plan<CreateItem>, faults: CreateFaults, hung: () => boolean): Promise<void> {
  void createExecutor(h, faults, true).run(p);
  await expect.poll(hung, { timeout: 10_000, interval: 5 }).toBe(true);
  h.clock.advance(5 * 60_000);
}

export const itemState = async (h: Harness, p: Plan<CreateItem>) => (await new ItemStates(h.store, h.clock).all(p.id)).get(p.items[0]!.endpointId);

export const connectionsNamed = (h: Harness, name: string) => h.cloud.devops.state.liveAll().filter((e) => e.serviceEndpointProjectReferences?.some((r) => r.name === name));

/** Everything of the plan's that exists in the stand-ins now. */
export function createWorld(h: Harness, p: Plan<CreateItem>) {
  const create = p.items[0]!.create!;
  const { identity } = create;
  const apps = identity.kind === 'new-app' ? h.cloud.graph.registry.listApplications().filter((a) => a.displayName === identity.displayName) : [];
  const holders = identity.kind === 'app' ? [h.cloud.graph.registry.federatedCredentials(identity.appId)?.list() ?? []]
    : identity.kind === 'managed-identity' ? [h.cloud.arm.store.identityByClientId(identity.clientId)?.federated.list() ?? []]
      : apps.map((a) => h.cloud.graph.registry.federatedCredentials(a.appId)?.list() ?? []);
  // Grants on every connection ever authorized, but another plan's live connections (a deleted one's are gone with it).
  const others = new Set(h.cloud.devops.state.liveAll().filter((e) => !e.serviceEndpointProjectReferences?.some((r) => r.name === create.name)).map((e) => e.id.toLowerCase()));
  const touched = new Set(h.cloud.devops.requests.entries()
    .map((r) => /pipelinePermissions\/endpoint\/([^/]+)$/i.exec(r.path)?.[1]?.toLowerCase())
    .filter((id): id is string => id !== undefined && !others.has(id)));
  const grants = [...touched].map((id) => {
    const permissions = h.cloud.devops.state.pipelines.permissionsOf(PROJECT.id, 'endpoint', id);
    return { id, all: permissions.allPipelines?.authorized === true, pipelines: [...permissions.pipelines.entries()].filter(([, g]) => g.authorized).map(([n]) => n) };
  }).filter((g) => g.all || g.pipelines.length > 0);
  return {
    connections: connectionsNamed(h, create.name),
    credentials: holders.flat().filter((f) => f.name === create.credential.name),
    roles: create.role ? h.cloud.arm.store.roleAssignments.filter((r) => r.name === create.role!.assignmentName) : [],
    apps,
    grants,
  };
}

/**
 * The stand-ins hold exactly what the outcome says: all of it once, verified, when done; nothing of it when failed
 * and the outcome lists no leftovers.
 */
export function expectWorldAsReported(h: Harness, p: Plan<CreateItem>, report: RunReport): void {
  const world = createWorld(h, p);
  const create = p.items[0]!.create!;
  const item = report.items[0]!;
  if (item.status === 'done') {
    const connection = world.connections[0];
    expect(world.connections).toHaveLength(1);
    expect(world.credentials).toHaveLength(1);
    expect(world.credentials[0]?.subject).toBe(connection?.authorization?.parameters?.workloadIdentityFederationSubject);
    expect(world.roles).toHaveLength(create.role ? 1 : 0);
    expect(world.apps).toHaveLength(create.identity.kind === 'new-app' ? 1 : 0);
    if (create.identity.kind === 'new-app') expect(connection?.authorization?.parameters?.serviceprincipalid).toBe(world.apps[0]?.appId);
    expect(world.grants).toEqual(create.pipelines.length ? [{ id: connection?.id.toLowerCase(), all: false, pipelines: create.pipelines.map((x) => x.id) }] : []);
    return;
  }
  expect(item).toMatchObject({ status: 'failed', reason: { kind: 'create-undone', leftovers: [] } });
  expect(world).toEqual({ connections: [], credentials: [], roles: [], apps: [], grants: [] });
}
