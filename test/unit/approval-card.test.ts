import { describe, expect, it } from 'vitest';
import { approvalCard } from '../../src/approvals/approval-card';
import { PLAN_CARD_VERBS } from '../../src/cards/plan-preview-status';
import { APPROVAL_STATES, type ApprovalRecord } from '../../src/domain/approval';
import { fingerprintPlan } from '../../src/domain/audit';
import { parseErrors, TEAMS_LIMIT_BYTES } from '../support/adaptive-cards';
import { A, B, C, cardText, verbs } from './approval-fixture';

import { bulkConvert, rotatePlan, UNICODE } from './plan-card-fixture';
import { renderView } from '../../src/cards/presenter';
import type { RunReport } from '../../src/execution/run-report';

const buttonTitles = (reply: Parameters<typeof verbs>[0]): string[] => ((renderView(reply.view).actions ?? []) as Array<{ type: string; title: string }>).filter((a) => a.type === 'Action.Execute').map((a) => a.title);

const plan = rotatePlan('sc-prod');
const record = (state: ApprovalRecord['state'], extra: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
  planId: plan.id, planVersion: fingerprintPlan(plan), state, requester: A, conversation: { id: 'c', type: 'channel' },
  createdAt: '2026-11-22T06:00:00.000Z', expiresAt: '2026-11-22T06:30:00.000Z', approvers: [B], approvalsNeeded: 1,
  updatedAt: '2026-11-22T06:00:00.000Z', outcome: { done: 1, skipped: 0, failed: 1, failedIds: ['x'] }, decidedBy: C, ...extra,
});

function expectValid(card: Record<string, unknown>): void {
  const json = JSON.stringify(card);
  expect(json).not.toContain('${');
  expect(parseErrors(card)).toEqual([]);
  expect(Buffer.byteLength(json, 'utf8')).toBeLessThan(TEAMS_LIMIT_BYTES);
}

