import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import { RefreshableBearerHandler } from '../../src/devops/token-request-handler';
import { CountingTokens, ENDPOINTS_PATH, recordingSleep, ScriptedDevOps } from './devops-test-server';

const ID = '33333333-3333-3333-3333-333333333333';
const rest = (name: string, extra: Record<string, unknown> = {}) => ({
  id: `${ID.slice(0, -2)}${String(name.length).padStart(2, '0')}`, name, type: 'azurerm', isReady: true,
  creationDate: '2026-01-02T03:04:05.123Z', modificationDate: '2026-02-03T04:05:06.789Z', ...extra,
});

describe('AzureDevOpsServiceEndpoints calls', () => {
  let server: ScriptedDevOps;
  let tokens: CountingTokens;
  let subject: AzureDevOpsServiceEndpoints;

  beforeEach(async () => {
    server = await new ScriptedDevOps().start();
    tokens = new CountingTokens('token-one');
    subject = new AzureDevOpsServiceEndpoints({ orgUrl: server.orgUrl, tokens, requestTimeoutMs: 2_000, maxAttempts: 3, sleep: recordingSleep().sleep });
  });
  afterEach(() => server.close());

  it('lists with exactly the discovery calls once, then one GET per list', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 200, body: { count: 0, value: [] } }], true);
    await subject.list('Proj', { type: 'AzureRM', includeFailed: true });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'OPTIONS /contoso/_apis/Location',
      'GET /contoso/_apis/ResourceAreas',
      'OPTIONS /contoso/_apis/serviceendpoint',
      'GET /contoso/Proj/_apis/serviceendpoint/endpoints',
    ]);
    expect(server.requests[3]?.query.get('type')).toBe('AzureRM');
    expect(server.requests[3]?.query.get('includeFailed')).toBe('true');
    await subject.list('Proj');
    expect(server.requests).toHaveLength(5);
  });

  it('asks the token source before each call and sends the new token without rebuilding the WebApi', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 200, body: { count: 0, value: [] } }], true);
    await subject.list('Proj');
    const callsAfterFirst = tokens.calls;
    tokens.current = 'token-two';
    await subject.list('Proj');
    expect(tokens.calls).toBe(callsAfterFirst + 1);
    const lists = server.requests.filter((r) => r.method === 'GET' && ENDPOINTS_PATH.test(r.path));
    expect(lists.map((r) => r.authorization)).toEqual(['Bearer token-one', 'Bearer token-two']);
    expect(server.requests.every((r) => r.fedAuthRedirect === 'Suppress')).toBe(true);
    expect(server.count('OPTIONS', '/contoso/_apis/Location')).toBe(1);
    expect(server.count('GET', '/contoso/_apis/ResourceAreas')).toBe(1);
  });

  it('shares one discovery between concurrent first calls', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 200, body: { count: 0, value: [] } }], true);
    server.script('GET', /\/_apis\/projects$/i, [{ status: 200, body: { count: 1, value: [{ id: 'p-1', name: 'Proj' }] } }]);
    await Promise.all([subject.projects(), subject.list('Proj'), subject.list('Proj')]);
    for (const [method, path] of [['OPTIONS', '_apis/Location'], ['GET', '_apis/ResourceAreas'], ['OPTIONS', '_apis/serviceendpoint'], ['OPTIONS', '_apis/core']]) {
      expect(server.count(method ?? '', `/contoso/${path ?? ''}`), `${method} ${path}`).toBe(1);
    }
  });

  it('reads an on-premises empty list ({count:0, value:null}) as no connections', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 200, body: { count: 0, value: null } }]);
    expect(await subject.list('Proj')).toEqual([]);
  });

  it('returns plain endpoints with ISO dates and no client-added fields', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 200, body: { count: 1, value: [rest('sc-prod')] }, headers: { 'x-ratelimit-remaining': '150' } }]);
    const [found] = await subject.list('Proj');
    expect(found).toEqual(rest('sc-prod'));
    expect(JSON.parse(JSON.stringify(found))).toEqual(found);
  });

  it('getByName keeps only the exact name, whatever its case', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 200, body: { count: 2, value: [rest('sc-prod-2'), rest('SC-Prod')] } }, { status: 200, body: { count: 1, value: [rest('sc-prod-old')] } }]);
    expect((await subject.getByName('Proj', 'sc-prod'))?.name).toBe('SC-Prod');
    expect(server.requests.at(-1)?.query.get('endpointNames')).toBe('sc-prod');
    expect(await subject.getByName('Proj', 'sc-prod')).toBeNull();
  });

  it('maps execution history: result names, ISO times, continuation token from the header', async () => {
    const record = (id: number, result: string) => ({
      endpointId: ID,
      data: { id, planType: 'Build', result, startTime: '2026-03-01T10:00:00Z', finishTime: '2026-03-01T10:05:00Z', definition: { id: 7, name: 'deploy-api' }, owner: { id: 70, name: 'deploy-api #70' } },
    });
    server.script('GET', /\/executionhistory$/i, [
      { status: 200, body: { count: 2, value: [record(9, 'succeeded'), record(8, 'failed')] }, headers: { 'x-ms-continuationtoken': '8' } },
      { status: 200, body: { count: 1, value: [record(7, 'succeededWithIssues')] } },
    ]);
    const first = await subject.executionHistory('Proj', ID, { top: 2 });
    expect(first.continuationToken).toBe('8');
    expect(first.records[0]).toEqual({
      endpointId: ID, id: 9, planType: 'Build', result: 'succeeded', startTime: '2026-03-01T10:00:00.000Z',
      finishTime: '2026-03-01T10:05:00.000Z', definitionName: 'deploy-api', definitionId: 7, ownerName: 'deploy-api #70',
    });
    expect(first.records[1]?.result).toBe('failed');
    const second = await subject.executionHistory('Proj', ID, { top: 2, continuationToken: first.continuationToken });
    expect(server.requests.at(-1)?.query.get('continuationToken')).toBe('8');
    expect(second).toEqual({ records: [expect.objectContaining({ id: 7, result: 'succeededWithIssues' })] });
  });

  it('pages through projects with $top/$skip', async () => {
    const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `p-${from + i}`, name: `Project ${from + i}`, state: 'wellFormed' }));
    server.script('GET', /\/_apis\/projects$/i, [{ status: 200, body: { count: 100, value: page(0, 100) } }, { status: 200, body: { count: 3, value: page(100, 3) } }]);
    const projects = await subject.projects();
    expect(projects).toHaveLength(103);
    expect(projects[102]).toEqual({ id: 'p-102', name: 'Project 102' });
    const gets = server.requests.filter((r) => r.path.endsWith('/projects'));
    expect(gets.map((r) => [r.query.get('$top'), r.query.get('$skip')])).toEqual([['100', '0'], ['100', '100']]);
    expect(server.count('OPTIONS', '/contoso/_apis/core')).toBe(1);
  });

  it('sends update, delete and share to the org-scoped routes', async () => {
    const path = `/contoso/_apis/serviceendpoint/endpoints/${ID}`;
    server.script('PUT', new RegExp(`${path}$`), [{ status: 200, body: rest('sc-prod', { id: ID }) }]);
    server.script('DELETE', new RegExp(`${path}$`), [{ status: 204 }]);
    server.script('PATCH', new RegExp(`${path}$`), [{ status: 204 }]);
    await subject.update({ id: ID, name: 'sc-prod', type: 'azurerm' }, 'ConvertAuthenticationScheme');
    await subject.delete(ID, ['p1', 'p2'], { deep: true });
    await subject.share(ID, [{ projectReference: { id: 'p3', name: 'Three' }, name: 'sc-prod', description: null }]);
    const [put, del, patch] = server.requests.filter((r) => r.path === path);
    expect(put?.query.get('operation')).toBe('ConvertAuthenticationScheme');
    expect(JSON.parse(put?.body ?? '{}')).toMatchObject({ id: ID, name: 'sc-prod' });
    expect([del?.query.get('projectIds'), del?.query.get('deep')]).toEqual(['p1,p2', 'true']);
    expect(JSON.parse(patch?.body ?? '[]')).toEqual([{ projectReference: { id: 'p3', name: 'Three' }, name: 'sc-prod' }]);
  });
});

describe('RefreshableBearerHandler', () => {
  it('sends the token to the organization and Azure DevOps hosts only', () => {
    const handler = new RefreshableBearerHandler('127.0.0.1');
    handler.use('t0k3n');
    const headersFor = (host: string) => {
      const options = { host, headers: {} as Record<string, string> };
      handler.prepareRequest(options);
      return options.headers;
    };
    expect(headersFor('127.0.0.1')).toEqual({ Authorization: 'Bearer t0k3n', 'X-TFS-FedAuthRedirect': 'Suppress' });
    expect(headersFor('contoso.visualstudio.com').Authorization).toBe('Bearer t0k3n');
    expect(headersFor('evil.example.com')).toEqual({ 'X-TFS-FedAuthRedirect': 'Suppress' });
  });
});
