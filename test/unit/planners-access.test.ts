// Planners of issue 13 (restrict, authorize, enable, share, unshare) and the pure access / disable decisions.
import { describe, expect, it } from 'vitest';
import type { ExecutionRecord, ServiceEndpoint } from '../../src/domain/endpoint';
import { daysUntilAutoDisable, disabledBy, disabledByText } from '../../src/domain/disable';
import { changeBetween, pipelinesUsedSince } from '../../src/domain/pipeline-access';
import { isRefusal } from '../../src/domain/planning';
import { planAuthorize, planRestrict, type AccessTarget } from '../../src/operations/access/access.planner';
import { planEnable } from '../../src/operations/enable/enable.planner';
import { planShare, planUnshare } from '../../src/operations/share/share.planner';
import type { Plan } from '../../src/domain/plan';
import { buildPlanView } from '../../src/cards/plan-preview-view';
import type { ShareItem, UnshareItem } from '../../src/operations/share/share.payload';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const PAYMENTS = { id: '7d580254-36c2-5bda-9608-ea9bb037b823', name: 'Payments' };
const PLATFORM = { id: '2ae12be5-9b3b-56e1-83de-10c785e1c36e', name: 'Platform' };
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const daysAgo = (d: number) => hoursAgo(d * 24);

function endpoint(over: Partial<ServiceEndpoint> = {}): ServiceEndpoint {
  return {
    id: 'df9cec19-9f7d-5d81-8de2-7dcb5c633762', name: 'sc-staging', type: 'azurerm', url: 'https://management.azure.com/',
    authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: 't', serviceprincipalid: 'app' } },
    data: { creationMode: 'Manual' }, isReady: true, isShared: false, isDisabled: false, creationDate: daysAgo(400),
    modifiedBy: { displayName: 'Bob Keller' }, modificationDate: daysAgo(3),
    serviceEndpointProjectReferences: [{ projectReference: PAYMENTS, name: 'sc-staging' }],
    ...over,
  };
}

const run = (definitionId: number, name: string, at: string): ExecutionRecord => ({ endpointId: 'x', id: definitionId * 100, definitionId, definitionName: name, finishTime: at, result: 'succeeded' });
const PIPELINES = [{ id: 10, name: 'payments-ci' }, { id: 11, name: 'payments-deploy' }, { id: 12, name: 'infra-plan' }, { id: 13, name: 'nightly' }];

function target(over: Partial<AccessTarget> = {}): AccessTarget {
  const history = [run(11, 'payments-deploy', hoursAgo(6)), run(10, 'payments-ci', hoursAgo(12)), run(11, 'payments-deploy', hoursAgo(30)), run(13, 'nightly', daysAgo(120))];
  return {
    endpoint: endpoint(), project: PAYMENTS, pipelines: PIPELINES,
    permissions: { allPipelines: true, allPipelinesGrant: { by: 'Alice Martin' }, pipelines: [{ id: 12, by: 'Dana Ops' }] },
    used: pipelinesUsedSince(history, NOW), ...over,
  };
}

const codes = (plan: Plan) => plan.items.flatMap((i) => i.warnings.map((w) => w.code));

describe('pipelinesUsedSince', () => {
  it('counts runs per pipeline in the last 90 days, newest first, and ignores older runs', () => {
    expect(target().used).toEqual([
      { id: 11, name: 'payments-deploy', lastUsed: hoursAgo(6), runs: 2 },
      { id: 10, name: 'payments-ci', lastUsed: hoursAgo(12), runs: 1 },
    ]);
  });
});

