import { describe, expect, it } from 'vitest';
import { CachingServiceEndpoints } from '../../src/devops/caching-service-endpoints';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { AppError } from '../../src/domain/errors';

const PROJECT = { id: '11111111-1111-1111-1111-111111111111', name: 'Payments' };

function endpoint(id: string, name: string): ServiceEndpoint {
  return {
    id, name, type: 'azurerm', isReady: true, authorization: { scheme: 'ServicePrincipal', parameters: { serviceprincipalkey: 'canary-secret-value' } },
    serviceEndpointProjectReferences: [{ projectReference: { ...PROJECT }, name }],
  };
}


/** Counts what reaches the real port, so each test can say how many reads the cache let through. */
function counted(inner: ServiceEndpoints): { port: ServiceEndpoints; calls: string[]; failNext: () => void } {
  const calls: string[] = [];
  let fail = false;
  const port = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        calls.push(String(prop));
        if (fail) { fail = false; throw new AppError('DEVOPS.UNAVAILABLE', 'down'); }
        return value.apply(target, args);
      };
    },
  });
  return { port, calls, failNext: () => { fail = true; } };
}

function setup(ttlMs = 15_000) {
  const clock = new ManualClock('2026-11-22T10:00:00Z');
  const inner = counted(new InMemoryServiceEndpoints([PROJECT], [endpoint('a1', 'sc-a'), endpoint('b2', 'sc-b')]));
  return { clock, inner, cache: new CachingServiceEndpoints(inner.port, clock, ttlMs) };
}

describe('CachingServiceEndpoints', () => {
  it('answers a repeated list from the cache until the TTL passes', async () => {
    const { clock, inner, cache } = setup();
    const first = await cache.list('Payments');
    clock.advance(14_999);
    expect(await cache.list('payments')).toBe(first);
    expect(inner.calls).toEqual(['list']);
    clock.advance(1);
    await cache.list('Payments');
    expect(inner.calls).toEqual(['list', 'list']);
  });

  it('keeps projects and each filter apart', async () => {
    const { inner, cache } = setup();
    await cache.projects();
    await cache.projects();
    await cache.list('Payments', { includeFailed: true });
    await cache.list('Payments');
    await cache.list('Payments', { type: 'AzureRM' });
    await cache.list('Payments', { type: 'azurerm' });
    expect(inner.calls).toEqual(['projects', 'list', 'list', 'list']);
  });

  it('shares one request between concurrent identical reads', async () => {
    const { inner, cache } = setup();
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.list('Payments')));
    expect(new Set(results).size).toBe(1);
    expect(inner.calls).toEqual(['list']);
  });

  it('empties itself on every write made through it, even a failed one', async () => {
    const { inner, cache } = setup();
    await cache.list('Payments');
    const [a] = await cache.list('Payments');
    if (!a) throw new Error('fixture');
    await cache.update({ ...a, data: { marker: 'after-update' } });
    expect((await cache.list('Payments')).map((e) => e.data?.marker)).toContain('after-update');
    await cache.delete('b2', [PROJECT.id]);
    expect((await cache.list('Payments')).map((e) => e.id)).toEqual(['a1']);
    inner.failNext();
    await expect(cache.share('a1', [])).rejects.toMatchObject({ code: 'DEVOPS.UNAVAILABLE' });
    await cache.list('Payments');
    expect(inner.calls.filter((c) => c === 'list')).toHaveLength(4);
  });

  it('does not keep a failed read', async () => {
    const { inner, cache } = setup();
    inner.failNext();
    await expect(cache.list('Payments')).rejects.toMatchObject({ code: 'DEVOPS.UNAVAILABLE' });
    expect(await cache.list('Payments')).toHaveLength(2);
    expect(inner.calls).toEqual(['list', 'list']);
  });

  it('hands out frozen results, so one caller cannot change what another sees', async () => {
    const { cache } = setup();
    const [first] = await cache.list('Payments');
    expect(() => { (first as ServiceEndpoint).name = 'changed'; }).toThrow(TypeError);
    expect(() => { (first?.serviceEndpointProjectReferences ?? []).push({ projectReference: { id: 'x' }, name: 'x' }); }).toThrow(TypeError);
    expect((await cache.list('Payments'))[0]?.name).toBe('sc-a');
  });

  it('reads through for single connections and history, and for everything with a TTL of 0', async () => {
    const { inner, cache } = setup();
    await cache.get('Payments', 'a1');
    await cache.get('Payments', 'a1');
    await cache.getByName('Payments', 'sc-a');
    await cache.executionHistory('Payments', 'a1');
    expect(inner.calls).toEqual(['get', 'get', 'getByName', 'executionHistory']);
    const off = setup(0);
    await off.cache.list('Payments');
    await off.cache.list('Payments');
    expect(off.inner.calls).toEqual(['list', 'list']);
  });
});
