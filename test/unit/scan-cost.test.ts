import { describe, expect, it } from 'vitest';
import { AlertRadar } from '../../src/alerts/radar';
import { AlertScanner, type PasswordReader } from '../../src/alerts/scanner';
import { AppError } from '../../src/domain/errors';
import { createLogger } from '../../src/logging';
import { StoreUsageMemory, USAGE } from '../../src/alerts/usage-memory';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { ExecutionRecord, ServiceEndpoint } from '../../src/domain/endpoint';
import type { FindingThresholds } from '../../src/domain/findings';
import { usageDue } from '../../src/domain/usage-due';
import { PART_BUDGET } from '../../src/plans/store-plan-repository';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { ManualClock } from '@scbot/stand-ins';
import { buildAlertStatusView } from '../../src/cards/alert-status-view';
import { statusInput } from './alert-fixture';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const T: FindingThresholds = { expiringWithinDays: 14, unusedDays: 30, revertWithinHours: 72, disableWarnDays: 80 };
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
const PROJECTS = [{ id: 'p1', name: 'Payments' }, { id: 'p2', name: 'Billing' }];

/** Ages and uses that put connections on each side of every threshold, and some that cross one within days. */
const USES: Array<{ created: number; used?: number }> = [
  { created: -10 }, { created: -200 }, { created: -200, used: -5 }, { created: -200, used: -29.5 }, { created: -200, used: -79.8 },
  { created: -200, used: -85 }, { created: -200, used: -99.7 }, { created: -200, used: -150 }, { created: -29.9 }, { created: -79.9 },
];

function endpoint(i: number): ServiceEndpoint {
  const project = PROJECTS[i % 2] ?? { id: 'p1', name: 'Payments' };
  const use = USES[i % USES.length] ?? { created: -200 };
  return {
    id: `e${i}`, name: `sc-${i}`, type: 'azurerm', isReady: i % 13 !== 5, operationStatus: { state: i % 13 === 5 ? 'Failed' : 'Ready' },
    authorization: { scheme: 'ServicePrincipal', parameters: { serviceprincipalid: `app-${i % 7}`, authenticationType: 'spnKey', serviceprincipalkey: null } },
    creationDate: at(use.created), isDisabled: i % 17 === 3, serviceEndpointProjectReferences: [{ projectReference: project, name: `sc-${i}` }],
  };
}

const ENDPOINTS = Array.from({ length: 60 }, (_, i) => endpoint(i));
const HISTORY: Record<string, ExecutionRecord[]> = Object.fromEntries(ENDPOINTS.flatMap((e, i) => {
  const used = USES[i % USES.length]?.used;
  return used === undefined ? [] : [[e.id, [{ endpointId: e.id, id: i + 1, finishTime: at(used) }]]];
}));

/** Graph in memory: each app's one secret expires on a day set by its number. */
const passwords: PasswordReader = { listPasswords: async (appId) => [{ keyId: appId, endDateTime: at(Number(appId.slice(4)) * 3 - 4) }] };

function scanner(clock: ManualClock, options: { store?: EmbeddedStore; budget?: number; history?: Record<string, ExecutionRecord[]> } = {}) {
  return new AlertScanner({
    devops: new InMemoryServiceEndpoints(PROJECTS, ENDPOINTS, options.history ?? HISTORY), passwords, clock, thresholds: T, checkUnused: true,
    ...(options.store ? { usage: new StoreUsageMemory(options.store) } : {}), ...(options.budget === undefined ? {} : { callBudget: options.budget }),
  });
}

