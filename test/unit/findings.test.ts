import { describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import {
  couldBeUnused, diffFindings, listFindings, openToAllFinding, secretAppId, secretFindings, unusedFinding, willBeDisabledFinding, type Finding, type FindingThresholds,
} from '../../src/domain/findings';
import { AlertScanner } from '../../src/alerts/scanner';
import { InMemoryPipelineAccess } from '../support/in-memory-pipeline-access';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { AppError } from '../../src/domain/errors';
import { ManualClock } from '@scbot/stand-ins';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const T: FindingThresholds = { expiringWithinDays: 14, unusedDays: 30, revertWithinHours: 72, disableWarnDays: 80 };
const at = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();
const subject = { endpointId: 'e1', name: 'sc-one', project: 'Payments' };

function endpoint(overrides: Partial<ServiceEndpoint> = {}): ServiceEndpoint {
  return {
    id: 'e1', name: 'sc-one', type: 'azurerm', isReady: true, operationStatus: { state: 'Ready' },
    authorization: { scheme: 'ServicePrincipal', parameters: { serviceprincipalid: 'APP-1', authenticationType: 'spnKey', serviceprincipalkey: 'hunter2-secret' } },
    creationDate: at(-200), modificationDate: at(-3), ...overrides,
  };
}

const wif = (issuer: string, data: Record<string, string> = {}) => endpoint({
  authorization: { scheme: 'WorkloadIdentityFederation', parameters: { serviceprincipalid: 'APP-2', workloadIdentityFederationIssuer: issuer } }, data,
});

describe('listFindings', () => {
  it('reports a failed connection with its status message, secrets scrubbed, suggesting rotate for a secret-based one', () => {
    const failed = endpoint({ isReady: false, operationStatus: { state: 'Failed', statusMessage: 'AADSTS7000215: invalid secret hunter2-secret' } });
    const [f] = listFindings(failed, 'Payments', NOW, T);
    expect(f).toMatchObject({ key: 'failed:e1', kind: 'failed', severity: 'critical', suggestedAction: 'rotate', project: 'Payments', since: at(-3) });
    expect(f?.detail).toContain('AADSTS7000215');
    expect(f?.detail).not.toContain('hunter2-secret');
  });

  it('suggests show for a failed connection without a secret, and reports nothing for a healthy one', () => {
    const mi = endpoint({ isReady: false, operationStatus: { state: 'Failed' }, authorization: { scheme: 'ManagedServiceIdentity' } });
    expect(listFindings(mi, 'P', NOW, T).map((f) => [f.kind, f.suggestedAction])).toEqual([['failed', 'show']]);
    expect(listFindings(endpoint(), 'P', NOW, T)).toEqual([]);
  });

  it('reports both retiring issuers, not the Entra one', () => {
    expect(listFindings(wif('https://vstoken.dev.azure.com/org'), 'P', NOW, T)).toMatchObject([{ kind: 'retiring-issuer', suggestedAction: 'migrate', dueAt: '2027-07-01T00:00:00.000Z' }]);
    expect(listFindings(wif('https://app.vstoken.visualstudio.com/org'), 'P', NOW, T)).toHaveLength(1);
    expect(listFindings(wif('https://login.microsoftonline.com/t/v2.0'), 'P', NOW, T)).toEqual([]);
  });

  it('reports a revert deadline only inside the window, never after it closed', () => {
    const entra = 'https://login.microsoftonline.com/t/v2.0';
    const inHours = (h: number) => wif(entra, { revertSchemeDeadline: new Date(NOW.getTime() + h * 3_600_000).toISOString() });
    expect(listFindings(inHours(48), 'P', NOW, T)).toMatchObject([{ kind: 'revert-deadline', suggestedAction: 'revert', detail: expect.stringContaining('48 hours') }]);
    expect(listFindings(inHours(73), 'P', NOW, T)).toEqual([]);
    expect(listFindings(inHours(-1), 'P', NOW, T)).toEqual([]);
  });
});

describe('secret findings', () => {
  it('names the app only for spnKey ServicePrincipal connections, lower-cased for dedupe', () => {
    expect(secretAppId(endpoint())).toBe('app-1');
    expect(secretAppId(endpoint({ authorization: { scheme: 'ServicePrincipal', parameters: { serviceprincipalid: 'X', authenticationType: 'spnCertificate' } } }))).toBeUndefined();
    expect(secretAppId(wif('https://vstoken.dev.azure.com/o'))).toBeUndefined();
  });

  it('judges the longest-lived secret: expiring, expired, or fine when a fresh one exists', () => {
    expect(secretFindings(subject, [{ keyId: 'k1', endDateTime: at(5) }], NOW, T)).toMatchObject([
      { key: 'secret:e1:k1', kind: 'secret-expiring', severity: 'warning', suggestedAction: 'rotate', dueAt: at(5), detail: expect.stringContaining('in 5 days') },
    ]);
    expect(secretFindings(subject, [{ keyId: 'k1', endDateTime: at(-1) }], NOW, T)).toMatchObject([{ key: 'secret:e1:k1', severity: 'critical' }]);
    expect(secretFindings(subject, [{ keyId: 'k1', endDateTime: at(5) }, { keyId: 'k2', endDateTime: at(400) }], NOW, T)).toEqual([]);
    expect(secretFindings(subject, [{ keyId: 'k1', endDateTime: at(15) }], NOW, T)).toEqual([]);
  });

  it('reports nothing when there is no secret or one never expires', () => {
    expect(secretFindings(subject, [], NOW, T)).toEqual([]);
    expect(secretFindings(subject, [{ keyId: 'k1', endDateTime: at(1) }, { keyId: 'k2' }], NOW, T)).toEqual([]);
  });
});

describe('unused findings', () => {
  it('only a connection older than the threshold and not failed is a candidate', () => {
    expect(couldBeUnused(endpoint(), NOW, T)).toBe(true);
    expect(couldBeUnused(endpoint({ creationDate: at(-10) }), NOW, T)).toBe(false);
    expect(couldBeUnused(endpoint({ isReady: false, operationStatus: { state: 'Failed' } }), NOW, T)).toBe(false);
  });

  it('reports unused since the newest record, or since creation when never used', () => {
    expect(unusedFinding(subject, at(-45), at(-200), NOW, T)).toMatchObject({ key: 'unused:e1', since: at(-45), suggestedAction: 'delete', detail: expect.stringContaining('45 days') });
    expect(unusedFinding(subject, at(-2), at(-200), NOW, T)).toBeUndefined();
    expect(unusedFinding(subject, undefined, at(-200), NOW, T)).toMatchObject({ since: at(-200), detail: 'Never used by any pipeline in the 200 days since it was created.' });
  });
});

describe('diffFindings', () => {
  const f = (key: string, dueAt?: string, detail = 'x'): Finding => ({
    key, kind: 'secret-expiring', endpointId: key, name: key, project: 'P', detail, dueAt, severity: 'warning', suggestedAction: 'rotate',
  });

  it('splits by key into new, changed, resolved and unchanged', () => {
    const previous = [f('a', at(5)), f('b', at(5)), f('c', at(5))];
    const current = [f('a', at(5), 'detail moved a day'), f('b', at(9)), f('d', at(1))];
    const diff = diffFindings(previous, current);
    expect(diff.new.map((x) => x.key)).toEqual(['d']);
    expect(diff.changed.map((x) => x.key)).toEqual(['b']);
    expect(diff.resolved.map((x) => x.key)).toEqual(['c']);
    expect(diff.unchanged.map((x) => x.key)).toEqual(['a']);
  });

  it('treats everything as new on the first scan and as resolved when all are gone', () => {
    expect(diffFindings([], [f('a')]).new).toHaveLength(1);
    expect(diffFindings([f('a')], []).resolved).toHaveLength(1);
  });
});

describe('disable findings (issue 13)', () => {
  it('a disabled connection is a finding from the list alone, suggesting enable, and is no unused candidate', () => {
    const found = listFindings(endpoint({ isDisabled: true }), 'Payments', NOW, T);
    expect(found.map((f) => [f.kind, f.severity, f.suggestedAction])).toEqual([['disabled', 'warning', 'enable']]);
    expect(couldBeUnused(endpoint({ isDisabled: true }), NOW, T)).toBe(false);
  });

  it('will be disabled between the warning threshold and 100 days, with the day it happens; not before, not after', () => {
    const soon = willBeDisabledFinding(subject, at(-95), at(-400), NOW, T);
    expect(soon).toMatchObject({ kind: 'will-be-disabled', key: 'will-be-disabled:e1', since: at(-95), dueAt: at(5), severity: 'warning', suggestedAction: 'show' });
    expect(soon?.detail).toBe('Unused for 95 days: Azure DevOps disables it in 5 days (after 100 days unused).');
    expect(willBeDisabledFinding(subject, at(-79), at(-400), NOW, T)).toBeUndefined();
    // Still enabled after 100 days: the service's count was reset by something we cannot see, so no date is promised.
    expect(willBeDisabledFinding(subject, undefined, at(-400), NOW, T)).toBeUndefined();
    expect(willBeDisabledFinding(subject, at(-95), at(-400), NOW, { ...T, disableWarnDays: 0 })).toBeUndefined();
  });

  it('open to all pipelines suggests restrict', () => {
    expect(openToAllFinding(subject)).toMatchObject({ key: 'open-to-all:e1', kind: 'open-to-all', severity: 'info', suggestedAction: 'restrict' });
  });
});

describe('scanner: open access and soon-disabled (issue 13)', () => {
  const PROJECTS = [{ id: 'p1', name: 'Payments' }];
  const ids = ['e1', 'e2', 'e3'];
  const endpoints = ids.map((id, i) => endpoint({
    id, name: `sc-${id}`, authorization: { scheme: 'WorkloadIdentityFederation', parameters: {} }, creationDate: at(-300 - i),
    serviceEndpointProjectReferences: [{ projectReference: PROJECTS[0]!, name: `sc-${id}` }],
  }));
  const history = { e1: [{ endpointId: 'e1', id: 1, finishTime: at(-90) }], e2: [{ endpointId: 'e2', id: 2, finishTime: at(-1) }] };

  it('reads open access once per project, counted on its own line, and warns before the automatic disable', async () => {
    const pipelines = new InMemoryPipelineAccess({ permissions: { 'Payments|e2': { allPipelines: true, pipelines: [] }, 'Payments|e3': { allPipelines: true, pipelines: [] } } });
    const scanner = new AlertScanner({ devops: new InMemoryServiceEndpoints(PROJECTS, endpoints, history), clock: new ManualClock(NOW), thresholds: T, checkUnused: true, openAccess: pipelines });
    const result = await scanner.scan();
    expect(result.findings.map((f) => f.key)).toEqual(['open-to-all:e2', 'open-to-all:e3', 'unused:e3', 'will-be-disabled:e1']);
    expect(result.stats.calls).toMatchObject({ devopsList: 1, devopsOpenAccess: 1, devopsHistory: 3 });
    expect(pipelines.calls.openEndpoints).toBe(1);
    expect(pipelines.calls.permissions).toBe(0);
  });

  it('a failed open-access read is a note and a gap, not a failed scan', async () => {
    const failing = { openEndpoints: async (): Promise<string[]> => { throw new AppError('DEVOPS.FORBIDDEN', 'no pipeline resources scope'); } };
    const scanner = new AlertScanner({ devops: new InMemoryServiceEndpoints(PROJECTS, endpoints, history), clock: new ManualClock(NOW), thresholds: T, openAccess: failing });
    const result = await scanner.scan();
    expect(result.stats.notes).toEqual([{ code: 'DEVOPS.FORBIDDEN', subject: 'Payments', read: 'open-access' }]);
    expect(result.gaps.openAccessOf).toEqual(['Payments']);
    // The unused check is off: the shared history read still serves "will be disabled".
    expect(result.findings.map((f) => f.key)).toEqual(['will-be-disabled:e1']);
  });
});
