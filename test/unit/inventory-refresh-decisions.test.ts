// Which projects the inventory lists again: from the audit log's changes (by project, else where the connection is
// known), at a pace a share of the rate budget allows without it, and how the audit cursor moves. Pure, times in ms.
import { describe, expect, it } from 'vitest';
import { outsideChangeOf, outsideChangeText, type ConnectionChange } from '../../src/domain/connection-change';
import {
  afterRead, AUDIT_OVERLAP_MS, AUDIT_SILENT_AFTER_MS, auditIsLive, auditWindow, DOCUMENTED_BUDGET, fullCycleMs, periodicPick, planFromChanges,
} from '../../src/domain/inventory-refresh';

const T0 = Date.parse('2026-09-01T10:00:00Z');
const MIN = 60_000;

function change(over: Partial<ConnectionChange> & { at?: string }): ConnectionChange {
  return {
    entryId: over.entryId ?? `e-${Math.random()}`, at: over.at ?? new Date(T0).toISOString(), actionId: 'Library.ServiceConnectionModified', action: 'modified',
    connectionId: 'c-1', connectionName: 'sc', projectId: undefined, projectName: undefined, actor: { kind: 'person', name: 'Ivo' }, portal: true, ...over,
  };
}

describe('planFromChanges', () => {
  const where = (id: string) => ({ 'c-1': ['p-a', 'p-b'], 'c-2': ['p-c'] } as Record<string, string[]>)[id] ?? [];

  it('lists the project a change names, each project once, in the order the changes came', () => {
    const plan = planFromChanges([change({ projectId: 'p-x' }), change({ projectId: 'p-y' }), change({ projectId: 'p-x' })], where);
    expect(plan.relist).toEqual(['p-x', 'p-y']);
    expect(plan.notes).toHaveLength(3);
    expect(plan.unplacedAt).toBeUndefined();
  });

  it('a change without a project lists one project the connection is known in (its list carries every reference); a delete lists them all', () => {
    expect(planFromChanges([change({ connectionId: 'c-1' })], where).relist).toEqual(['p-a']);
    expect(planFromChanges([change({ connectionId: 'c-1', action: 'deleted' })], where).relist).toEqual(['p-a', 'p-b']);
  });

  it('skips the bot\'s own changes (it corrected the inventory when it made them)', () => {
    const plan = planFromChanges([change({ projectId: 'p-x', actor: { kind: 'bot', name: 'scbot' } })], where);
    expect(plan).toEqual({ relist: [], notes: [], unplacedAt: undefined });
  });

  it('a change it cannot place (a connection created in several projects) asks for a sweep of lists older than it', () => {
    const plan = planFromChanges([change({ connectionId: 'c-new', action: 'created', at: new Date(T0 + 5 * MIN).toISOString() })], where);
    expect(plan.relist).toEqual([]);
    expect(plan.unplacedAt).toBe(T0 + 5 * MIN);
  });
});

describe('the audit cursor', () => {
  it('first looks back to the oldest list held, then from the last read less the overlap', () => {
    expect(auditWindow(undefined, T0 - 30 * MIN, T0)).toEqual({ since: T0 - 30 * MIN, until: T0 });
    const cursor = { readTo: new Date(T0).toISOString(), seen: [] };
    expect(auditWindow(cursor, 0, T0 + 5 * MIN)).toEqual({ since: T0 - AUDIT_OVERLAP_MS, until: T0 + 5 * MIN });
  });

  it('passes on only changes not seen before, and remembers those inside the next overlap', () => {
    const old = change({ entryId: 'old', at: new Date(T0 - 20 * MIN).toISOString() });
    const recent = change({ entryId: 'recent', at: new Date(T0 - 2 * MIN).toISOString() });
    const first = afterRead(undefined, [old, recent], T0);
    expect(first.fresh.map((c) => c.entryId)).toEqual(['old', 'recent']);
    expect(first.cursor).toEqual({ readTo: new Date(T0).toISOString(), seen: ['recent'] });
    const late = change({ entryId: 'late', at: new Date(T0 - MIN).toISOString() });
    expect(afterRead(first.cursor, [recent, late], T0 + 5 * MIN).fresh.map((c) => c.entryId)).toEqual(['late']);
  });

  it('relies on the log only while it shows entries (its own reads at least)', () => {
    expect(auditIsLive(undefined, T0)).toBe(false);
    expect(auditIsLive(T0 - AUDIT_SILENT_AFTER_MS + 1, T0)).toBe(true);
    expect(auditIsLive(T0 - AUDIT_SILENT_AFTER_MS, T0)).toBe(false);
  });
});

describe('periodicPick', () => {
  const budget = { share: 0.1, ...DOCUMENTED_BUDGET };
  const projects = [{ projectId: 'fresh', readAt: T0 }, { projectId: 'old', readAt: T0 - 60 * MIN }, { projectId: 'never', readAt: undefined }, { projectId: 'older', readAt: T0 - 90 * MIN }];

  it('earns share × budget per window and spends it on the stalest lists, never-listed first', () => {
    // 10 % of 200 per 5 minutes = 4 a minute.
    expect(periodicPick(projects, T0 - MIN, MIN, 0, budget)).toEqual({ pick: ['never', 'older', 'old'], credit: 0 });
    expect(periodicPick(projects, T0 - MIN, 30_000, 0, budget)).toEqual({ pick: ['never', 'older'], credit: 0 });
  });

  it('carries fractions to the next step, leaves fresh lists alone, and banks nothing when all is fresh', () => {
    const first = periodicPick(projects, T0 - MIN, 20_000, 0, budget);
    expect(first.pick).toEqual(['never']);
    expect(first.credit).toBeCloseTo(1 / 3);
    expect(periodicPick(projects, T0 - MIN, 10_000, first.credit, budget).pick).toEqual(['never']);
    expect(periodicPick([{ projectId: 'fresh', readAt: T0 }], T0 - MIN, 60 * MIN, 0, budget)).toEqual({ pick: [], credit: 0 });
  });

  it('spends nothing at a share of 0, and says how long a full pass takes', () => {
    expect(periodicPick(projects, T0, 60 * MIN, 0, { ...budget, share: 0 }).pick).toEqual([]);
    expect(fullCycleMs(300, budget)).toBe(75 * MIN);
    expect(fullCycleMs(300, { ...budget, share: 0 })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('outsideChangeText', () => {
  const now = new Date(T0 + 2 * 3_600_000);
  it('says who changed or disabled a connection outside the bot, and when', () => {
    const by = (over: Partial<ConnectionChange>) => outsideChangeText(outsideChangeOf(change(over)) ?? (() => { throw new Error('no note'); })(), now);
    expect(by({ action: 'disabled', actor: { kind: 'service', name: undefined } })).toBe('disabled by Azure DevOps after 100 days without use, 2 h ago');
    expect(by({ actor: { kind: 'person', name: 'Ivo' } })).toBe('changed by Ivo in the portal, 2 h ago');
    expect(by({ actor: { kind: 'person', name: 'Ivo' }, portal: false })).toBe('changed by Ivo, 2 h ago');
    expect(by({ action: 'created', actor: { kind: 'app', name: 'deploy-app' }, at: new Date(now.getTime() - 30_000).toISOString() })).toBe('created by deploy-app (an app), just now');
    expect(outsideChangeOf(change({ actor: { kind: 'bot', name: 'scbot' } }))).toBeUndefined();
  });
});