describe('steady-state scans (issue 15)', () => {
  it('give the findings a full scan gives, hour after hour and across thresholds, reading history only where one was crossed', async () => {
    const clock = new ManualClock(NOW);
    const store = new EmbeddedStore();
    const first = await scanner(clock, { store }).scan();
    const candidates = first.stats.calls.devopsHistory;
    expect(candidates).toBeGreaterThan(20);
    const reads: number[] = [];
    for (const step of [HOUR, HOUR, 6 * HOUR, DAY, 2 * DAY, 3 * DAY]) {
      clock.advance(step);
      const steady = await scanner(clock, { store }).scan();
      const full = await scanner(clock).scan();
      expect(steady.findings).toEqual(full.findings);
      expect(steady.findings.some((f) => f.kind === 'unused')).toBe(true);
      reads.push(steady.stats.calls.devopsHistory);
    }
    // An hour on, nothing can have crossed; the connections created 29.9 and 79.9 days ago and those used 29.5,
    // 79.8 and 99.7 days ago cross within the first day (one read each); after 3.5 days findings start to refresh.
    expect(reads.slice(0, 2)).toEqual([0, 0]);
    expect(reads.some((r) => r > 0)).toBe(true);
    // Six full scans would have read every candidate six times.
    expect(reads.reduce((a, b) => a + b, 0)).toBeLessThan((candidates * reads.length) / 3);
  });

  it('sees a use that resolves an unused finding once the refresh period comes round, not before', async () => {
    const clock = new ManualClock(NOW);
    const store = new EmbeddedStore();
    const unused = (await scanner(clock, { store }).scan()).findings.find((f) => f.kind === 'unused' && !HISTORY[f.endpointId]);
    expect(unused).toBeDefined();
    const id = unused?.endpointId ?? '';
    const usedNow = { ...HISTORY, [id]: [{ endpointId: id, id: 999, finishTime: NOW.toISOString() }] };
    clock.advance(HOUR);
    expect((await scanner(clock, { store, history: usedNow }).scan()).findings.map((f) => f.key)).toContain(unused?.key);
    clock.advance(7 * DAY);
    expect((await scanner(clock, { store, history: usedNow }).scan()).findings.map((f) => f.key)).not.toContain(unused?.key);
  });

  it('never makes more calls than the budget; what does not fit is a gap carried to the next scan until all is read', async () => {
    const clock = new ManualClock(NOW);
    const store = new EmbeddedStore();
    const budget = 20;
    const full = await scanner(clock).scan();
    let result = await scanner(clock, { store, budget }).scan();
    const total = (r: typeof result) => Object.values(r.stats.calls).reduce((a: number, b) => a + (b ?? 0), 0);
    expect(total(result)).toBe(budget);
    expect(result.stats.carried?.history).toBeGreaterThan(0);
    expect(result.gaps.historyOf).toHaveLength(result.stats.carried?.history ?? -1);
    for (let scans = 0; scans < 10 && (result.stats.carried?.history ?? 0) > 0; scans += 1) {
      result = await scanner(clock, { store, budget }).scan();
      expect(total(result)).toBeLessThanOrEqual(budget);
    }
    expect(result.stats.carried).toEqual({ history: 0, graph: 0 });
    expect(result.findings).toEqual(full.findings);
  });

  it('leaves apps the budget does not reach unread, as secret gaps', async () => {
    const result = await scanner(new ManualClock(NOW), { budget: 4 }).scan();
    expect(result.stats.calls).toMatchObject({ devopsProjects: 1, devopsList: 2, graph: 1, devopsHistory: 0 });
    expect(result.stats.carried?.graph).toBe(6);
    expect(result.gaps.secretsOf.length).toBeGreaterThan(0);
  });
});

describe('usageDue', () => {
  const subject = { endpointId: 'e1', name: 'sc-1', project: 'Payments' };
  const checks = { thresholds: T, checkUnused: true, refreshMs: 7 * DAY };
  const now = NOW;

  it('wants a first read, a read once a threshold was crossed since the last, and a refresh of a finding after its period', () => {
    expect(usageDue(subject, undefined, at(-200), now, checks)).toBe('never-read');
    expect(usageDue(subject, { lastUsed: Date.parse(at(-30.5)), checkedAt: Date.parse(at(-1)) }, at(-200), now, checks)).toBe('crossed');
    expect(usageDue(subject, { lastUsed: Date.parse(at(-5)), checkedAt: Date.parse(at(-1)) }, at(-200), now, checks)).toBeUndefined();
    expect(usageDue(subject, { checkedAt: Date.parse(at(-1)) }, at(-200), now, checks)).toBeUndefined();
    expect(usageDue(subject, { checkedAt: Date.parse(at(-7)) }, at(-200), now, checks)).toBe('refresh');
    expect(usageDue(subject, { checkedAt: Date.parse(at(1)) }, at(-200), now, checks)).toBe('crossed');
  });
});

