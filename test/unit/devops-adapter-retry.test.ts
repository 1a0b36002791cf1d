import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { AppError } from '../../src/domain/errors';
import { CountingTokens, ENDPOINT_PATH, ENDPOINTS_PATH, recordingSleep, ScriptedDevOps } from './devops-test-server';

const endpoint: ServiceEndpoint = { id: '11111111-1111-1111-1111-111111111111', name: 'sc-prod', type: 'azurerm' };
const ok = { status: 200, body: { count: 1, value: [endpoint] } };

describe('AzureDevOpsServiceEndpoints retries', () => {
  let server: ScriptedDevOps;
  let clock: { now: () => Date };
  let recorder: ReturnType<typeof recordingSleep>;
  const adapter = (overrides: Partial<ConstructorParameters<typeof AzureDevOpsServiceEndpoints>[0]> = {}) =>
    new AzureDevOpsServiceEndpoints({
      orgUrl: server.orgUrl, tokens: new CountingTokens(), clock, requestTimeoutMs: 2_000, maxAttempts: 3,
      sleep: recorder.sleep, random: () => 0, ...overrides,
    });

  beforeEach(async () => {
    server = await new ScriptedDevOps().start();
    clock = { now: () => new Date('2026-11-22T06:00:00Z') };
    recorder = recordingSleep();
  });
  afterEach(() => server.close());

  it('waits the Retry-After of a 429 once, then succeeds', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 429, headers: { 'retry-after': '1' }, body: { message: 'TF400733: blocked' } }, ok]);
    const found = await adapter().list('Proj');
    expect(found.map((e) => e.name)).toEqual(['sc-prod']);
    expect(server.count('GET', '/contoso/Proj/_apis/serviceendpoint/endpoints')).toBe(2);
    expect(recorder.waits).toHaveLength(1);
    expect(recorder.waits[0]).toBeGreaterThanOrEqual(1000);
    expect(recorder.waits[0]).toBeLessThanOrEqual(1100);
  });

  it('honours X-RateLimit-Delay when there is no Retry-After', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 429, headers: { 'x-ratelimit-delay': '2.5' } }, ok]);
    await adapter().list('Proj');
    expect(recorder.waits).toEqual([2500]);
  });

  it('gives up with DEVOPS.THROTTLED after maxAttempts of 429', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 429, headers: { 'retry-after': '1' } }], true);
    const error = await adapter().list('Proj').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'DEVOPS.THROTTLED', status: 429, retryAfterMs: 1000 });
    expect(server.count('GET', '/contoso/Proj/_apis/serviceendpoint/endpoints')).toBe(3);
    expect(recorder.waits).toHaveLength(2);
  });

  it('does not wait for a Retry-After longer than maxRetryAfterMs', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 429, headers: { 'retry-after': '300' } }], true);
    await expect(adapter({ maxRetryAfterMs: 30_000 }).list('Proj')).rejects.toMatchObject({ code: 'DEVOPS.THROTTLED', retryAfterMs: 300_000 });
    expect(server.count('GET', '/contoso/Proj/_apis/serviceendpoint/endpoints')).toBe(1);
    expect(recorder.waits).toEqual([]);
  });

  it('retries a 503 on GET with a jittered backoff', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 503 }, { status: 502 }, ok]);
    await expect(adapter().list('Proj')).resolves.toHaveLength(1);
    expect(recorder.waits).toEqual([125, 250]);
  });

  it('reports DEVOPS.UNAVAILABLE when a GET keeps failing with 503', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ status: 503 }], true);
    await expect(adapter().list('Proj')).rejects.toMatchObject({ code: 'DEVOPS.UNAVAILABLE', status: 503 });
    expect(server.count('GET', '/contoso/Proj/_apis/serviceendpoint/endpoints')).toBe(3);
  });

  it('never retries a PUT that failed with 500 or 503', async () => {
    server.script('PUT', ENDPOINT_PATH, [{ status: 500 }, { status: 503 }, { status: 200, body: endpoint }]);
    const subject = adapter();
    await expect(subject.update(endpoint)).rejects.toMatchObject({ code: 'DEVOPS.UNAVAILABLE', status: 500 });
    await expect(subject.update(endpoint)).rejects.toMatchObject({ code: 'DEVOPS.UNAVAILABLE', status: 503 });
    expect(server.calls().filter((c) => c.startsWith('PUT'))).toHaveLength(2);
  });

  it('retries a PUT refused with 429: the service did not process it', async () => {
    server.script('PUT', ENDPOINT_PATH, [{ status: 429, headers: { 'retry-after': '2' } }, { status: 200, body: endpoint }]);
    await expect(adapter().update(endpoint)).resolves.toMatchObject({ id: endpoint.id });
    expect(recorder.waits).toEqual([2000]);
  });

  it('retries a GET whose connection was reset', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ reset: true }, ok]);
    await expect(adapter().list('Proj')).resolves.toHaveLength(1);
    expect(server.count('GET', '/contoso/Proj/_apis/serviceendpoint/endpoints')).toBe(2);
  });

  it('retries DELETE of one id after a reset (idempotent) but not PATCH share', async () => {
    server.script('DELETE', ENDPOINT_PATH, [{ reset: true }, { status: 204 }]);
    server.script('PATCH', ENDPOINT_PATH, [{ reset: true }, { status: 204 }]);
    const subject = adapter();
    await subject.delete(endpoint.id, ['p1']);
    await expect(subject.share(endpoint.id, [{ projectReference: { id: 'p2' }, name: 'x' }])).rejects.toMatchObject({ code: 'DEVOPS.UNAVAILABLE' });
    expect(server.calls()).toEqual([
      `DELETE /contoso/_apis/serviceendpoint/endpoints/${endpoint.id}`,
      `DELETE /contoso/_apis/serviceendpoint/endpoints/${endpoint.id}`,
      `PATCH /contoso/_apis/serviceendpoint/endpoints/${endpoint.id}`,
    ]);
  });

  it('gives DEVOPS.TIMEOUT when the service hangs, without retrying', async () => {
    server.script('GET', ENDPOINTS_PATH, [{ hang: true }, ok]);
    await expect(adapter({ requestTimeoutMs: 200 }).list('Proj')).rejects.toMatchObject({ code: 'DEVOPS.TIMEOUT' });
    expect(server.count('GET', '/contoso/Proj/_apis/serviceendpoint/endpoints')).toBe(1);
  });

  it('retries discovery even when the first call is a PUT', async () => {
    server.script('OPTIONS', /\/_apis\/serviceendpoint$/, [{ status: 503 }]);
    server.script('PUT', ENDPOINT_PATH, [{ status: 200, body: endpoint }]);
    await expect(adapter().update(endpoint)).resolves.toMatchObject({ id: endpoint.id });
    expect(server.count('OPTIONS', '/contoso/_apis/serviceendpoint')).toBe(2);
  });

  it('delays the next call when a success carried Retry-After, and exposes the rate-limit headers', async () => {
    server.script('GET', ENDPOINTS_PATH, [{
      status: 200, body: { count: 1, value: [endpoint] },
      // Far from the limit (50 of 200 spent over four calls): only the Retry-After holds the next call back.
      headers: { 'retry-after': '3', 'x-ratelimit-limit': '200', 'x-ratelimit-remaining': '150', 'x-ratelimit-reset': '1795341600', 'x-ratelimit-resource': 'ServiceEndpoints' },
    }, ok]);
    const subject = adapter();
    await subject.list('Proj');
    expect(recorder.waits).toEqual([]);
    expect(subject.rateLimit()).toMatchObject({ limit: 200, remaining: 150, resetAt: new Date(1795341600 * 1000).toISOString(), retryAfterMs: 3000, resource: 'ServiceEndpoints' });
    await subject.list('Proj');
    expect(recorder.waits).toEqual([3000]);
  });
});
