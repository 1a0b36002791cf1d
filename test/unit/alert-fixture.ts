import type { Finding, FindingKind } from '../../src/domain/findings';
import { DEFAULT_THRESHOLDS } from '../../src/domain/findings';
import type { AlertStatusInput } from '../../src/cards/alert-status-view';

/** One finding of each kind, as the scanner makes them (keys, severities and actions as in src/domain/findings.ts). */
export function findingOf(kind: FindingKind, n: number, overrides: Partial<Finding> = {}): Finding {
  const endpointId = `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const base = { endpointId, name: `sc-${n}`, project: n % 2 ? 'Payments' : 'Platform' };
  const by: Record<FindingKind, Omit<Finding, keyof typeof base>> = {
    failed: { key: `failed:${endpointId}`, kind, detail: 'Failed: Failed to obtain the JSON Web Token (JWT).', since: '2026-11-20T10:00:00.000Z', severity: 'critical', suggestedAction: 'rotate' },
    'secret-expiring': { key: `secret:${endpointId}:k${n}`, kind, detail: 'Its app\'s secret expires in 5 days (2026-11-27).', dueAt: '2026-11-27T06:00:00.000Z', severity: 'warning', suggestedAction: 'rotate' },
    'secret-expired': { key: `secret:${endpointId}:k${n}`, kind, detail: 'Its app\'s secret expired on 2026-11-01.', dueAt: '2026-11-01T06:00:00.000Z', severity: 'critical', suggestedAction: 'rotate' },
    unused: { key: `unused:${endpointId}`, kind, detail: 'Not used by any pipeline for 120 days.', since: '2026-07-25T06:00:00.000Z', severity: 'info', suggestedAction: 'delete' },
    'retiring-issuer': { key: `retiring-issuer:${endpointId}`, kind, detail: 'Uses the retiring Azure DevOps issuer https://vstoken.dev.azure.com/x; it stops working on 2027-07-01.', dueAt: '2027-07-01T00:00:00.000Z', severity: 'warning', suggestedAction: 'migrate' },
    'revert-deadline': { key: `revert-deadline:${endpointId}`, kind, detail: 'The window to revert the conversion closes in 20 hours.', dueAt: '2026-11-23T02:00:00.000Z', severity: 'warning', suggestedAction: 'revert' },
    'will-be-disabled': { key: `will-be-disabled:${endpointId}`, kind, detail: 'Unused for 95 days: Azure DevOps disables it in 5 days (after 100 days unused).', since: '2026-08-19T12:00:00.000Z', dueAt: '2026-11-27T12:00:00.000Z', severity: 'warning', suggestedAction: 'show' },
    disabled: { key: `disabled:${endpointId}`, kind, detail: 'Disabled: pipelines that use it fail with "…has been disabled or has not been authorized for use".', since: '2026-11-01T06:00:00.000Z', severity: 'warning', suggestedAction: 'enable' },
    'open-to-all': { key: `open-to-all:${endpointId}`, kind, detail: 'Open to all pipelines: any pipeline in the project, present or future, can use it.', severity: 'info', suggestedAction: 'restrict' },
  };
  return { ...base, ...by[kind], ...overrides };
}

export const KINDS: FindingKind[] = ['failed', 'secret-expiring', 'secret-expired', 'unused', 'retiring-issuer', 'revert-deadline', 'will-be-disabled', 'disabled', 'open-to-all'];

export function statusInput(findings: Finding[], overrides: Partial<AlertStatusInput> = {}): AlertStatusInput {
  return {
    now: '2026-11-22T06:00:05.000Z',
    subscribed: { by: 'Dana Ops', at: '2026-11-22T06:00:00.000Z' }, subscriptions: 2,
    settings: { intervalMinutes: 60, reminderHours: 24, digestOver: 3, thresholds: { ...DEFAULT_THRESHOLDS }, checkUnused: true, projects: [] },
    lastScan: {
      startedAt: '2026-11-22T06:00:00.000Z', finishedAt: '2026-11-22T06:00:02.000Z', ok: true, findings,
      stats: { connections: 28, calls: { devopsProjects: 1, devopsList: 3, devopsHistory: 4, graph: 12 }, notes: [{ code: 'GRAPH.FORBIDDEN', subject: 'app-1', read: 'graph' }] },
    },
    ...overrides,
  };
}