describe('StoreUsageMemory', () => {
  it('keeps what was learnt in parts of at most PART_BUDGET characters, replacing the previous generation', async () => {
    const store = new EmbeddedStore();
    const memory = new StoreUsageMemory(store);
    const known = new Map(Array.from({ length: 3000 }, (_, i) => [`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, i % 3 ? { lastUsed: 1_763_000_000_123 + i, checkedAt: 1_763_900_000_000 } : { checkedAt: 1_763_900_000_000 }]));
    await memory.save(known);
    await memory.save(known);
    expect(await memory.load()).toEqual(known);
    const parts = (await store.list<unknown>(USAGE)).filter((r) => r.key !== 'header');
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((p) => JSON.stringify(p.value).length <= PART_BUDGET)).toBe(true);
    expect(new Set(parts.map((p) => p.key.split('/')[0])).size).toBe(1);
  });

  it('a save that dies before its header leaves the previous memory whole, and the next save drops the parts it left', async () => {
    const store = new EmbeddedStore();
    const memory = new StoreUsageMemory(store);
    const first = new Map([['00000000-0000-4000-8000-000000000001', { lastUsed: 1_763_000_000_123, checkedAt: 1_763_900_000_000 }]]);
    await memory.save(first);
    // The crash: every part is written, the header never is.
    const dying = new StoreUsageMemory({ ...store, get: store.get.bind(store), keys: store.keys.bind(store), delete: store.delete.bind(store), list: store.list.bind(store),
      put: async (collection, key, value, version) => {
        if (key === 'header') throw new Error('killed before the header');
        return store.put(collection, key, value, version);
      },
    });
    const second = new Map([['00000000-0000-4000-8000-000000000002', { checkedAt: 1_763_990_000_000 }]]);
    await expect(dying.save(second)).rejects.toThrow('killed before the header');
    expect(await memory.load()).toEqual(first);
    expect((await store.keys(USAGE)).filter((k) => k !== 'header')).toHaveLength(2);
    await memory.save(second);
    expect(await memory.load()).toEqual(second);
    expect((await store.keys(USAGE)).filter((k) => k !== 'header')).toHaveLength(1);
  });
});

describe('alerts status after a scan over its call budget', () => {
  it('says what is still unread and that the next scan reads it first', () => {
    const input = statusInput([]);
    const stats = { ...input.lastScan?.stats, connections: 10_000, calls: { devopsProjects: 0, devopsList: 5, devopsHistory: 992, graph: 3 }, notes: [], carried: { history: 3808, graph: 0 }, budget: 1000 };
    const view = buildAlertStatusView({ ...input, lastScan: { ...input.lastScan!, stats } });
    expect(view.detailFacts.find((f) => f.title === 'Still unread')?.value).toBe('the runs of 3808 connections: over the budget of 1000 calls per scan, read first by the next scan (findings there kept until then)');
    expect(buildAlertStatusView(statusInput([])).detailFacts.some((f) => f.title === 'Still unread')).toBe(false);
  });
});

describe('a history read that fails or waits for the budget (issue 15)', () => {
  it('keeps the connection\'s previous finding open: nothing is posted as resolved', async () => {
    const clock = new ManualClock(NOW);
    const store = new EmbeddedStore();
    const posts: string[] = [];
    const notifier = { post: async (_to: unknown, message: { text: string }) => void posts.push(message.text), update: async () => undefined };
    const devops = new InMemoryServiceEndpoints(PROJECTS, ENDPOINTS, HISTORY);
    const refused = new Set<string>();
    const flaky = Object.assign(Object.create(devops) as InMemoryServiceEndpoints, {
      executionHistory: (project: string, id: string, options?: { top?: number }) => (refused.has(id) ? Promise.reject(new AppError('DEVOPS.THROTTLED', 'slow down')) : devops.executionHistory(project, id, options)),
    });
    const scanning = new AlertScanner({ devops: flaky, clock, thresholds: T, checkUnused: true });
    const settings = { intervalMinutes: 60, reminderHours: 0, digestOver: 3, thresholds: T, checkUnused: true, projects: [] };
    const radar = new AlertRadar({ scanner: scanning, store, clock, logger: createLogger({ level: 'silent' }), settings, notifier, repeat: () => () => undefined });
    await radar.subscribe({ conversationId: '19:ops', reference: {}, subscribedBy: { name: 'ops' }, subscribedAt: NOW.toISOString() });
    const first = await radar.runNow();
    const unused = first.kind === 'scanned' ? first.result.findings.find((f) => f.kind === 'unused') : undefined;
    expect(unused).toBeDefined();
    refused.add(unused?.endpointId ?? '');
    posts.length = 0;
    clock.advance(HOUR);
    const second = await radar.runNow();
    expect(second.kind === 'scanned' && second.result.gaps.historyOf).toEqual([unused?.endpointId]);
    expect((await radar.status('19:ops')).lastScan?.findings.map((f) => f.key)).toContain(unused?.key);
    expect(posts).toEqual([]);
  });
});
