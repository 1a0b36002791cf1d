import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { planConvert } from '../../src/operations/convert/convert.planner';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { callsFor, endpointId, listReads, PROJECT, startHarness, type ConnectionSpec, type Harness } from './operations-harness';
import { worded } from '../support/worded';
import type { Plan } from '../../src/domain/plan';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const convertible = (count: number): ConnectionSpec[] =>
  Array.from({ length: count }, (_, i) => ({ n: 100 + i, name: `sc-bulk-${String(i).padStart(2, '0')}` }));
const idAt = (i: number) => endpointId(100 + i);
const pathOf = (i: number) => new RegExp(`/_apis/serviceendpoint/endpoints/${idAt(i)}$`);

async function convertAll(harness: Harness, planId = 'convert-all'): Promise<Plan> {
  const targets = (await harness.devops.list(PROJECT.name)).map((endpoint) => ({ endpoint, project: PROJECT, history: [] }));
  const plan = await harness.save(planConvert({ id: planId, command: 'convert all', now: harness.clock.now(), targets }));
  harness.cloud.devops.requests.clear();
  return plan;
}

/** Never answers: what a killed process looks like from the outside. */
const never = <T>() => new Promise<T>(() => undefined);

/** The real adapter, with the answer of one connection's conversion PUT rewritten (the service state is real). */
function rewritingAnswers(harness: Harness, id: string, rewrite: (answer: ServiceEndpoint) => ServiceEndpoint): ServiceEndpoints {
  return Object.assign(Object.create(harness.devops) as ServiceEndpoints, {
    update: async (endpoint: ServiceEndpoint, operation?: string) => {
      const answer = await harness.devops.update(endpoint, operation);
      return endpoint.id === id && endpoint.authorization?.scheme === 'WorkloadIdentityFederation' ? rewrite(answer) : answer;
    },
  });
}

