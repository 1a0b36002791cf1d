import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import type { ExecutionRecord, ProjectReference, ServiceEndpoint } from '../../src/domain/endpoint';
import { secretValuesOf } from '../../src/domain/redaction';

/**
 * The ServiceEndpoints contract: one suite, every implementation (the in-memory fake and the real adapter against
 * the emulator). Each test gets a fresh subject built from the same fixture, so order never matters.
 */

export const ALPHA: Required<ProjectReference> = { id: 'a1a1a1a1-0000-4000-8000-000000000001', name: 'Alpha' };
export const BETA: Required<ProjectReference> = { id: 'b2b2b2b2-0000-4000-8000-000000000002', name: 'Beta' };

export const IDS = {
  prod: '10000000-0000-4000-8000-000000000001',
  shared: '10000000-0000-4000-8000-000000000002',
  broken: '10000000-0000-4000-8000-000000000003',
  github: '10000000-0000-4000-8000-000000000004',
  betaOnly: '10000000-0000-4000-8000-000000000005',
  unknown: '10000000-0000-4000-8000-0000000000ff',
} as const;

const TENANT = 'cccccccc-0000-4000-8000-00000000000c';
const ref = (project: Required<ProjectReference>, name: string) => ({ projectReference: { ...project }, name, description: null });
const spn = (key: string) => ({ scheme: 'ServicePrincipal', parameters: { tenantid: TENANT, serviceprincipalid: 'dddddddd-0000-4000-8000-00000000000d', authenticationType: 'spnKey', serviceprincipalkey: key } });

export interface ContractFixture {
  projects: Required<ProjectReference>[];
  endpoints: ServiceEndpoint[];
  /** Domain-shaped history, oldest first; implementations answer newest first. */
  history: Record<string, ExecutionRecord[]>;
}

export function contractFixture(): ContractFixture {
  const endpoints: ServiceEndpoint[] = [
    {
      id: IDS.prod, name: 'sc-prod', type: 'azurerm', url: 'https://management.azure.com/', isReady: true, isShared: false, owner: 'library',
      authorization: spn('SEED-SECRET-prod-7f3a9c'),
      data: { environment: 'AzureCloud', scopeLevel: 'Subscription', subscriptionId: 'eeeeeeee-0000-4000-8000-00000000000e', subscriptionName: 'Prod', creationMode: 'Automatic', azureSpnRoleAssignmentId: 'ra-1', spnObjectId: 'so-1', appObjectId: 'ao-1', azureSpnPermissions: '[]' },
      operationStatus: { state: 'Ready', statusMessage: '' },
      serviceEndpointProjectReferences: [ref(ALPHA, 'sc-prod')],
    },
    {
      id: IDS.shared, name: 'sc-shared', type: 'AzureRM', url: 'https://management.azure.com/', isReady: true, isShared: true, owner: 'library',
      authorization: spn('SEED-SECRET-shared-41be02'),
      data: { environment: 'AzureCloud', scopeLevel: 'Subscription', subscriptionId: 'eeeeeeee-0000-4000-8000-00000000000f', subscriptionName: 'Shared', creationMode: 'Manual' },
      serviceEndpointProjectReferences: [ref(ALPHA, 'sc-shared'), ref(BETA, 'Shared-In-Beta')],
    },
    {
      id: IDS.broken, name: 'sc-broken', type: 'azurerm', url: 'https://management.azure.com/', isReady: false, owner: 'library',
      authorization: spn('SEED-SECRET-broken-0c77d1'),
      data: { creationMode: 'Automatic', environment: 'AzureCloud', scopeLevel: 'Subscription' },
      operationStatus: { state: 'Failed', statusMessage: 'Failed to create an app in Microsoft Entra ID.' },
      serviceEndpointProjectReferences: [ref(ALPHA, 'sc-broken')],
    },
    {
      id: IDS.github, name: 'gh-conn', type: 'github', url: 'https://github.com', isReady: true, owner: 'library',
      authorization: { scheme: 'PersonalAccessToken', parameters: { accessToken: 'SEED-SECRET-github-e41f99' } },
      data: {},
      serviceEndpointProjectReferences: [ref(ALPHA, 'gh-conn')],
    },
    {
      id: IDS.betaOnly, name: 'nexus', type: 'generic', url: 'https://nexus.example.com', isReady: true, owner: 'library',
      authorization: { scheme: 'UsernamePassword', parameters: { username: 'builder', password: 'SEED-SECRET-nexus-b8a210' } },
      data: {},
      serviceEndpointProjectReferences: [ref(BETA, 'nexus')],
    },
  ];
  const history: Record<string, ExecutionRecord[]> = {
    [IDS.prod]: [1, 2, 3, 4, 5].map((id) => ({
      endpointId: IDS.prod, id, planType: 'Build', result: id === 3 ? 'failed' : 'succeeded',
      startTime: `2026-03-0${id}T10:00:00.000Z`, finishTime: `2026-03-0${id}T10:05:00.000Z`,
      definitionName: 'deploy-api', ownerName: `deploy-api #${id}`,
    })),
  };
  return { projects: [ALPHA, BETA], endpoints, history };
}

