/**
 * The per-caller limit counted in the shared Store (src/store/store-rate-limiter.ts behind src/mcp/caller-rate-limit.ts):
 * instances sharing a store allow a caller the configured total between them, also when their calls race; a new
 * window starts once the store's clock passes the old one; a store that cannot answer refuses the call (fails closed)
 * with a clear tool error, logged without a stack, never letting the call through.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { CallerRateLimit } from '../../src/mcp/caller-rate-limit';
import { defineTool, READ_TOOL } from '../../src/mcp/tool';
import { ToolCalls } from '../../src/mcp/tool-calls';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { RATE_LIMIT_COLLECTION } from '../../src/store/store-rate-limiter';
import type { Store } from '../../src/store/store.port';
import { ALLOW_ALL_POLICY, TEST_TENANT, testServices } from '../support/command-services';
import { InMemoryPlanRepository } from '../support/in-memory-plan-repository';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { recordingLogger, TestClock } from '../support/inventory-fixtures';

const CALLER = '0000AAAA-0000-4000-8000-000000000001';
const OTHER = '0000cccc-0000-4000-8000-000000000003';

const allowed = async (limit: CallerRateLimit, caller = CALLER) => (await limit.take(caller)).allowed;

describe('a caller\'s limit shared by instances through the store', () => {
  it('calls split across two instances are limited at the configured total; the first refusal alone is marked for the audit', async () => {
    const store = new EmbeddedStore();
    const clock = new TestClock(Date.parse('2026-12-07T05:00:00.000Z'));
    const [one, two] = [new CallerRateLimit(3, { store, clock }), new CallerRateLimit(3, { store, clock })];
    expect([await allowed(one), await allowed(two), await allowed(one)]).toEqual([true, true, true]);
    const refused = await two.take(CALLER);
    expect(refused).toMatchObject({ allowed: false, firstRefusal: true });
    expect('retryAfterSeconds' in refused && refused.retryAfterSeconds).toBe(60);
    expect(await one.take(CALLER)).toMatchObject({ allowed: false, firstRefusal: false });
    // The object id is counted whatever its case; another caller has their own count.
    expect(await allowed(one, CALLER.toLowerCase())).toBe(false);
    expect(await allowed(two, OTHER)).toBe(true);
    expect((await store.keys(RATE_LIMIT_COLLECTION)).length).toBe(2);
  });

  it('a caller over the limit on one instance, then on the other, is marked for the audit once', async () => {
    const store = new EmbeddedStore();
    const clock = new TestClock(Date.parse('2026-12-07T05:00:00.000Z'));
    const [one, two] = [new CallerRateLimit(2, { store, clock }), new CallerRateLimit(2, { store, clock })];
    expect([await allowed(one), await allowed(one)]).toEqual([true, true]);
    expect(await one.take(CALLER)).toMatchObject({ allowed: false, firstRefusal: true });
    expect(await one.take(CALLER)).toMatchObject({ allowed: false, firstRefusal: false });
    expect(await two.take(CALLER)).toMatchObject({ allowed: false, firstRefusal: false });
  });

  it('racing calls from two instances never exceed the total (compare-and-swap on the counter, retried on conflict)', async () => {
    const store = new EmbeddedStore();
    const clock = new TestClock(Date.parse('2026-12-07T05:00:00.000Z'));
    const [one, two] = [new CallerRateLimit(5, { store, clock }), new CallerRateLimit(5, { store, clock })];
    const decisions = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).take(CALLER)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions.filter((d) => !d.allowed && 'unavailable' in d)).toHaveLength(0);
  });

  it('a new window starts when the store\'s clock passes the old one', async () => {
    const store = new EmbeddedStore();
    const clock = new TestClock(Date.parse('2026-12-07T05:00:00.000Z'));
    const first = new CallerRateLimit(1, { store, clock });
    expect([await allowed(first), await allowed(first)]).toEqual([true, false]);
    clock.advance(61_000);
    // Another instance (its own memory is empty): only the store's count decides.
    expect(await allowed(new CallerRateLimit(1, { store, clock }))).toBe(true);
  });
});

describe('a store that cannot answer', () => {
  const down: Store = {
    get: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:10002'), { code: 'ECONNREFUSED' })),
    put: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:10002')),
    delete: () => Promise.reject(new Error('down')), list: () => Promise.reject(new Error('down')), keys: () => Promise.reject(new Error('down')),
  };

  it('refuses the call (fails closed) with a clear tool error; the tool never runs; the log names the code, no stack', async () => {
    const { logger, lines } = recordingLogger();
    const audit = new StoreAuditLog(new EmbeddedStore());
    let ran = 0;
    const tool = defineTool({
      name: 'echo', title: 'Echo', description: 'Echoes', input: { text: z.string() }, output: { echoed: z.string() }, annotations: READ_TOOL,
      run: async (input) => { ran++; return { ok: true, value: { echoed: input.text }, text: input.text }; },
    });
    const services = testServices({
      endpoints: new InMemoryServiceEndpoints([]), plans: new InMemoryPlanRepository(), clock: new TestClock(Date.parse('2026-12-07T05:00:00.000Z')), logger, audit, policy: ALLOW_ALL_POLICY,
    });
    const calls = new ToolCalls({ services, limit: new CallerRateLimit(30, { store: down, clock: services.clock }) });
    const caller = { kind: 'agent' as const, objectId: CALLER, tenantId: TEST_TENANT, appId: '0000bbbb-0000-4000-8000-000000000002', name: 'agent' };
    for (let i = 0; i < 2; i++) {
      const result = await calls.call(tool, { text: 'hello' }, caller);
      expect(result.isError).toBe(true);
      expect((result.content as Array<{ text: string }>)[0]!.text).toMatch(/^I could not check the call limit \(my shared storage is not answering\), so nothing was done\. Try again in a minute\. Reference: R-[A-Z0-9]{8}$/);
      expect(JSON.stringify(result)).not.toMatch(/ECONNREFUSED|\n\s+at /);
    }
    expect(ran).toBe(0);
    expect((await audit.query()).map((e) => [e.kind, e.reason])).toEqual([['called', 'RATE_LIMIT_UNAVAILABLE'], ['called', 'RATE_LIMIT_UNAVAILABLE']]);
    const refusals = lines.filter((l) => l.includes('RATE_LIMIT_UNAVAILABLE'));
    expect(refusals).toHaveLength(2);
    for (const line of refusals) expect(line).not.toMatch(/\\n\s+at /);
  });
});
