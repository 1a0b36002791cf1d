import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertScanner, type PasswordReader } from '../../src/alerts/scanner';
import { createAzureDevOpsServiceEndpoints, type ServiceEndpoints } from '../../src/devops/index';
import type { Clock } from '../../src/domain/time';
import { isFailed, usesRetiringIssuer } from '../../src/domain/endpoint';
import { AppError } from '../../src/domain/errors';
import { secretAppId } from '../../src/domain/findings';
import { DEMO_SEED_PATH, loadSeed, startLocalCloud, type LocalCloud, type Seed } from '@scbot/stand-ins';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../../src/identity/index';
import { GraphAppSecrets, GRAPH_SCOPE } from '../../src/azure/index';
import { capturedLogger } from './graph-fixtures';

// One fixed instant for the seed's ${now±…} placeholders and the scanner, so "expires in 5 days" is exact.
const clock: Clock = { now: () => new Date('2026-11-22T06:00:00.000Z') };
// The will-be-disabled check (issue 13) has its own tests; here it is off so history reads mean the unused check.
const thresholds = { expiringWithinDays: 14, unusedDays: 30, revertWithinHours: 7 * 24, disableWarnDays: 0 };
const log = capturedLogger();

let cloud: LocalCloud;
let seed: Seed;
let devops: ServiceEndpoints;
let graph: GraphAppSecrets;

beforeAll(async () => {
  seed = await loadSeed(DEMO_SEED_PATH, clock);
  cloud = await startLocalCloud({ seed, clock, logger: log.logger });
  const credential = createCredential(cloud.identityConfig, { trust: cloud.trust });
  devops = createAzureDevOpsServiceEndpoints(
    { orgUrl: cloud.devops.orgUrl, projects: [], requestTimeoutMs: 10_000, maxAttempts: 1 },
    new RefreshingTokenSource(credential, AZURE_DEVOPS_SCOPE), { clock, logger: log.logger },
  );
  graph = new GraphAppSecrets({ tokens: new RefreshingTokenSource(credential, GRAPH_SCOPE), graphUrl: cloud.graphUrl, trust: cloud.trust, maxRetries: 0, logger: log.logger });
});
afterAll(async () => cloud?.close());

const names = (findings: Array<{ kind: string; name: string }>, kind: string) => findings.filter((f) => f.kind === kind).map((f) => f.name).sort();

let graphMark = 0;
/** The DevOps log can be cleared; the Graph stand-in's cannot, so later reads are taken after a mark. */
function freshLogs(): void {
  cloud.devops.requests.clear();
  graphMark = cloud.graph.requests.length;
}

const seedNames = (pick: (e: Seed['endpoints'][number]) => boolean) => seed.endpoints.filter(pick).map((e) => e.name).sort();
const listRequests = () => cloud.devops.requests.entries().filter((r) => r.method === 'GET' && /\/_apis\/serviceendpoint\/endpoints$/.test(r.path));
const historyRequests = () => cloud.devops.requests.entries().filter((r) => r.method === 'GET' && r.path.endsWith('/executionhistory'));
const graphReads = () => cloud.graph.requests.slice(graphMark).filter((r) => (r.method === 'GET' && r.path.startsWith('/v1.0/applications')) || r.path === '/v1.0/$batch');

