import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator,
} from '../src/index';

let emu: DevOpsEmulator;
let clock: ManualClock;
let slept: number[];
const list = (options?: Parameters<typeof callEmulator>[2]) => callEmulator<{ message: string }>(emu.orgUrl, '/Payments/_apis/serviceendpoint/endpoints', options);

beforeEach(async () => {
  clock = new ManualClock('2026-11-01T12:00:00.000Z');
  slept = [];
  const sleep = async (ms: number): Promise<void> => void slept.push(ms);
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock, sleep });
});
afterEach(async () => emu.close());

describe('rate limit', () => {
  it('sends X-RateLimit-* on 200s, then 429 TF400733 with Retry-After once the budget is spent', async () => {
    emu.faults.setRateLimit({ limit: 2, windowMs: 60_000, retryAfterSeconds: 7 });
    const first = await list();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(first.headers.get('x-ratelimit-resource')).toBe('Core');
    expect((await list()).headers.get('x-ratelimit-remaining')).toBe('0');
    const blocked = await list();
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('7');
    expect(blocked.headers.get('x-ratelimit-reset')).toBe(String(Date.parse('2026-11-01T12:01:00.000Z') / 1000));
    expect(blocked.body.message).toMatch(/^TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource/);
    clock.advance(60_001);
    expect((await list()).status).toBe(200);
  });

  it('sends X-RateLimit-* only once half the budget is spent; Reset follows the newest unit, as facts §7.6 says', async () => {
    emu.faults.setRateLimit({ limit: 4, windowMs: 10_000, retryAfterSeconds: 1 });
    const first = await list();
    expect(first.headers.get('x-ratelimit-remaining')).toBeNull();
    clock.advance(3_000);
    const second = await list();
    expect(second.headers.get('x-ratelimit-remaining')).toBe('2');
    // Usage is back to 0 when the unit spent now leaves the window, not the first one.
    expect(second.headers.get('x-ratelimit-reset')).toBe(String(Date.parse('2026-11-01T12:00:13.000Z') / 1000));
    await list();
    await list();
    const refused = await list();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    clock.advance(7_001);
    const freed = await list();
    expect(freed.status).toBe(200);
    expect(freed.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('is off again after clear()', async () => {
    emu.faults.setRateLimit({ limit: 0, windowMs: 1_000, retryAfterSeconds: 1 });
    expect((await list()).status).toBe(429);
    emu.faults.clear();
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
  });
});

describe('scripted faults', () => {
  it('answers the Nth matching request with the scripted status, body and headers, once', async () => {
    emu.faults.scriptResponse({ method: 'GET', path: /\/endpoints$/, nth: 2 }, { status: 503, body: { message: 'down' }, headers: { 'X-Why': 'test' } });
    expect((await list()).status).toBe(200);
    await callEmulator(emu.orgUrl, '/_apis/projects');
    const second = await list();
    expect(second.status).toBe(503);
    expect(second.body.message).toBe('down');
    expect(second.headers.get('x-why')).toBe('test');
    expect((await list()).status).toBe(200);
  });

  it('resets the connection', async () => {
    emu.faults.resetConnection({ path: /endpoints/ });
    await expect(list()).rejects.toThrow();
    expect((await list()).status).toBe(200);
  });

  it('loses the answer after the write committed: a reset, or the status given', async () => {
    const body = { name: 'sc-lost', type: 'generic', url: 'https://example.test', authorization: { scheme: 'UsernamePassword', parameters: { username: 'u', password: 'p' } }, serviceEndpointProjectReferences: [{ projectReference: { id: '', name: 'Payments' }, name: 'sc-lost' }] };
    const post = () => callEmulator(emu.orgUrl, '/_apis/serviceendpoint/endpoints', { method: 'POST', body });
    emu.faults.loseAnswer({ method: 'POST', path: /endpoints$/ });
    await expect(post()).rejects.toThrow();
    expect(emu.state.liveAll().filter((e) => e.name === 'sc-lost')).toHaveLength(1);
    const made = emu.state.liveAll().find((e) => e.name === 'sc-lost');
    const project = made?.serviceEndpointProjectReferences?.[0]?.projectReference?.id ?? '';
    emu.faults.loseAnswer({ method: 'DELETE' }, { status: 504 });
    expect((await callEmulator(emu.orgUrl, `/_apis/serviceendpoint/endpoints/${made?.id}?projectIds=${project}`, { method: 'DELETE' })).status).toBe(504);
    expect(emu.state.liveAll().some((e) => e.name === 'sc-lost')).toBe(false);
  });

  it('hangs until the caller gives up', async () => {
    emu.faults.hang({ method: 'GET' });
    const controller = new AbortController();
    const pending = list({ signal: controller.signal });
    await expect.poll(() => emu.requests.entries().length).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
  });

  it('waits the configured latency plus jitter before answering', async () => {
    emu.faults.setLatency(40, 10);
    await list();
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThanOrEqual(40);
    expect(slept[0]).toBeLessThanOrEqual(50);
  });
});