describe('restrict', () => {
  it('without `to`: closes open access and keeps exactly the pipelines that used it, warning about the one that loses access', () => {
    const plan = planRestrict({ id: 'P-1', command: 'restrict sc-staging', now: NOW, targets: [target()] });
    const item = plan.items[0];
    expect(plan.operation).toBe('restrict');
    expect(item?.access?.before).toEqual({ allPipelines: true, pipelineIds: [12] });
    expect(item?.access?.after).toEqual({ allPipelines: false, pipelineIds: [10, 11] });
    expect(item?.access?.names).toMatchObject({ 10: 'payments-ci', 11: 'payments-deploy', 12: 'infra-plan' });
    // infra-plan was authorized but did not run lately: it is dropped, and no warning since it did not use it.
    expect(codes(plan)).toEqual([]);
    expect(item?.calls.map((c) => c.method)).toEqual(['PATCH']);
    expect(changeBetween(item!.access!.before, item!.access!.after)).toEqual({ allPipelines: false, pipelines: [{ id: 10, authorized: true }, { id: 11, authorized: true }, { id: 12, authorized: false }] });
  });

  it('with `to`: authorizes exactly the named ones and names every recent user that loses access', () => {
    const plan = planRestrict({ id: 'P-2', command: 'restrict sc-staging to payments-ci', now: NOW, targets: [target()], to: [10] });
    expect(plan.items[0]?.access?.after).toEqual({ allPipelines: false, pipelineIds: [10] });
    const lost = plan.items[0]?.warnings.find((w) => w.code === 'LOSES_ACCESS');
    expect(lost?.text).toContain('payments-deploy used it in the last 90 days (2 runs');
    expect(lost?.text).toContain('loses access');
  });

  it('warns when nothing used it: afterwards no pipeline may', () => {
    const plan = planRestrict({ id: 'P-3', command: 'restrict sc-staging', now: NOW, targets: [target({ used: [] })] });
    expect(plan.items[0]?.access?.after).toEqual({ allPipelines: false, pipelineIds: [] });
    expect(codes(plan)).toEqual(['NO_RECENT_USE']);
  });

  it('skips a connection already restricted to exactly those pipelines, and bulk plans say the rule once', () => {
    const done = target({ endpoint: endpoint({ id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'sc-done' }), permissions: { allPipelines: false, pipelines: [{ id: 10 }, { id: 11 }] } });
    const plan = planRestrict({ id: 'P-4', command: 'restrict all', now: NOW, targets: [target(), done] });
    expect(plan.items.map((i) => i.name)).toEqual(['sc-staging']);
    expect(plan.skipped).toEqual([expect.objectContaining({ name: 'sc-done', reason: 'already restricted to exactly these pipelines' })]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['RECENTLY_USED']);
  });

  it('the preview shows pipeline names, never bare ids', () => {
    const view = buildPlanView(planRestrict({ id: 'P-5', command: 'restrict sc-staging', now: NOW, targets: [target()] }));
    const changes = view.items[0]?.changes ?? '';
    expect(changes).toContain('open to all pipelines: `true` → `false`');
    expect(changes).toContain('authorized: + payments-ci, payments-deploy');
    expect(changes).toContain('no longer authorized: − infra-plan');
    expect(changes).not.toMatch(/#\d/);
    expect(view.title).toBe('Plan: Restrict pipeline access of sc-staging');
  });
});

describe('authorize', () => {
  it('adds one pipeline and keeps the others', () => {
    const plan = planAuthorize({ id: 'P-6', command: 'authorize sc-staging for nightly', now: NOW, target: target({ permissions: { allPipelines: false, pipelines: [{ id: 12 }] } }), pipelineId: 13 });
    expect(plan.items[0]?.access).toMatchObject({ before: { allPipelines: false, pipelineIds: [12] }, after: { allPipelines: false, pipelineIds: [12, 13] } });
    expect(codes(plan)).toEqual([]);
  });

  it('says so when the pipeline is already authorized, and notes open access', () => {
    expect(planAuthorize({ id: 'P-7', command: 'x', now: NOW, target: target(), pipelineId: 12 }).skipped[0]?.reason).toBe('infra-plan is already authorized');
    expect(codes(planAuthorize({ id: 'P-8', command: 'x', now: NOW, target: target(), pipelineId: 13 }))).toEqual(['GAINS_ACCESS']);
  });
});

describe('enable', () => {
  it('PUTs isDisabled false and names the pipelines that used it last', () => {
    const disabled = endpoint({ isDisabled: true });
    const plan = planEnable({ id: 'P-9', command: 'enable sc-staging', now: NOW, target: { endpoint: disabled, project: PAYMENTS, history: [run(13, 'nightly', daysAgo(120)), run(10, 'payments-ci', daysAgo(130))] } });
    expect(isRefusal(plan)).toBe(false);
    const item = (plan as Plan).items[0];
    expect(item?.after?.isDisabled).toBe(false);
    expect(item?.warnings[0]?.text).toMatch(/^Last used by nightly \(2026-07-25 12:00 UTC\), payments-ci/);
    expect(buildPlanView(plan as Plan).items[0]?.changes).toBe('• isDisabled: `true` → `false`');
  });

  it('refuses a connection that is not disabled', () => {
    const outcome = planEnable({ id: 'P-10', command: 'x', now: NOW, target: { endpoint: endpoint(), project: PAYMENTS, history: [] } });
    expect(isRefusal(outcome) && outcome.reason).toBe('it is not disabled.');
  });
});

describe('share and unshare', () => {
  it('share adds the other project and says which of its pipelines may then be authorized', () => {
    const plan = planShare({ id: 'P-11', command: 'share sc-staging with Platform', now: NOW, target: { endpoint: endpoint(), project: PAYMENTS }, other: PLATFORM, otherPipelines: [{ id: 11, name: 'payments-deploy' }, { id: 13, name: 'nightly' }], otherUsed: [] }) as Plan<ShareItem>;
    expect(plan.items[0]?.shareWith).toEqual([{ projectReference: PLATFORM, name: 'sc-staging', description: '' }]);
    expect(plan.items[0]?.warnings[0]?.text).toBe('Platform gains it: its 2 pipelines (payments-deploy, nightly) may then be authorized to use it; this share authorizes none.');
    expect(buildPlanView(plan).items[0]?.changes).toContain('projects: `Payments` → `Payments, Platform`');
  });

  it('share refuses a project it is already in', () => {
    const outcome = planShare({ id: 'P-12', command: 'x', now: NOW, target: { endpoint: endpoint(), project: PAYMENTS }, other: PAYMENTS, otherPipelines: [], otherUsed: [] });
    expect(isRefusal(outcome) && outcome.reason).toBe('it is already shared with Payments.');
  });

  it('unshare removes only the other project and names its pipelines that lose it', () => {
    const shared = endpoint({ isShared: true, serviceEndpointProjectReferences: [{ projectReference: PAYMENTS, name: 'sc-staging' }, { projectReference: PLATFORM, name: 'sc-staging' }] });
    const used = pipelinesUsedSince([run(11, 'payments-deploy', hoursAgo(5))], NOW);
    const plan = planUnshare({ id: 'P-13', command: 'unshare sc-staging from Platform', now: NOW, target: { endpoint: shared, project: PAYMENTS }, other: PLATFORM, otherPipelines: [], otherUsed: used }) as Plan<UnshareItem>;
    expect(plan.items[0]?.projectIds).toEqual([PLATFORM.id]);
    expect(plan.items[0]?.calls[0]?.target).toContain(`projectIds=${PLATFORM.id}`);
    expect(plan.items[0]?.warnings[0]?.text).toContain('Platform loses it: payments-deploy (last');
  });

  it('unshare refuses the project the connection lives in, even while it is shared: that is a delete', () => {
    const shared = endpoint({ isShared: true, serviceEndpointProjectReferences: [{ projectReference: PAYMENTS, name: 'sc-staging' }, { projectReference: PLATFORM, name: 'sc-staging' }] });
    const outcome = planUnshare({ id: 'P-15', command: 'unshare sc-staging from Payments', now: NOW, target: { endpoint: shared, project: PLATFORM }, other: PAYMENTS, otherPipelines: [], otherUsed: [] });
    expect(isRefusal(outcome) && outcome.reason).toBe('it lives in Payments (Platform only shares it): unshare never takes a connection from its own project; say `delete` there.');
  });

  it('unshare refuses the only project: that is a delete', () => {
    const outcome = planUnshare({ id: 'P-14', command: 'x', now: NOW, target: { endpoint: endpoint(), project: PAYMENTS }, other: PAYMENTS, otherPipelines: [], otherUsed: [] });
    expect(isRefusal(outcome) && outcome.reason).toContain('say `delete`');
  });
});

describe('who disabled it', () => {
  it('unused for 100 days: the service; used lately: the last modifier', () => {
    expect(disabledBy(endpoint({ isDisabled: true }), daysAgo(101), NOW)).toEqual({ kind: 'service', lastUse: daysAgo(101) });
    expect(disabledByText(disabledBy(endpoint({ isDisabled: true }), daysAgo(10), NOW))).toBe('disabled by Bob Keller (last change 2026-11-19)');
    expect(disabledByText(disabledBy(endpoint({ isDisabled: true, modifiedBy: null }), daysAgo(10), NOW))).toBe('disabled (by whom is not known)');
  });

  it('counts the days left before the automatic disable from the newest run, else the creation', () => {
    expect(daysUntilAutoDisable(endpoint(), daysAgo(95), NOW)).toBe(5);
    expect(daysUntilAutoDisable(endpoint({ creationDate: daysAgo(30) }), undefined, NOW)).toBe(70);
  });
});
