import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import { planConvert } from '../../src/domain/planners';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { callsFor, endpointId, PROJECT, startHarness, type ConnectionSpec, type Harness } from './operations-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const convertible = (count: number): ConnectionSpec[] =>
  Array.from({ length: count }, (_, i) => ({ n: 100 + i, name: `sc-bulk-${String(i).padStart(2, '0')}` }));
const idAt = (i: number) => endpointId(100 + i);
const pathOf = (i: number) => new RegExp(`/_apis/serviceendpoint/endpoints/${idAt(i)}$`);

async function convertAll(harness: Harness, planId = 'convert-all'): Promise<string> {
  const targets = (await harness.devops.list(PROJECT.name)).map((endpoint) => ({ endpoint, project: PROJECT, history: [] }));
  const plan = await harness.save(planConvert({ id: planId, command: 'convert all', now: harness.clock.now(), targets }));
  harness.cloud.devops.requests.clear();
  return plan.id;
}

/** Never answers: what a killed process looks like from the outside. */
const never = <T>() => new Promise<T>(() => undefined);

describe('executor fault cases against the local cloud', () => {
  it('a 429 storm pauses the workers; every item still completes', async () => {
    h = await startHarness(convertible(16));
    const planId = await convertAll(h);
    h.cloud.devops.faults.setRateLimit({ limit: 8, windowMs: 400, retryAfterSeconds: 0.4 });
    const report = await h.executor({ concurrency: 8 }).run(planId);
    expect(report.counts).toEqual({ done: 16, skipped: 0, failed: 0 });
    expect(h.retries.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    for (let i = 0; i < 16; i += 1) expect(h.cloud.devops.state.live(idAt(i))?.authorization?.scheme).toBe('WorkloadIdentityFederation');
  });

  it('a 500 mid-bulk fails that item (the PUT is not retried); the others are done', async () => {
    h = await startHarness(convertible(5));
    const planId = await convertAll(h);
    h.cloud.devops.faults.scriptResponse({ method: 'PUT', path: pathOf(2) }, { status: 500, body: { message: 'TF400898: An Internal Error Occurred.' } });
    const report = await h.executor({ concurrency: 2 }).run(planId);
    expect(report.counts).toEqual({ done: 4, skipped: 0, failed: 1 });
    expect(report.items.find((i) => i.endpointId === idAt(2))).toMatchObject({ status: 'failed', code: 'DEVOPS.UNAVAILABLE' });
    expect(callsFor(h.cloud.devops.requests.entries(), idAt(2))).toEqual(['GET', 'PUT ConvertAuthenticationScheme']);
    expect(h.cloud.devops.state.live(idAt(2))?.authorization?.scheme).toBe('ServicePrincipal');
  });

  it('a reset connection on a GET is retried; the item completes with one extra GET', async () => {
    h = await startHarness(convertible(3));
    const planId = await convertAll(h);
    h.cloud.devops.faults.resetConnection({ method: 'GET', path: pathOf(1) });
    const report = await h.executor().run(planId);
    expect(report.counts.done).toBe(3);
    expect(callsFor(h.cloud.devops.requests.entries(), idAt(1))).toEqual(['GET', 'GET', 'PUT ConvertAuthenticationScheme', 'GET']);
  });

  it('a conversion that is not ready is reverted automatically and reported', async () => {
    h = await startHarness(convertible(2));
    const planId = await convertAll(h);
    const deadline = new Date(Date.now() + 7 * 86_400_000).toISOString();
    h.cloud.devops.faults.scriptResponse({ method: 'GET', path: pathOf(0), nth: 2 }, {
      status: 200,
      body: { id: idAt(0), name: 'sc-bulk-00', type: 'azurerm', isReady: false, operationStatus: { state: 'Failed', statusMessage: 'federated credential missing' }, authorization: { scheme: 'WorkloadIdentityFederation', parameters: {} }, data: { revertSchemeDeadline: deadline } },
    });
    const report = await h.executor().run(planId);
    expect(report.items.find((i) => i.endpointId === idAt(0))).toMatchObject({ status: 'failed', reason: expect.stringContaining('reverted automatically') });
    expect(callsFor(h.cloud.devops.requests.entries(), idAt(0))).toEqual(['GET', 'PUT ConvertAuthenticationScheme', 'GET', 'PUT ConvertAuthenticationScheme']);
    expect(h.cloud.devops.state.live(idAt(0))?.authorization?.scheme).toBe('ServicePrincipal');
    expect(report.items.find((i) => i.endpointId === idAt(1))).toMatchObject({ status: 'done' });
  });

  it('a crash between items, and one mid-item: a new executor on the reopened store repeats nothing finished', async () => {
    h = await startHarness(convertible(5));
    const harness = h;
    const planId = await convertAll(harness);
    // The "process" dies while item 2's PUT is in flight: the service applies it, the answer never arrives.
    const dying: ServiceEndpoints = Object.assign(Object.create(harness.devops) as ServiceEndpoints, {
      update: async (endpoint: Parameters<ServiceEndpoints['update']>[0], operation?: string) => {
        const result = await harness.devops.update(endpoint, operation);
        return endpoint.id === idAt(2) ? never<typeof result>() : result;
      },
    });
    void harness.executor({ concurrency: 1, devops: dying }).run(planId);
    await expect.poll(() => harness.cloud.devops.state.live(idAt(2))?.authorization?.scheme).toBe('WorkloadIdentityFederation');
    const before = harness.cloud.devops.requests.entries();
    expect(callsFor(before, idAt(3))).toEqual([]);
    harness.cloud.devops.requests.clear();
    harness.clock.advance(5 * 60_000); // the dead run's claim on item 2 lapses
    const restarted = new EmbeddedStore({ dir: harness.storeDir });
    const report = await harness.executor({ concurrency: 1, devops: harness.newAdapter(), store: restarted }).run(planId);
    expect(report.counts).toEqual({ done: 5, skipped: 0, failed: 0 });
    const after = harness.cloud.devops.requests.entries();
    expect(callsFor(after, idAt(0))).toEqual([]);
    expect(callsFor(after, idAt(1))).toEqual([]);
    expect(callsFor(after, idAt(2))).toEqual(['GET']);
    expect(callsFor(after, idAt(3))).toEqual(['GET', 'PUT ConvertAuthenticationScheme', 'GET']);
    expect(callsFor(after, idAt(4))).toEqual(['GET', 'PUT ConvertAuthenticationScheme', 'GET']);
  });
});
