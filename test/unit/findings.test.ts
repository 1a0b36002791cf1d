import { describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import {
  couldBeUnused, diffFindings, listFindings, secretAppId, secretFindings, unusedFinding, type Finding, type FindingThresholds,
} from '../../src/domain/findings';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const T: FindingThresholds = { expiringWithinDays: 14, unusedDays: 30, revertWithinHours: 72 };
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
    expect(unusedFinding(subject, undefined, at(-200), NOW, T)).toMatchObject({ since: at(-200), detail: 'Never used by any pipeline.' });
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
