import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import { RateLimitTracker } from '../../src/devops/rate-limit';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { ManualClock } from '@scbot/stand-ins';
import { CountingTokens, ENDPOINTS_PATH, ScriptedDevOps } from './devops-test-server';

const endpoint: ServiceEndpoint = { id: '11111111-1111-1111-1111-111111111111', name: 'sc-prod', type: 'azurerm' };
const DETAILS_PATH = /\/contoso\/Proj\/_apis\/serviceendpoint\/endpoints\/[^/]+$/i;

/** A sleep the test releases by hand, so "is this caller paused?" is observed, not timed. */
function gatedSleep() {
  const waits: number[] = [];
  const gates: Array<() => void> = [];
  return {
    waits,
    sleep: (ms: number) => new Promise<void>((resolve) => { waits.push(ms); gates.push(resolve); }),
    releaseAll: () => { for (const open of gates.splice(0)) open(); },
  };
}

describe('RateLimitTracker', () => {
  const clock = new ManualClock('2026-11-22T06:00:00Z');
  const waits: number[] = [];
  const sleep = async (ms: number) => void waits.push(ms);
  beforeEach(() => { waits.length = 0; });

  it('a 429 pauses every caller, including ones that never saw it, until Retry-After has passed', async () => {
    const tracker = new RateLimitTracker(clock, { random: () => 0 });
    tracker.observe(429, { 'retry-after': '2' });
    await tracker.waitTurn(sleep);
    await tracker.waitTurn(sleep);
    clock.advance(1_500);
    await tracker.waitTurn(sleep);
    clock.advance(500);
    await tracker.waitTurn(sleep);
    expect(waits).toEqual([2000, 2000, 500]);
  });

  it('a caller waits a pause once, but waits again for a newer one', async () => {
    const tracker = new RateLimitTracker(clock, { random: () => 0 });
    tracker.observe(429, { 'retry-after': '1' });
    const served = await tracker.waitTurn(sleep);
    expect(await tracker.waitTurn(sleep, served)).toBe(served);
    tracker.observe(429, { 'retry-after': '3' });
    await tracker.waitTurn(sleep, served);
    expect(waits).toEqual([1000, 3000]);
  });

  it('a Retry-After on a success pauses too; one longer than maxPauseMs is not shared', async () => {
    const tracker = new RateLimitTracker(clock, { random: () => 0, maxPauseMs: 10_000 });
    tracker.observe(200, { 'retry-after': '300' });
    await tracker.waitTurn(sleep);
    tracker.observe(200, { 'retry-after': '4' });
    await tracker.waitTurn(sleep);
    expect(waits).toEqual([4000]);
  });

  it('adds up to 10% jitter to a pause so paused callers do not return together', async () => {
    const tracker = new RateLimitTracker(clock, { random: () => 0.5 });
    tracker.observe(429, { 'retry-after': '2' });
    await tracker.waitTurn(sleep);
    expect(waits).toEqual([2100]);
  });

  it('feeds X-RateLimit-Limit / -Remaining / -Reset to the gate, which holds the call the budget has no room for', async () => {
    const paced = new ManualClock('2026-11-22T06:00:00Z');
    const tracker = new RateLimitTracker(paced, { sleep: async (ms) => { waits.push(ms); paced.advance(ms); } });
    const reset = String(paced.now().getTime() / 1000 + 10);
    // Two calls spend two of three units; one is kept in reserve, so the third waits.
    for (const remaining of ['2', '1']) {
      await tracker.gate.admit('normal');
      tracker.observe(200, { 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': reset });
      tracker.gate.release('normal');
    }
    expect(waits).toEqual([]);
    await tracker.gate.admit('normal');
    // The window (Reset - now) is 10 s; the first answer leaves it 10 s (+ 1%) after it came.
    expect(waits).toEqual([10_100]);
  });
});

describe('AzureDevOpsServiceEndpoints shared pause', () => {
  let server: ScriptedDevOps;
  beforeEach(async () => { server = await new ScriptedDevOps().start(); });
  afterEach(() => server.close());

  it('a 429 seen by one caller holds back another caller\'s request until the pause is over', async () => {
    const gate = gatedSleep();
    const adapter = new AzureDevOpsServiceEndpoints({
      orgUrl: server.orgUrl, tokens: new CountingTokens(), clock: new ManualClock('2026-11-22T06:00:00Z'),
      requestTimeoutMs: 2_000, maxAttempts: 3, sleep: gate.sleep, random: () => 0,
    });
    server.script('GET', ENDPOINTS_PATH, [{ status: 429, headers: { 'retry-after': '2' } }, { status: 200, body: { count: 1, value: [endpoint] } }]);
    server.script('GET', DETAILS_PATH, [{ status: 200, body: endpoint }]);
    const first = adapter.list('Proj');
    await vi.waitFor(() => expect(gate.waits).toEqual([2000]));
    const second = adapter.get('Proj', endpoint.id);
    await vi.waitFor(() => expect(gate.waits).toEqual([2000, 2000]));
    expect(server.requests.filter((r) => DETAILS_PATH.test(r.path))).toHaveLength(0);
    gate.releaseAll();
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    expect(server.requests.filter((r) => r.method === 'GET' && ENDPOINTS_PATH.test(r.path))).toHaveLength(2);
  });
});
