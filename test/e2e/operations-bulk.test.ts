import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { fingerprintEndpoint } from '../../src/domain/fingerprint';
import { isRefusal } from '../../src/domain/planning';
import { planConvert } from '../../src/operations/convert/convert.planner';
import { planDelete, planDeleteFailed } from '../../src/operations/delete/delete.planner';
import { planRevert } from '../../src/operations/revert/revert.planner';
import { callsFor, endpointId, listReads, OTHER, PROJECT, startHarness, type Harness } from './operations-harness';
import { worded } from '../support/worded';

const DAY = 86_400_000;
const C = { okA: 10, okB: 11, manual: 12, shared: 13, wif: 14, failedAuto: 15, failedManual: 16, github: 17, converted: 18, expired: 19, converted2: 20, renamed: 21 };

let h: Harness;

beforeAll(async () => {
  h = await startHarness([
    { n: C.okA, name: 'sc-ok-a' },
    { n: C.okB, name: 'sc-ok-b' },
    { n: C.manual, name: 'sc-manual', mode: 'Manual' },
    { n: C.shared, name: 'sc-shared', sharedWith: OTHER },
    { n: C.wif, name: 'sc-wif', scheme: 'WorkloadIdentityFederation' },
    { n: C.failedAuto, name: 'sc-failed-auto', failed: true },
    { n: C.failedManual, name: 'sc-failed-manual', mode: 'Manual', failed: true },
    { n: C.github, name: 'sc-github', type: 'github' },
    { n: C.converted, name: 'sc-converted', scheme: 'WorkloadIdentityFederation', revertDeadline: '${now+2d}' },
    { n: C.expired, name: 'sc-expired', scheme: 'WorkloadIdentityFederation', revertDeadline: '${now-1h}' },
    { n: C.converted2, name: 'sc-converted-2', scheme: 'WorkloadIdentityFederation', revertDeadline: '${now+2d}' },
    { n: C.renamed, name: 'sc-renamed', sharedWith: OTHER, sharedName: 'platform-deploy' },
  ]);
});
afterAll(async () => h?.close());

const targets = async () => (await h.devops.list(PROJECT.name, { includeFailed: true })).map((endpoint) => ({ endpoint, project: PROJECT, history: [] }));
const ids = (list: Array<{ endpointId: string }>) => list.map((i) => i.endpointId).sort();
const scheme = (n: number) => h.cloud.devops.state.live(endpointId(n))?.authorization?.scheme;
const target = async (n: number) => ({ endpoint: await h.devops.get(PROJECT.name, endpointId(n)) as ServiceEndpoint, project: PROJECT, history: [] });