export interface ContractHarness {
  subject: ServiceEndpoints;
  close?: () => Promise<void>;
}

const names = (list: ServiceEndpoint[]) => list.map((e) => e.name).sort();

export function describeServiceEndpointsContract(name: string, makeSubject: (fixture: ContractFixture) => Promise<ContractHarness>): void {
  describe(`ServiceEndpoints contract: ${name}`, () => {
    let harness: ContractHarness;
    let subject: ServiceEndpoints;
    let fixture: ContractFixture;

    beforeEach(async () => {
      fixture = contractFixture();
      harness = await makeSubject(fixture);
      subject = harness.subject;
    });
    afterEach(async () => harness.close?.());

    it('lists the projects of the organization', async () => {
      const projects = await subject.projects();
      expect(projects.map((p) => ({ id: p.id.toLowerCase(), name: p.name })).sort((a, b) => a.id.localeCompare(b.id)))
        .toEqual([{ id: ALPHA.id, name: ALPHA.name }, { id: BETA.id, name: BETA.name }]);
    });

    it('hides failed connections unless asked for them', async () => {
      expect(names(await subject.list(ALPHA.name))).toEqual(['gh-conn', 'sc-prod', 'sc-shared']);
      expect(names(await subject.list(ALPHA.name, { includeFailed: true }))).toEqual(['gh-conn', 'sc-broken', 'sc-prod', 'sc-shared']);
    });

    it('accepts a project id as well as a name, and shows the per-project name of a shared connection', async () => {
      expect(names(await subject.list(BETA.id))).toEqual(['Shared-In-Beta', 'nexus']);
    });

    it('filters by type case-insensitively', async () => {
      expect(names(await subject.list(ALPHA.name, { type: 'AzureRM' }))).toEqual(['sc-prod', 'sc-shared']);
      expect(names(await subject.list(ALPHA.name, { type: 'GITHUB' }))).toEqual(['gh-conn']);
    });

    it('finds a connection by exact name, case-insensitively', async () => {
      expect((await subject.getByName(ALPHA.name, 'SC-PROD'))?.id.toLowerCase()).toBe(IDS.prod);
      expect(await subject.getByName(ALPHA.name, 'sc-pro')).toBeNull();
      expect(await subject.getByName(ALPHA.name, 'nexus')).toBeNull();
    });

    it('finds a shared connection by the name it has in that project only', async () => {
      const inBeta = await subject.getByName(BETA.name, 'shared-in-beta');
      expect(inBeta?.id.toLowerCase()).toBe(IDS.shared);
      expect(inBeta?.name).toBe('Shared-In-Beta');
      expect(await subject.getByName(ALPHA.name, 'Shared-In-Beta')).toBeNull();
    });

    it('finds a failed connection by name only when asked to include failed ones', async () => {
      expect(await subject.getByName(ALPHA.name, 'sc-broken')).toBeNull();
      expect((await subject.getByName(ALPHA.name, 'sc-broken', { includeFailed: true }))?.id.toLowerCase()).toBe(IDS.broken);
    });

    it('answers null for an unknown id and for a connection of another project', async () => {
      expect(await subject.get(ALPHA.name, IDS.unknown)).toBeNull();
      expect(await subject.get(ALPHA.name, IDS.betaOnly)).toBeNull();
      expect((await subject.get(BETA.name, IDS.betaOnly))?.name).toBe('nexus');
    });

    it('never returns a secret value', async () => {
      const secrets = fixture.endpoints.flatMap(secretValuesOf);
      const seen = [
        await subject.list(ALPHA.name, { includeFailed: true }), await subject.list(BETA.name),
        await subject.get(ALPHA.name, IDS.prod), await subject.get(BETA.name, IDS.betaOnly),
        await subject.getByName(ALPHA.name, 'gh-conn'),
      ];
      const text = JSON.stringify(seen);
      for (const secret of secrets) expect(text).not.toContain(secret);
      const prod = await subject.get(ALPHA.name, IDS.prod);
      expect(prod?.authorization?.parameters?.serviceprincipalkey ?? null).toBeNull();
      expect(prod?.authorization?.parameters?.tenantid).toBe(TENANT);
    });

    it('round-trips an update', async () => {
      const before = await subject.get(BETA.name, IDS.betaOnly);
      if (!before) throw new Error('fixture connection missing');
      // The name and description a project sees live in its project reference: change both, as the UI does.
      const refs = before.serviceEndpointProjectReferences?.map((r) => ({ ...r, description: 'Artifacts mirror' }));
      const changed = { ...before, description: 'Artifacts mirror', url: 'https://nexus2.example.com', serviceEndpointProjectReferences: refs };
      const returned = await subject.update(changed);
      expect(returned).toMatchObject({ id: before.id, description: 'Artifacts mirror', url: 'https://nexus2.example.com' });
      expect(await subject.get(BETA.name, IDS.betaOnly)).toMatchObject({ description: 'Artifacts mirror', url: 'https://nexus2.example.com' });
      expect(JSON.stringify(returned)).not.toContain('SEED-SECRET-nexus');
    });

    it('rejects an update of an unknown connection with DEVOPS.NOT_FOUND', async () => {
      const ghost = { ...fixture.endpoints[4], id: IDS.unknown } as ServiceEndpoint;
      await expect(subject.update(ghost)).rejects.toMatchObject({ code: 'DEVOPS.NOT_FOUND' });
    });

    it('unshares when deleting from one project of a shared connection', async () => {
      await subject.delete(IDS.shared, [BETA.id]);
      expect(await subject.get(BETA.name, IDS.shared)).toBeNull();
      expect(names(await subject.list(BETA.name))).toEqual(['nexus']);
      const left = await subject.get(ALPHA.name, IDS.shared);
      expect(left?.name).toBe('sc-shared');
      expect(left?.serviceEndpointProjectReferences?.map((r) => r.projectReference.id.toLowerCase())).toEqual([ALPHA.id]);
    });

    it('removes a connection deleted from its last project', async () => {
      await subject.delete(IDS.github, [ALPHA.id]);
      expect(await subject.get(ALPHA.name, IDS.github)).toBeNull();
      expect(names(await subject.list(ALPHA.name, { includeFailed: true }))).toEqual(['sc-broken', 'sc-prod', 'sc-shared']);
    });

    it('shares a connection with another project under that project\'s name', async () => {
      await subject.share(IDS.prod, [{ projectReference: { id: BETA.id, name: BETA.name }, name: 'sc-prod-beta' }]);
      expect((await subject.get(BETA.name, IDS.prod))?.name).toBe('sc-prod-beta');
      expect((await subject.getByName(BETA.name, 'SC-PROD-BETA'))?.id.toLowerCase()).toBe(IDS.prod);
      const inAlpha = await subject.get(ALPHA.name, IDS.prod);
      expect(inAlpha?.name).toBe('sc-prod');
      expect(inAlpha?.serviceEndpointProjectReferences?.map((r) => r.projectReference.id.toLowerCase()).sort()).toEqual([ALPHA.id, BETA.id]);
    });

    it('pages execution history newest first with a continuation token', async () => {
      const seen: ExecutionRecord[] = [];
      let token: string | undefined;
      for (let page = 0; page < 5; page += 1) {
        const result = await subject.executionHistory(ALPHA.name, IDS.prod, { top: 2, continuationToken: token });
        if (page === 0) expect(result.records).toHaveLength(2);
        seen.push(...result.records);
        token = result.continuationToken;
        if (!token) break;
      }
      expect(token).toBeUndefined();
      expect(seen.map((r) => r.id)).toEqual([5, 4, 3, 2, 1]);
      expect(seen[2]).toMatchObject({ endpointId: IDS.prod, result: 'failed', startTime: '2026-03-03T10:00:00.000Z', definitionName: 'deploy-api', ownerName: 'deploy-api #3' });
    });
  });
}