describe('AlertScanner against the local cloud (demo seed)', () => {
  it('finds the failed, the expiring and expired secrets, the retiring issuers and the revert deadline', async () => {
    const { findings } = await new AlertScanner({ devops, passwords: graph, clock, thresholds }).scan();
    expect(names(findings, 'failed')).toEqual(seedNames(isFailed));
    expect(names(findings, 'failed')).toEqual(['sc-failed-mi', 'sc-failed-rbac', 'sc-failed-secret']);
    expect(names(findings, 'retiring-issuer')).toEqual(seedNames(usesRetiringIssuer));
    expect(findings.filter((f) => f.kind === 'secret-expiring')).toMatchObject([
      { name: 'sc-staging', project: 'Payments', dueAt: '2026-11-27T06:00:00.000Z', suggestedAction: 'rotate', detail: expect.stringContaining('in 5 days') },
    ]);
    expect(names(findings, 'secret-expired')).toEqual(['sc-failed-secret']);
    const converted = seed.endpoints.find((e) => e.name === 'sc-converted');
    expect(findings.filter((f) => f.kind === 'revert-deadline')).toMatchObject([{ name: 'sc-converted', dueAt: converted?.data?.revertSchemeDeadline }]);
    expect(names(findings, 'unused')).toEqual([]);
    expect(JSON.stringify(findings)).not.toContain('SEEDSECRET');
  });

  it('leaves the converted connection out when its deadline is beyond the threshold', async () => {
    const { findings } = await new AlertScanner({ devops, passwords: graph, clock, thresholds: { ...thresholds, revertWithinHours: 72 } }).scan();
    expect(names(findings, 'revert-deadline')).toEqual([]);
  });

  it('costs one list per project (failed included) and one Graph batch for every app, plus one for the app the list left out; no history', async () => {
    freshLogs();
    const { stats } = await new AlertScanner({ devops, passwords: graph, clock, thresholds }).scan();
    const lists = listRequests();
    expect(lists.map((r) => decodeURIComponent(r.path.split('/')[2] ?? '')).sort()).toEqual(seed.projects.map((p) => p.name).sort());
    expect(lists.every((r) => r.query.includeFailed === 'true')).toBe(true);
    const apps = new Set(seed.endpoints.map((e) => secretAppId(e)).filter((a) => a !== undefined));
    // Up to 300 apps per batch call ($filter=appId in (15 ids), 20 per batch); the ACR app, absent, read again alone.
    expect(apps.size).toBeGreaterThan(2);
    expect(graphReads().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1.0/$batch', 'POST /v1.0/$batch']);
    expect(historyRequests()).toHaveLength(0);
    expect(stats).toMatchObject({ calls: { devopsProjects: 1, devopsList: seed.projects.length, devopsHistory: 0, graph: 2 }, connections: seed.endpoints.length });
    // The ACR connection's app is not in the directory: a note, not a crash and not a finding.
    const acr = secretAppId(seed.endpoints.find((e) => e.name === 'acr-payments') ?? { id: '', name: '', type: '' });
    // Named by the connection that uses the app, not by the app id alone.
    expect(stats.notes).toEqual([{ code: 'GRAPH.NOT_FOUND', subject: `the secret of acr-payments (Payments) (app ${acr})`, read: 'graph' }]);
  });

  it('reads only the newest history record of connections old enough to be unused, when that check is on', async () => {
    freshLogs();
    const { findings, stats } = await new AlertScanner({ devops, clock, thresholds, checkUnused: true }).scan({ projects: ['Payments'] });
    const payments = seed.endpoints.filter((e) => e.serviceEndpointProjectReferences?.some((r) => r.projectReference.name === 'Payments'));
    // A disabled connection has its own finding (issue 13), so its history is not read for "unused".
    const old = payments.filter((e) => !isFailed(e) && e.isDisabled !== true && clock.now().getTime() - new Date(String(e.creationDate)).getTime() >= 30 * 86_400_000);
    expect(listRequests()).toHaveLength(1);
    expect(historyRequests()).toHaveLength(old.length);
    expect(historyRequests().every((r) => r.query.top === '1' || r.query.$top === '1')).toBe(true);
    expect(graphReads()).toHaveLength(0);
    expect(stats.calls).toEqual({ devopsProjects: 0, devopsList: 1, devopsHistory: old.length, graph: 0 });
    const used = new Set(Object.keys(seed.executionHistory));
    expect(names(findings, 'unused')).toEqual(old.filter((e) => !used.has(e.id)).map((e) => e.name).sort());
    expect(names(findings, 'unused')).not.toContain('sc-prod');
  });

  it('turns GRAPH.FORBIDDEN on one app into a note and still reports the other apps', async () => {
    const failedSecretApp = secretAppId(seed.endpoints.find((e) => e.name === 'sc-failed-secret') ?? { id: '', name: '', type: '' });
    const guarded: PasswordReader = {
      listPasswords: (appId) => (appId === failedSecretApp ? Promise.reject(new AppError('GRAPH.FORBIDDEN', 'not an owner')) : graph.listPasswords(appId)),
    };
    const { findings, stats } = await new AlertScanner({ devops, passwords: guarded, clock, thresholds }).scan();
    expect(stats.notes).toContainEqual({ code: 'GRAPH.FORBIDDEN', subject: `the secret of sc-failed-secret (Payments) (app ${failedSecretApp})`, read: 'graph' });
    expect(names(findings, 'secret-expired')).toEqual([]);
    expect(names(findings, 'secret-expiring')).toEqual(['sc-staging']);
  });
});