describe('plan card in each approval state', () => {
  it.each(APPROVAL_STATES)('%s: expands, parses, and offers only verbs the invoke handler knows', (state) => {
    const reply = approvalCard(record(state), plan, { viewer: B, progress: { done: 3, total: 7 } });
    expectValid(renderView(reply.view));
    for (const verb of verbs(reply)) expect(PLAN_CARD_VERBS).toContain(verb);
    const data = JSON.stringify((renderView(reply.view).actions as Array<{ data?: unknown }>).filter((a) => (a as { type: string; verb?: string }).type === 'Action.Execute' && (a as { verb?: string }).verb !== 'command').map((a) => a.data));
    if (verbs(reply).length) expect(data).toBe(JSON.stringify(verbs(reply).map(() => ({ planId: plan.id, version: fingerprintPlan(plan) }))));
  });

  it('says the specific thing per state', () => {
    expect(cardText(approvalCard(record('proposed', { approvers: [] }), plan, { viewer: A }))).toContain('Waiting for approval (1 approver needed)');
    // The requester can always cancel (four-eyes: never approve); someone who approved has nothing left to press.
    expect(verbs(approvalCard(record('proposed', { approvers: [] }), plan, { viewer: A }))).toEqual(['reject']);
    // sc-prod could be converted instead: the suggestion's button sits beside the request's own.
    expect(buttonTitles(approvalCard(record('proposed', { approvers: [] }), plan, { viewer: A }))).toEqual(['Cancel request', 'Convert instead']);
    expect(verbs(approvalCard({ ...record('proposed', { approvers: [B] }), approvalsNeeded: 2 }, plan, { viewer: B }))).toEqual([]);
    expect(verbs(approvalCard(record('proposed', { approvers: [] }), plan, { viewer: B }))).toEqual(['approve', 'reject']);
    expect(cardText(approvalCard(record('executing'), plan, { progress: { done: 12, total: 40 } }))).toContain('executing 12/40');
    expect(cardText(approvalCard(record('rejected'), plan))).toContain(`Rejected by ${C.name}`);
    expect(cardText(approvalCard(record('partially_failed'), plan))).toContain('1 done · 0 skipped · 1 failed');
    expect(cardText(approvalCard(record('stale'), plan, { notice: { text: 'Changed.' } }))).toContain('⛔ Changed.');
  });

  it('keeps a 500-connection plan with long Unicode names under the Teams limit while executing', () => {
    const big = bulkConvert(500, (i) => `${UNICODE}-${i}`);
    const reply = approvalCard({ ...record('executing'), planId: big.id, planVersion: fingerprintPlan(big) }, big, { progress: { done: 250, total: 500 } });
    expectValid(renderView(reply.view));
  });

  it('names the requester and the approvers so far in refresh.userIds while waiting (their views differ), and no one after', () => {
    expect((renderView(approvalCard(record('proposed', { approvers: [] }), plan).view).refresh as { userIds: string[] }).userIds).toEqual([A.id]);
    expect((renderView(approvalCard(record('proposed', { approvers: [B] }), plan).view).refresh as { userIds: string[] }).userIds).toEqual([A.id, B.id]);
    expect(renderView(approvalCard(record('done'), plan).view).refresh).toBeUndefined();
  });

  it('the outcome says per connection what happened and why, grouped by reason, with who, when, how long and what next', () => {
    const bulk = bulkConvert(8);
    const [a, b, c, d] = bulk.items;
    const report: RunReport = {
      planId: bulk.id, counts: { done: 1, skipped: 2, failed: 1 },
      items: [
        { endpointId: a!.endpointId, name: a!.name, status: 'done' },
        { endpointId: b!.endpointId, name: b!.name, status: 'skipped', reason: { kind: 'changed-since-preview' } },
        { endpointId: c!.endpointId, name: c!.name, status: 'skipped', reason: { kind: 'changed-since-preview' } },
        { endpointId: d!.endpointId, name: d!.name, status: 'failed', code: 'DEVOPS.THROTTLED', reason: { kind: 'error', referenceId: 'R-1' } },
      ],
    };
    const done = { ...record('partially_failed'), planId: bulk.id, planVersion: fingerprintPlan(bulk), outcome: { done: 1, skipped: 2, failed: 1, failedIds: [d!.endpointId], startedAt: '2026-11-22T06:10:00.000Z', finishedAt: '2026-11-22T06:11:05.000Z' } };
    const text = cardText(approvalCard(done, bulk, { report }));
    expect(text).toContain(`❌ **${d!.name}** — Azure DevOps is throttling my requests right now.`);
    expect(text).toContain('Reference: R-1');
    expect(text).toContain(`⏭️ **${b!.name}, ${c!.name}** — changed since preview.`);
    expect(text).toContain(`✅ **${a!.name}** — converted to workload identity federation.`);
    expect(text).toContain(`Requested by ${A.name} on 2026-11-22 06:00 UTC.`);
    // The bot runs an approved plan with its own identity: the card says so, beside who approved it.
    expect(text).toContain(`Run by scbot, approved by ${B.name}, on 2026-11-22 06:10 UTC; took 1 min 05 s.`);
    expect(text).toContain('Retry failed items');
    // The preview below is history: folded behind Show details, and the totals in the past tense.
    const view = approvalCard(done, bulk, { report }).view.model as { itemsVisible: boolean; compactVisible: boolean; totals: string };
    expect([view.itemsVisible, view.compactVisible]).toEqual([false, false]);
    // The outcome counts and names every connection: the plan's own count and its skip list are not repeated up front.
    expect(view.totals).toBe('');
    expect(approvalCard(done, bulk, { report }).view.model).toMatchObject({ skippedVisible: false, detailsTargets: expect.arrayContaining(['skipped']) });
  });

  it('a requester who cancels reads "Cancelled by"', () => {
    expect(cardText(approvalCard(record('rejected', { decidedBy: A }), plan))).toContain(`Cancelled by ${A.name}`);
  });
});
