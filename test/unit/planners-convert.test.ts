import { describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { isRefusal } from '../../src/domain/planning';
import { planConvert, planConvertOne } from '../../src/operations/convert/convert.planner';
import { planRevert } from '../../src/operations/revert/revert.planner';
import { allTargets, endpoint, expectNoSecret, NOW, target } from './planners-fixture';

const HOUR = 3_600_000;
const convertAll = () => planConvert({ id: 'p-c', command: 'convert all', now: NOW, targets: allTargets().filter((t) => t.endpoint.type === 'azurerm') });
const revert = (e: ServiceEndpoint | string) => planRevert({ id: 'p-r', command: 'revert x', now: NOW, target: target(e) });
const withDeadline = (deadline: string | undefined): ServiceEndpoint => {
  const e = endpoint('sc-converted');
  const data = { ...e.data };
  if (deadline === undefined) delete data.revertSchemeDeadline; else data.revertSchemeDeadline = deadline;
  return { ...e, data };
};

describe('convert planner (seed 002)', () => {
  it('`convert all` converts exactly the Automatic, unshared, ready ServicePrincipal connections', () => {
    expect(convertAll().items.map((i) => i.name).sort()).toEqual(['sc-dev', 'sc-prod', 'sc-sandbox']);
  });

  it('lists every other azurerm connection as skipped, with its reason', () => {
    const reasons = Object.fromEntries(convertAll().skipped.map((s) => [s.name, s.reason]));
    expect(reasons['sc-wif-entra']).toBe('already uses workload identity federation.');
    expect(reasons['sc-converted']).toBe('already uses workload identity federation.');
    expect(reasons['sc-msi']).toBe('the ManagedServiceIdentity scheme cannot be converted.');
    expect(reasons['sc-publish-profile']).toBe('the PublishProfile scheme cannot be converted.');
    expect(reasons['sc-staging']).toMatch(/^created manually: /);
    expect(reasons['sc-cert-platform']).toMatch(/^created manually: /);
    expect(reasons['sc-shared-registry']).toMatch(/^created manually: /);
    expect(reasons['sc-failed-secret']).toMatch(/^failed: /);
    expect(reasons['sc-provisioning']).toBe('not ready (InProgress).');
    expect(Object.keys(reasons)).toHaveLength(allTargets().filter((t) => t.endpoint.type === 'azurerm').length - 3);
  });

  it('skips a shared Automatic connection even though everything else fits', () => {
    const e = endpoint('sc-dev');
    const shared = { ...e, isShared: true, serviceEndpointProjectReferences: [...e.serviceEndpointProjectReferences!, ...endpoint('sc-test').serviceEndpointProjectReferences!] };
    const reason = planConvert({ id: 'p', command: 'c', now: NOW, targets: [target(shared)] }).skipped[0]!.reason;
    expect(reason).toBe(`shared with other projects (Payments, Platform): skipped, as the official conversion script does.`);
  });

  it('plans scheme WIF with revertSchemeDeadline dropped, PUT ?operation=ConvertAuthenticationScheme, GET, conditional revert', () => {
    const e = { ...endpoint('sc-dev'), data: { ...endpoint('sc-dev').data, revertSchemeDeadline: '2026-01-01T00:00:00.000Z' } };
    const outcome = planConvertOne({ id: 'p', command: 'convert sc-dev', now: NOW, target: target(e) });
    if (isRefusal(outcome)) throw new Error(outcome.reason);
    const item = outcome.items[0]!;
    expect(item.after?.authorization?.scheme).toBe('WorkloadIdentityFederation');
    expect(item.after?.data).not.toHaveProperty('revertSchemeDeadline');
    expect(item.after?.data?.creationMode).toBe('Automatic');
    expect(item.calls.map((c) => [c.method, c.target.replace(e.id, '{id}'), c.condition ?? 'always'])).toEqual([
      ['PUT', 'devops PUT _apis/serviceendpoint/endpoints/{id}?operation=ConvertAuthenticationScheme', 'always'],
      ['GET', 'devops GET Payments/_apis/serviceendpoint/endpoints/{id}', 'if the PUT answer does not already show it ready'],
      ['PUT', 'devops PUT _apis/serviceendpoint/endpoints/{id}?operation=ConvertAuthenticationScheme', 'if the connection is not ready after the conversion'],
    ]);
    expect(item.warnings.find((w) => w.code === 'REVERT_DEADLINE')?.text).toContain('until about 2026-11-29 06:00 UTC');
  });

  it('warns that recently used pipelines must support federation', () => {
    const warnings = convertAll().items.find((i) => i.name === 'sc-prod')!.warnings;
    expect(warnings.map((w) => w.code)).toEqual(['RECENTLY_USED', 'REVERT_DEADLINE']);
  });

  it('`convert <name>` refuses an ineligible connection with the reason', () => {
    expect(planConvertOne({ id: 'p', command: 'c', now: NOW, target: target('sc-staging') })).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^cannot be converted: created manually/) });
    expect(planConvertOne({ id: 'p', command: 'c', now: NOW, target: target('github-contoso') })).toMatchObject({ reason: 'cannot be converted: not an Azure Resource Manager connection (github).' });
  });

  it('never puts a secret in a plan', () => {
    expectNoSecret(convertAll());
    expectNoSecret(planConvert({ id: 'p', command: 'c', now: NOW, targets: allTargets() }));
  });
});