describe('executor fault cases against the local cloud', () => {
  it('a 429 storm nothing warned of pauses the workers; every item still completes', async () => {
    h = await startHarness(convertible(16));
    const plan = await convertAll(h);
    // X-RateLimit-* only on refusals (headersFrom past the whole budget): the workers cannot pace before the storm.
    h.cloud.devops.faults.setRateLimit({ limit: 8, windowMs: 2_000, retryAfterSeconds: 0.4, headersFrom: 2 });
    const report = worded(await h.executor({ concurrency: 8 }).run(plan));
    expect(report.counts).toEqual({ done: 16, skipped: 0, failed: 0 });
    expect(h.retries.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    for (let i = 0; i < 16; i += 1) expect(h.cloud.devops.state.live(idAt(i))?.authorization?.scheme).toBe('WorkloadIdentityFederation');
  });

  it('under a tight limit the workers pace themselves from X-RateLimit-* and meet no 429 at all', async () => {
    h = await startHarness(convertible(24));
    // 10 requests per sliding second: the batch read and 8 PUTs in flight fit before the first headers come back.
    h.cloud.devops.faults.setRateLimit({ limit: 10, windowMs: 1_000, retryAfterSeconds: 1 });
    const plan = await convertAll(h);
    const report = worded(await h.executor({ concurrency: 8 }).run(plan));
    expect(report.counts).toEqual({ done: 24, skipped: 0, failed: 0 });
    expect(h.cloud.devops.faults.refusals()).toBe(0);
    expect(h.retries.filter((r) => r.status === 429)).toEqual([]);
    expect(h.cloud.devops.requests.entries().filter((r) => r.method === 'PUT')).toHaveLength(24);
  });

  it('a 500 mid-bulk fails that item (the PUT is not retried); the others are done', async () => {
    h = await startHarness(convertible(5));
    const plan = await convertAll(h);
    h.cloud.devops.faults.scriptResponse({ method: 'PUT', path: pathOf(2) }, { status: 500, body: { message: 'TF400898: An Internal Error Occurred.' } });
    const report = worded(await h.executor({ concurrency: 2 }).run(plan));
    expect(report.counts).toEqual({ done: 4, skipped: 0, failed: 1 });
    expect(report.items.find((i) => i.endpointId === idAt(2))).toMatchObject({ status: 'failed', code: 'DEVOPS.UNAVAILABLE' });
    expect(callsFor(h.cloud.devops.requests.entries(), idAt(2))).toEqual(['LIST', 'PUT ConvertAuthenticationScheme']);
    expect(h.cloud.devops.state.live(idAt(2))?.authorization?.scheme).toBe('ServicePrincipal');
  });

  it('a reset connection on the list read is retried; the items complete with one extra list read', async () => {
    h = await startHarness(convertible(3));
    const plan = await convertAll(h);
    h.cloud.devops.faults.resetConnection({ method: 'GET', path: /\/_apis\/serviceendpoint\/endpoints$/ });
    const report = worded(await h.executor().run(plan));
    expect(report.counts.done).toBe(3);
    expect(callsFor(h.cloud.devops.requests.entries(), idAt(1))).toEqual(['LIST', 'LIST', 'PUT ConvertAuthenticationScheme']);
  });

  it('a conversion whose PUT answer says InProgress is confirmed by a GET poll', async () => {
    h = await startHarness(convertible(2));
    const plan = await convertAll(h);
    const devops = rewritingAnswers(h, idAt(0), (answer) => ({ ...answer, isReady: false, operationStatus: { state: 'InProgress', statusMessage: '' } }));
    const report = worded(await h.executor({ devops }).run(plan));
    expect(report.counts.done).toBe(2);
    expect(callsFor(h.cloud.devops.requests.entries(), idAt(0))).toEqual(['LIST', 'PUT ConvertAuthenticationScheme', 'GET']);
    expect(callsFor(h.cloud.devops.requests.entries(), idAt(1))).toEqual(['LIST', 'PUT ConvertAuthenticationScheme']);
  });

  it('a conversion that is not ready is reverted automatically and reported', async () => {
    h = await startHarness(convertible(2));
    const plan = await convertAll(h);
    const devops = rewritingAnswers(h, idAt(0), (answer) => ({ ...answer, isReady: false, operationStatus: { state: 'Failed', statusMessage: 'federated credential missing' } }));
    const report = worded(await h.executor({ devops }).run(plan));
    expect(report.items.find((i) => i.endpointId === idAt(0))).toMatchObject({ status: 'failed', reason: expect.stringContaining('reverted automatically') });
    // The PUT's answer says Failed: no GET, straight to the revert while the deadline allows.
    expect(callsFor(h.cloud.devops.requests.entries(), idAt(0))).toEqual(['LIST', 'PUT ConvertAuthenticationScheme', 'PUT ConvertAuthenticationScheme']);
    expect(h.cloud.devops.state.live(idAt(0))?.authorization?.scheme).toBe('ServicePrincipal');
    expect(report.items.find((i) => i.endpointId === idAt(1))).toMatchObject({ status: 'done' });
  });

  it('a crash between items, and one mid-item: a new executor on the reopened store repeats nothing finished', async () => {
    h = await startHarness(convertible(5));
    const harness = h;
    const plan = await convertAll(harness);
    // The "process" dies while item 2's PUT is in flight: the service applies it, the answer never arrives.
    const dying: ServiceEndpoints = Object.assign(Object.create(harness.devops) as ServiceEndpoints, {
      update: async (endpoint: Parameters<ServiceEndpoints['update']>[0], operation?: string) => {
        const result = await harness.devops.update(endpoint, operation);
        return endpoint.id === idAt(2) ? never<typeof result>() : result;
      },
    });
    void harness.executor({ concurrency: 1, devops: dying }).run(plan);
    await expect.poll(() => harness.cloud.devops.state.live(idAt(2))?.authorization?.scheme).toBe('WorkloadIdentityFederation');
    const before = harness.cloud.devops.requests.entries();
    expect(callsFor(before, idAt(3))).toEqual(['LIST']); // read in the first run's batch, never written
    harness.cloud.devops.requests.clear();
    harness.clock.advance(5 * 60_000); // the dead run's claim on item 2 lapses
    const restarted = new EmbeddedStore({ dir: harness.storeDir });
    const report = worded(await harness.executor({ concurrency: 1, devops: harness.newAdapter(), store: restarted }).run(plan));
    expect(report.counts).toEqual({ done: 5, skipped: 0, failed: 0 });
    const after = harness.cloud.devops.requests.entries();
    expect(callsFor(after, idAt(0))).toEqual([]);
    expect(callsFor(after, idAt(1))).toEqual([]);
    // One list read covering only the unfinished items; the interrupted one is settled by it alone.
    expect(listReads(after)).toEqual([[2, 3, 4].map((i) => idAt(i).toLowerCase())]);
    expect(callsFor(after, idAt(2))).toEqual(['LIST']);
    expect(callsFor(after, idAt(3))).toEqual(['LIST', 'PUT ConvertAuthenticationScheme']);
    expect(callsFor(after, idAt(4))).toEqual(['LIST', 'PUT ConvertAuthenticationScheme']);
  });
});
