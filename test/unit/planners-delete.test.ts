import { describe, expect, it } from 'vitest';
import { AUTOMATIC_ONLY_DATA_KEYS } from '../../src/domain/endpoint';
import type { DeleteOptions } from '../../src/operations/delete/delete.planner';
import type { PlanTarget } from '../../src/domain/planning';
import { planDelete, planDeleteFailed } from '../../src/operations/delete/delete.planner';
import { toManual } from '../../src/domain/planning';
import { allTargets, endpoint, expectNoSecret, NOW, target } from './planners-fixture';

const del = (t: PlanTarget, options: Partial<DeleteOptions> = {}) =>
  planDelete({ id: 'plan-d', command: 'delete x', now: NOW, targets: [t], options: { everywhere: false, deep: false, ...options } }).items[0]!;

describe('delete planner (seed 001)', () => {
  it('flips an Automatic connection to Manual (automatic-only keys stripped) before deleting it from its project', () => {
    const t = target('sc-failed-secret');
    const item = del(t);
    expect(item.calls.map((c) => `${c.method} ${c.target.replace(t.endpoint.id, '{id}')}`)).toEqual([
      'PUT devops PUT _apis/serviceendpoint/endpoints/{id}',
      `DELETE devops DELETE _apis/serviceendpoint/endpoints/{id}?projectIds=${t.project.id}`,
    ]);
    expect(item).toMatchObject({ after: null, projectIds: [t.project.id], deep: false });
    expect(item.warnings.map((w) => w.code)).toEqual(['AUTOMATIC_TO_MANUAL', 'RECENTLY_USED', 'NOT_READY']);
    const body = toManual(item.before);
    expect(body.data?.creationMode).toBe('Manual');
    for (const key of AUTOMATIC_ONLY_DATA_KEYS) expect(body.data).not.toHaveProperty(key);
  });

  it('deletes a Manual connection with one DELETE and no PUT', () => {
    const item = del(target('sc-staging'));
    expect(item.calls.map((c) => c.method)).toEqual(['DELETE']);
    expect(item.warnings.map((w) => w.code)).not.toContain('AUTOMATIC_TO_MANUAL');
  });

  it('only unshares a shared connection from this project, and says it stays in the others', () => {
    const t = target('sc-shared-registry');
    const item = del(t);
    expect(item.projectIds).toEqual([t.project.id]);
    expect(item.after?.serviceEndpointProjectReferences?.map((r) => r.projectReference.name)).toEqual(['Platform']);
    expect(item.after?.isShared).toBe(false);
    expect(item.calls[0]!.purpose).toBe('Unshare from Payments (it stays in the other projects).');
    expect(item.warnings.find((w) => w.code === 'SHARED')?.text).toBe('Shared with Platform: only this project loses it.');
  });

  it('deletes a shared connection from every project with `everywhere`, loudly', () => {
    const t = target('sc-shared-registry');
    const item = del(t, { everywhere: true });
    expect(item.after).toBeNull();
    expect(item.projectIds).toHaveLength(2);
    expect(item.calls.at(-1)!.target).toContain(`projectIds=${item.projectIds!.join(',')}`);
    expect(item.warnings[0]).toEqual({ code: 'DELETE_EVERYWHERE', text: expect.stringMatching(/^Will be deleted everywhere: removed from all 2 projects \(Payments, Platform\)/) });
  });

  it('adds deep=true only when asked, keeps Automatic so the service knows which app it made, and warns loudly first', () => {
    const t = target('sc-prod');
    expect(del(t).calls.at(-1)!.target).not.toContain('deep');
    const item = del(t, { deep: true });
    expect(item.deep).toBe(true);
    expect(item.calls.map((c) => c.method)).toEqual(['DELETE']);
    expect(item.calls[0]!.target).toMatch(/&deep=true$/);
    expect(item.warnings[0]!.code).toBe('DEEP_DELETE');
    expect(item.warnings[0]!.text).toMatch(/^Deep delete: the app registration and service principal Azure DevOps created will be deleted too/);
    expect(del(target('sc-staging'), { deep: true }).warnings[0]!.text).toContain('Manual connection');
  });

  it('warns when pipelines used it in the last 30 days', () => {
    expect(del(target('sc-prod')).warnings.find((w) => w.code === 'RECENTLY_USED')?.text).toMatch(/^Used by 30 runs .*pipelines that still reference it will fail\.$/);
    expect(del({ ...target('sc-prod'), history: [] }).warnings.map((w) => w.code)).not.toContain('RECENTLY_USED');
  });

  it('`delete failed` plans exactly the failed connections of the seed', () => {
    const plan = planDeleteFailed({ id: 'p', command: 'delete failed', now: NOW, targets: allTargets() });
    expect(plan.items.map((i) => i.name).sort()).toEqual(['sc-failed-mi', 'sc-failed-rbac', 'sc-failed-secret']);
    expect(plan.operation).toBe('delete');
    expect(plan.items.find((i) => i.name === 'sc-failed-mi')!.calls.map((c) => c.method)).toEqual(['DELETE']);
    expect(plan.items.find((i) => i.name === 'sc-failed-rbac')!.calls.map((c) => c.method)).toEqual(['PUT', 'DELETE']);
    expect(plan.skipped).toEqual([]);
  });

  it('`delete failed` over several projects removes a shared failed connection from each addressed project once', () => {
    const shared = { ...endpoint('sc-shared-registry'), isReady: false, operationStatus: { state: 'Failed', statusMessage: 'boom' } };
    const t = target(shared);
    const ids = shared.serviceEndpointProjectReferences!.map((r) => r.projectReference.id);
    const both = planDeleteFailed({ id: 'p', command: 'delete failed', now: NOW, targets: [{ ...t, inProjects: ids }] });
    expect(both.items[0]).toMatchObject({ after: null, projectIds: ids });
    const one = planDeleteFailed({ id: 'p', command: 'delete failed in Payments', now: NOW, targets: [t] });
    expect(one.items[0]!.after).not.toBeNull();
    expect(one.warnings[0]!.code).toBe('SHARED');
  });

  it('never puts a secret value in a plan', () => {
    for (const t of allTargets()) {
      expectNoSecret(del(t));
      expectNoSecret(del(t, { everywhere: true, deep: true }));
    }
  });
});