describe('revert planner', () => {
  it('reverts a connection converted 2 days ago, naming the deadline', () => {
    const outcome = revert('sc-converted');
    if (isRefusal(outcome)) throw new Error(outcome.reason);
    const item = outcome.items[0]!;
    expect(item.after?.authorization?.scheme).toBe('ServicePrincipal');
    expect(item.after?.data).not.toHaveProperty('revertSchemeDeadline');
    expect(item.calls.map((c) => c.target.replace(item.endpointId, '{id}'))).toEqual([
      'devops PUT _apis/serviceendpoint/endpoints/{id}?operation=ConvertAuthenticationScheme',
      'devops GET Payments/_apis/serviceendpoint/endpoints/{id}',
    ]);
    expect(item.warnings[0]).toEqual({ code: 'REVERT_DEADLINE', text: 'The revert window ends 2026-11-27 06:00 UTC (5 days left).' });
    expect(item.warnings.map((w) => w.code)).toEqual(['REVERT_DEADLINE', 'SECRET_EXPIRY', 'RECENTLY_USED']);
  });

  it('a minute into a 7-day window says 6 days 23 hours, not 6 days', () => {
    const outcome = revert(withDeadline(new Date(NOW.getTime() + 7 * 24 * HOUR - 60_000).toISOString()));
    expect(isRefusal(outcome) ? outcome.reason : outcome.items[0]!.warnings[0]!.text).toContain('(6 days 23 hours left)');
  });

  it('counts hours when less than two days are left', () => {
    const outcome = revert(withDeadline(new Date(NOW.getTime() + 5 * HOUR).toISOString()));
    expect(isRefusal(outcome) ? outcome.reason : outcome.items[0]!.warnings[0]!.text).toContain('(5 hours left)');
  });

  it('refuses after the deadline, naming it', () => {
    expect(revert(withDeadline('2026-11-20T08:30:00.000Z'))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^too late to revert: the revert window closed on 2026-11-20 08:30 UTC\./) });
    expect(revert(withDeadline(NOW.toISOString()))).toMatchObject({ kind: 'refused' });
  });

  it('refuses a connection that was never converted', () => {
    expect(revert(withDeadline(undefined))).toMatchObject({ reason: expect.stringMatching(/^nothing to revert: it was never converted/) });
    expect(revert('sc-wif-entra')).toMatchObject({ kind: 'refused' });
    expect(revert('sc-prod')).toMatchObject({ reason: 'nothing to revert: it uses ServicePrincipal, not workload identity federation.' });
    expect(revert(withDeadline('soon'))).toMatchObject({ reason: expect.stringContaining('"soon"') });
  });

  it('never puts a secret in a plan or a refusal', () => {
    for (const t of allTargets()) expectNoSecret(planRevert({ id: 'p', command: 'r', now: NOW, target: t }));
  });
});
