import { describe, expect, it } from 'vitest';
import { AUTOMATIC_ONLY_DATA_KEYS } from '../../src/domain/endpoint';
import type { Plan } from '../../src/domain/plan';
import type { PlanTarget } from '../../src/domain/planning';
import type { RotateSource } from '../../src/operations/rotate/rotate.planner';
import { isRefusal } from '../../src/domain/planning';
import { NEW_SECRET_PLACEHOLDER } from '../../src/domain/planning';
import { planRotate } from '../../src/operations/rotate/rotate.planner';
import { allTargets, endpoint, expectNoSecret, NOW, target } from './planners-fixture';
import type { RotateItem } from '../../src/operations/rotate/rotate.payload';

const rotate = (t: PlanTarget, source: RotateSource = { kind: 'graph' }) =>
  planRotate({ id: 'plan-1', command: `rotate ${t.endpoint.name}`, now: NOW, target: t, source, lifetimeDays: 180, retireAfterHours: 24 });

function plan(t: PlanTarget, source?: RotateSource): Plan<RotateItem> {
  const outcome = rotate(t, source);
  if (isRefusal(outcome)) throw new Error(`refused: ${outcome.reason}`);
  return outcome;
}

describe('rotate planner (seed 000)', () => {
  it('flips an Automatic connection to Manual exactly as the procedure does, with a placeholder secret', () => {
    const item = plan(target('sc-prod')).items[0]!;
    const after = item.after!;
    expect(after.data?.creationMode).toBe('Manual');
    for (const key of AUTOMATIC_ONLY_DATA_KEYS) expect(after.data).not.toHaveProperty(key);
    expect(after.data).toMatchObject({ subscriptionId: endpoint('sc-prod').data?.subscriptionId, environment: 'AzureCloud', scopeLevel: 'Subscription' });
    expect(after.authorization).toEqual({
      scheme: 'ServicePrincipal',
      parameters: { ...endpoint('sc-prod').authorization?.parameters, authenticationType: 'spnKey', serviceprincipalkey: NEW_SECRET_PLACEHOLDER },
    });
    expect(item.before.authorization?.parameters?.serviceprincipalkey).toBeNull();
    expect(item.before.data?.creationMode).toBe('Automatic');
  });

  it('says where the new secret comes from and when it expires, and plans graph → verify → PUT → GET → retire later', () => {
    const item = plan(target('sc-prod')).items[0]!;
    const appId = endpoint('sc-prod').authorization?.parameters?.serviceprincipalid;
    expect(item.secret).toEqual({ source: 'graph', appId, expiresAt: '2027-05-21T06:00:00.000Z', displayName: 'scbot rotation 2026-11-22' });
    expect(item.calls.map((c) => c.target.split(' ').slice(0, 2).join(' '))).toEqual(['graph POST', 'entra POST', 'devops PUT', 'devops GET', 'graph POST']);
    expect(item.calls[0]!.target).toContain(`/applications(appId='${appId}')/addPassword`);
    expect(item.calls[2]!.target).toBe(`devops PUT _apis/serviceendpoint/endpoints/${item.endpointId}`);
    expect(item.calls[3]!.target).toBe(`devops GET Payments/_apis/serviceendpoint/endpoints/${item.endpointId}`);
    expect(item.calls[4]).toMatchObject({ condition: expect.stringContaining('bot created'), purpose: expect.stringContaining('2026-11-23 06:00 UTC') });
    expect(item.calls.slice(0, 3).every((c) => c.condition === undefined)).toBe(true);
    expect(item.calls[3]!.condition).toBe('if the PUT answer does not already show it ready');
  });

  it('reads a Key Vault secret instead of calling Graph, and never plans to remove a secret it did not create', () => {
    const item = plan(target('sc-staging'), { kind: 'keyvault', vault: 'kv-payments', secretName: 'sc-staging' }).items[0]!;
    expect(item.secret).toEqual({ source: 'keyvault', vault: 'kv-payments', secretName: 'sc-staging' });
    expect(item.calls.map((c) => c.target)).toEqual([
      'keyvault GET kv-payments/secrets/sc-staging',
      `entra POST /${endpoint('sc-staging').authorization?.parameters?.tenantid}/oauth2/v2.0/token`,
      `devops PUT _apis/serviceendpoint/endpoints/${item.endpointId}`,
      `devops GET Payments/_apis/serviceendpoint/endpoints/${item.endpointId}`,
    ]);
    expect(item.warnings.find((w) => w.code === 'SECRET_EXPIRY')?.text).toContain('Key Vault kv-payments');
  });

  it('keeps a Manual connection Manual and does not warn about Automatic → Manual', () => {
    const item = plan(target('sc-staging')).items[0]!;
    expect(item.after?.data).toEqual(endpoint('sc-staging').data);
    expect(item.warnings.map((w) => w.code)).not.toContain('AUTOMATIC_TO_MANUAL');
    expect(item.calls[2]!.purpose).not.toContain('creationMode');
  });

  it('warns about Automatic → Manual, recent use (count + last pipeline) and the new expiry', () => {
    const warnings = plan(target('sc-prod')).items[0]!.warnings;
    expect(warnings.map((w) => w.code)).toEqual(['AUTOMATIC_TO_MANUAL', 'RECENTLY_USED', 'SECRET_EXPIRY']);
    expect(warnings[0]!.text).toContain('Azure DevOps stops managing the app registration');
    expect(warnings[1]!.text).toMatch(/^Used by 30 runs in the last 30 days \(last: [^,]+, 2026-11-22 00:00 UTC\)/);
    expect(warnings[2]!.text).toContain('2027-05-21 06:00 UTC (180 days)');
  });

  it('rotates a failed secret connection (that is how it gets fixed) with a NOT_READY warning', () => {
    const warnings = plan(target('sc-failed-secret')).items[0]!.warnings;
    expect(warnings.find((w) => w.code === 'NOT_READY')?.text).toMatch(/^Not ready \(Failed\): /);
  });

  it('warns that a shared connection changes in every project', () => {
    const warnings = plan(target('sc-shared-registry')).items[0]!.warnings;
    expect(warnings.find((w) => w.code === 'SHARED')?.text).toBe('Shared with Platform: the new secret applies in every project.');
  });

  it.each([
    ['sc-wif-legacy', /^nothing to rotate: it uses workload identity federation/],
    ['sc-converted', /^nothing to rotate: it uses workload identity federation/],
    ['sc-msi', /^nothing to rotate: a managed identity has no secret/],
    ['sc-failed-mi', /^nothing to rotate: a managed identity/],
    ['sc-cert-platform', /^not supported: it authenticates with a certificate/],
    ['sc-cert-hub', /certificate/],
    ['sc-publish-profile', /^not supported: publish-profile/],
    ['sc-provisioning', /^not now: Azure DevOps is still setting this connection up/],
    ['github-contoso', /^not supported: .* this one is github/],
    ['artifactory (generic)', /this one is generic/],
    ['dockerhub', /this one is dockerregistry/],
    ['acr-payments', /this one is dockerregistry/],
  ])('refuses %s with a clear reason', (name, reason) => {
    const outcome = rotate(target(name));
    expect(isRefusal(outcome)).toBe(true);
    if (isRefusal(outcome)) expect(outcome).toMatchObject({ kind: 'refused', name, reason: expect.stringMatching(reason) });
  });

  it('accepts an unset authenticationType when a key parameter exists, and refuses an unknown one', () => {
    const e = endpoint('sc-staging');
    const params = { ...e.authorization!.parameters! };
    delete params.authenticationType;
    expect(isRefusal(rotate(target({ ...e, authorization: { scheme: 'ServicePrincipal', parameters: params } })))).toBe(false);
    delete params.serviceprincipalkey;
    expect(rotate(target({ ...e, authorization: { scheme: 'ServicePrincipal', parameters: params } }))).toMatchObject({ reason: expect.stringContaining('unknown') });
  });

  it('replaces mixed-case parameter names in place instead of adding duplicates', () => {
    const e = endpoint('sc-staging');
    const params = { tenantId: 't', servicePrincipalId: 'app-1', AuthenticationType: 'spnKey', ServicePrincipalKey: null };
    const after = plan(target({ ...e, authorization: { scheme: 'ServicePrincipal', parameters: params } })).items[0]!.after!;
    expect(after.authorization?.parameters).toEqual({ tenantId: 't', servicePrincipalId: 'app-1', AuthenticationType: 'spnKey', ServicePrincipalKey: NEW_SECRET_PLACEHOLDER });
  });

  it('never puts a secret value in any plan, for every connection of the demo seed', () => {
    for (const t of allTargets()) expectNoSecret(rotate(t));
  });

  it('is pure: the same input gives the same plan, and the input is not modified', () => {
    const t = target('sc-prod');
    const copy = structuredClone(t);
    expect(rotate(t)).toEqual(rotate(t));
    expect(t).toEqual(copy);
  });
});
