/**
 * The pieces that wire a policy file into the bot: what a conversation may read (Azure DevOps and the audit trail),
 * the start that refuses an unusable file, and the settings that stay exactly as today without one.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@scbot/stand-ins';
import type { AuditEvent } from '../../src/domain/audit';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { isAppError } from '../../src/domain/errors';
import { ANYONE, type PolicyConfig } from '../../src/domain/policy';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { createLogger } from '../../src/logging';
import { openPolicy } from '../../src/policy/open-policy';
import { visibleEndpoints, visibleEvent } from '../../src/policy/visible-reads';
import { CONV, examplePolicy, PAYMENTS, POLICY_YAML, RETAIL } from './policy-fixture';

const endpointIn = (project: { id: string; name: string }, name: string, n: number): ServiceEndpoint => ({
  id: `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name, type: 'azurerm', url: 'https://management.azure.com/',
  authorization: { scheme: 'WorkloadIdentityFederation', parameters: {} }, data: {}, isShared: false, isReady: true,
  serviceEndpointProjectReferences: [{ projectReference: { ...project }, name }],
});
const PAY_DEV = endpointIn(PAYMENTS, 'sc-pay-dev', 1);
const RETAIL_PROD = endpointIn(RETAIL, 'sc-retail-prod', 2);
const devops = () => new InMemoryServiceEndpoints([PAYMENTS, RETAIL], [PAY_DEV, RETAIL_PROD]);

const event = (conversationId: string, connections: AuditEvent['connections']): AuditEvent => ({
  id: 'E-1', kind: 'requested', at: '2026-11-20T10:00:00.000Z', actor: { id: '29:a', name: 'A' }, conversation: { id: conversationId, type: 'channel' },
  planId: 'P-AAAAAAAA', planFingerprint: 'f', operation: 'rotate', command: 'rotate x', connections, correlationId: 'c',
});

const quiet = () => createLogger({ level: 'silent', destination: new Writable({ write(_c, _e, done) { done(); } }) });
const SETTINGS: PolicyConfig = { requesters: { users: [ANYONE], groups: [] }, approvers: { users: [ANYONE], groups: [] }, conversations: [ANYONE], tenants: [ANYONE], planTtlMinutes: 30, twoApproversOver: 10 };

describe('what a conversation reads under a policy file', () => {
  it('answers for another team\'s project and connection exactly as for ones that do not exist', async () => {
    const seen = visibleEndpoints(devops(), examplePolicy(), CONV.payments);
    expect((await seen.projects()).map((p) => p.name)).toEqual(['Payments']);
    expect((await seen.list('Retail')).map((e) => e.name)).toEqual([]);
    expect(await seen.getByName('Retail', 'sc-retail-prod')).toBeNull();
    expect(await seen.get('Retail', RETAIL_PROD.id)).toBeNull();
    expect((await seen.getByName('Payments', 'sc-pay-dev'))?.id).toBe(PAY_DEV.id);
    // The platform channel reads every project (platform-reads-everything).
    const platform = visibleEndpoints(devops(), examplePolicy(), CONV.platform);
    expect((await platform.projects()).map((p) => p.name).sort()).toEqual(['Payments', 'Retail']);
  });

  it('a conversation no rule names sees nothing at all (default deny)', async () => {
    const nowhere = visibleEndpoints(devops(), examplePolicy(), '19:somewhere-else@thread.tacv2');
    expect(await nowhere.projects()).toEqual([]);
    expect(await nowhere.getByName('Payments', 'sc-pay-dev')).toBeNull();
  });

  it('audit keeps only the connections a conversation may see, and refusals without a plan only where they happened', () => {
    const both = event(CONV.retail, [
      { endpointId: PAY_DEV.id, name: 'sc-pay-dev', project: 'Payments', fingerprint: 'a' },
      { endpointId: RETAIL_PROD.id, name: 'sc-retail-prod', project: 'Retail', fingerprint: 'b' },
    ]);
    expect(visibleEvent(examplePolicy(), CONV.payments, both)?.connections.map((c) => c.name)).toEqual(['sc-pay-dev']);
    expect(visibleEvent(examplePolicy(), CONV.payments, { ...both, connections: both.connections.slice(1) })).toBeUndefined();
    expect(visibleEvent(examplePolicy(), CONV.payments, event(CONV.retail, []))).toBeUndefined();
    expect(visibleEvent(examplePolicy(), CONV.retail, event(CONV.retail, []))).toBeDefined();
  });
});

describe('opening the policy at start', () => {
  it('an unusable file stops the start with every line and field; nothing is enforced from it', async () => {
    const broken = POLICY_YAML.replace('approvals: 1\n    devOpsRole', 'aprovals: 1\n    devOpsRole');
    const failed = await openPolicy({ file: '/etc/scbot/policy.yaml', settings: SETTINGS, clock: new ManualClock(), logger: quiet(), tuning: { read: async () => broken } }).catch((e: unknown) => e);
    expect(isAppError(failed) && failed.code).toBe('CONFIG.INVALID');
    expect((failed as Error).message).toMatch(/line \d+, rules\[1\] \(payments-team\)\.aprovals: is not a field of this format/);
  });

  it('without a file the settings are the policy, fixed and not enforced as a file (today\'s gates decide)', async () => {
    const source = await openPolicy({ settings: SETTINGS, clock: new ManualClock(), logger: quiet() });
    expect(source.current().origin).toBe('settings');
    expect(source.current().rules.map((r) => r.name)).toEqual(['settings', 'settings-read']);
    expect(source.status().path).toBeUndefined();
  });

  it('a file naming every operation this build knows is accepted', async () => {
    const text = 'version: 1\nrules:\n  - name: all\n    operations: [read, rotate, delete, convert, revert, enable, restrict, authorize, share, unshare, migrate-issuer, create]\n    approvers: { users: ["*"] }\n';
    const source = await openPolicy({ file: '/p.yaml', settings: SETTINGS, clock: new ManualClock(), logger: quiet(), tuning: { read: async () => text } });
    expect(source.current()).toMatchObject({ origin: 'file', rules: [{ name: 'all' }] });
  });
});