describe('bulk operations against the local cloud', () => {
  it('delete failed removes exactly the failed connections; an Automatic one is flipped first', async () => {
    const plan = await h.save(planDeleteFailed({ id: 'del-failed', command: 'delete failed', now: h.clock.now(), targets: await targets() }));
    expect(ids(plan.items)).toEqual([endpointId(C.failedAuto), endpointId(C.failedManual)].sort());
    h.cloud.devops.requests.clear();
    const report = worded(await h.executor().run(plan));
    expect(report.counts).toEqual({ done: 2, skipped: 0, failed: 0 });
    const log = h.cloud.devops.requests.entries();
    expect(callsFor(log, endpointId(C.failedAuto))).toEqual(['LIST', 'PUT', `DELETE ${PROJECT.id}`]);
    expect(callsFor(log, endpointId(C.failedManual))).toEqual(['LIST', `DELETE ${PROJECT.id}`]);
    // One list read for both (failed ones included), then only the writes.
    expect(listReads(log).map((read) => read.sort())).toEqual([ids(plan.items).map((i) => i.toLowerCase())]);
    expect(log.filter((r) => r.path.includes('/_apis/serviceendpoint/')).length).toBe(4);
    const left = (await h.devops.list(PROJECT.name, { includeFailed: true })).map((e) => e.id);
    expect(left).not.toContain(endpointId(C.failedAuto));
    expect(left).not.toContain(endpointId(C.failedManual));
    expect(left).toHaveLength(10);
  });

  it('convert all converts exactly the eligible ones with one list read and one PUT ?operation each; every other one is listed with its reason', async () => {
    const plan = await h.save(planConvert({ id: 'convert-all', command: 'convert all', now: h.clock.now(), targets: await targets() }));
    expect(ids(plan.items)).toEqual([endpointId(C.okA), endpointId(C.okB)].sort());
    h.cloud.devops.requests.clear();
    const report = worded(await h.executor().run(plan));
    expect(report.counts).toEqual({ done: 2, skipped: plan.skipped.length, failed: 0 });
    expect(report.items.find((i) => i.endpointId === endpointId(C.shared))?.reason).toContain('shared');
    const log = h.cloud.devops.requests.entries();
    for (const n of [C.okA, C.okB]) {
      expect(callsFor(log, endpointId(n))).toEqual(['LIST', 'PUT ConvertAuthenticationScheme']);
      expect(scheme(n)).toBe('WorkloadIdentityFederation');
      expect(h.cloud.devops.state.live(endpointId(n))?.isReady).toBe(true);
    }
    for (const n of [C.manual, C.shared, C.wif, C.github, C.converted]) expect(callsFor(log, endpointId(n))).toEqual([]);
    expect([C.manual, C.shared].map(scheme)).toEqual(['ServicePrincipal', 'ServicePrincipal']);
    // Only the requests the items need: one list read by ids, one PUT each, no per-item GET, nothing else.
    expect(listReads(log)).toHaveLength(1);
    expect(log.filter((r) => r.path.includes('/_apis/serviceendpoint/')).length).toBe(3);
  });

  it('revert within the deadline goes back to ServicePrincipal with a list read and PUT ?operation (its answer confirms)', async () => {
    const plan = await h.save(planRevert({ id: 'revert-ok', command: 'revert sc-converted', now: h.clock.now(), target: await target(C.converted) }));
    h.cloud.devops.requests.clear();
    const report = worded(await h.executor().run(plan));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(callsFor(h.cloud.devops.requests.entries(), endpointId(C.converted))).toEqual(['LIST', 'PUT ConvertAuthenticationScheme']);
    expect(scheme(C.converted)).toBe('ServicePrincipal');
  });

  it('revert after the deadline: refused at planning, and skipped naming the deadline when it passed before execution', async () => {
    const refused = planRevert({ id: 'revert-late', command: 'revert sc-expired', now: h.clock.now(), target: await target(C.expired) });
    expect(isRefusal(refused) && refused.reason).toContain('too late to revert');
    const deadline = h.cloud.devops.state.live(endpointId(C.converted2))?.data?.revertSchemeDeadline;
    const plan = await h.save(planRevert({ id: 'revert-2', command: 'revert sc-converted-2', now: h.clock.now(), target: await target(C.converted2) }));
    h.clock.advance(3 * DAY);
    h.cloud.devops.requests.clear();
    const report = worded(await h.executor().run(plan));
    expect(report.items[0]).toMatchObject({ status: 'skipped', reason: `the revert window ended at ${deadline}` });
    expect(callsFor(h.cloud.devops.requests.entries(), endpointId(C.converted2))).toEqual(['LIST']);
    expect(scheme(C.converted2)).toBe('WorkloadIdentityFederation');
  });

  it('the list read compares like with like: a shared connection named differently per project has one fingerprint', async () => {
    const id = endpointId(C.renamed);
    const inOther = await h.devops.getByName(OTHER.name, 'platform-deploy');
    const [listedHere] = await h.devops.list(PROJECT.id, { endpointIds: [id], includeFailed: true });
    const [listedThere] = await h.devops.list(OTHER.id, { endpointIds: [id], includeFailed: true });
    expect([inOther?.name, listedHere?.name, listedThere?.name]).toEqual(['platform-deploy', 'sc-renamed', 'platform-deploy']);
    const prints = [inOther, listedHere, listedThere, await h.devops.get(PROJECT.name, id)].map((e) => fingerprintEndpoint(e as ServiceEndpoint));
    expect(new Set(prints).size).toBe(1);
    // Planned from the read by name in Platform, executed after the list read: not "changed since preview".
    const plan = await h.save(planDelete({ id: 'unshare-renamed', command: 'delete platform-deploy in Platform', now: h.clock.now(), targets: [{ endpoint: inOther as ServiceEndpoint, project: OTHER, history: [] }], options: { everywhere: false, deep: false } }));
    expect(plan.items[0]?.fingerprint).toBe(prints[0]);
    h.cloud.devops.requests.clear();
    const report = worded(await h.executor().run(plan));
    expect(report.items[0]).toMatchObject({ status: 'done' });
    expect(callsFor(h.cloud.devops.requests.entries(), id)).toEqual(['LIST', `DELETE ${OTHER.id}`]);
    expect(h.cloud.devops.state.live(id)?.serviceEndpointProjectReferences?.map((r) => r.name)).toEqual(['sc-renamed']);
  });
});
