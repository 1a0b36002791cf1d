import { describe, expect, it } from 'vitest';
import { diffEndpoints, describeSecret } from '../../src/domain/diff';
import { canonicalJson, fingerprintEndpoint, fnv1a64 } from '../../src/domain/fingerprint';
import { isRefusal } from '../../src/domain/planning';
import { planConvert } from '../../src/operations/convert/convert.planner';
import { planDelete } from '../../src/operations/delete/delete.planner';
import { planRotate } from '../../src/operations/rotate/rotate.planner';
import { allTargets, CANARY, endpoint, expectNoSecret, NOW, target } from './planners-fixture';

describe('fingerprint', () => {
  it('is 64-bit FNV-1a (published test vectors)', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('canonical JSON sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":2,"z":1}]},"b":1}');
    expect(canonicalJson(new Date('2026-01-01T00:00:00Z'))).toBe('"2026-01-01T00:00:00.000Z"');
  });

  it('ignores key order, project reference order, secret values and identity/date noise', () => {
    const e = endpoint('sc-shared-registry');
    const reordered = JSON.parse(canonicalJson(e)) as typeof e;
    reordered.serviceEndpointProjectReferences = [...e.serviceEndpointProjectReferences!].reverse();
    reordered.authorization!.parameters!.serviceprincipalkey = 'another secret';
    reordered.modifiedBy = { id: 'someone' };
    expect(fingerprintEndpoint(reordered)).toBe(fingerprintEndpoint(e));
  });

  it('changes when anything the plan acts on changes', () => {
    const e = endpoint('sc-prod');
    const base = fingerprintEndpoint(e);
    const variants = [
      { ...e, data: { ...e.data, creationMode: 'Manual' } },
      { ...e, authorization: { scheme: 'WorkloadIdentityFederation', parameters: e.authorization!.parameters } },
      { ...e, isReady: false },
      { ...e, operationStatus: { state: 'Failed' } },
      { ...e, serviceEndpointProjectReferences: [...e.serviceEndpointProjectReferences!, ...endpoint('sc-test').serviceEndpointProjectReferences!] },
      { ...e, authorization: { ...e.authorization!, parameters: { ...e.authorization!.parameters, serviceprincipalid: 'other-app' } } },
    ];
    for (const v of variants) expect(fingerprintEndpoint(v)).not.toBe(base);
  });

  it('is in every plan item and matches the endpoint as read', () => {
    const t = target('sc-prod');
    const plan = planConvert({ id: 'p', command: 'c', now: NOW, targets: [t] });
    expect(plan.items[0]!.fingerprint).toBe(fingerprintEndpoint(t.endpoint));
    expect(plan.items[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('diff', () => {
  it('shows the rotation field surgery with the secret described, never valued', () => {
    const outcome = planRotate({ id: 'p', command: 'r', now: NOW, target: target('sc-prod'), source: { kind: 'graph' }, lifetimeDays: 180, retireAfterHours: 24 });
    if (isRefusal(outcome)) throw new Error(outcome.reason);
    const item = outcome.items[0]!;
    const changes = diffEndpoints(item.before, item.after, item.secret);
    const appId = endpoint('sc-prod').authorization!.parameters!.serviceprincipalid;
    expect(changes).toEqual([
      { path: 'authorization.parameters.serviceprincipalkey', from: '••••', to: `•••• (new secret from Microsoft Graph addPassword on app ${appId}, expires 2027-05-21)` },
      { path: 'data.appObjectId', from: expect.any(String), to: null },
      { path: 'data.azureSpnPermissions', from: expect.any(String), to: null },
      { path: 'data.azureSpnRoleAssignmentId', from: expect.any(String), to: null },
      { path: 'data.creationMode', from: 'Automatic', to: 'Manual' },
      { path: 'data.spnObjectId', from: expect.any(String), to: null },
    ]);
    expectNoSecret(changes);
  });

  it('shows a conversion as a scheme change and the deadline dropped', () => {
    const e = { ...endpoint('sc-dev'), data: { ...endpoint('sc-dev').data, revertSchemeDeadline: 'x' } };
    const item = planConvert({ id: 'p', command: 'c', now: NOW, targets: [target(e)] }).items[0]!;
    expect(diffEndpoints(item.before, item.after)).toEqual([
      { path: 'authorization.scheme', from: 'ServicePrincipal', to: 'WorkloadIdentityFederation' },
      { path: 'data.revertSchemeDeadline', from: 'x', to: null },
    ]);
  });

  it('shows a delete as the connection going, and an unshare as a project going', () => {
    const gone = planDelete({ id: 'p', command: 'd', now: NOW, targets: [target('sc-staging')], options: { everywhere: false, deep: false } }).items[0]!;
    expect(diffEndpoints(gone.before, gone.after)).toEqual([{ path: 'connection', from: 'sc-staging', to: null }]);
    const unshared = planDelete({ id: 'p', command: 'd', now: NOW, targets: [target('sc-shared-registry')], options: { everywhere: false, deep: false } }).items[0]!;
    expect(diffEndpoints(unshared.before, unshared.after)).toEqual([{ path: 'projects', from: 'Payments, Platform', to: 'Platform' }]);
  });

  it('describes Key Vault secrets by vault and name, and masks an unredacted secret in `before`', () => {
    expect(describeSecret({ source: 'keyvault', vault: 'kv', secretName: 's' })).toBe('•••• (new secret from Key Vault kv/s)');
    const raw = endpoint('sc-staging');
    const after = { ...raw, authorization: { scheme: 'ServicePrincipal', parameters: { ...raw.authorization!.parameters, serviceprincipalkey: 'placeholder' } } };
    const changes = diffEndpoints(raw, after, { source: 'keyvault', vault: 'kv', secretName: 's' });
    expect(JSON.stringify(changes)).not.toContain(CANARY);
    expect(changes).toEqual([{ path: 'authorization.parameters.serviceprincipalkey', from: '••••', to: '•••• (new secret from Key Vault kv/s)' }]);
  });

  it('never shows a secret for any connection of the seed, even when handed unredacted endpoints', () => {
    for (const t of allTargets()) expectNoSecret(diffEndpoints(t.endpoint, { ...t.endpoint, data: { changed: 'yes' } }));
  });
});
