/**
 * Plans and outcomes in plain language, on plain data: the bulk and destructive previews the demo commands do not
 * reach (4+ connections with every warning, delete everywhere), the outcome's result-first wording, its duration,
 * people and next-step buttons, one word per approval state in the card and the audit, and the raw-code and
 * mid-word checks on the audit card and every error reply. Every operation's own preview and outcome, end to end:
 * test/e2e/plain-cards.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { approvalCard } from '../../src/approvals/approval-card';
import { buildAuditView } from '../../src/cards/audit-view';
import { errorText } from '../../src/cards/error-text';
import { messageCard } from '../../src/cards/message-view';
import { buildPlanView } from '../../src/cards/plan-preview-view';
import { durationText } from '../../src/cards/plan-outcome-view';
import { renderCard } from '../../src/cards/render';
import { renderView } from '../../src/cards/presenter';
import type { CardJson } from '../../src/cards/card';
import type { ApprovalRecord } from '../../src/domain/approval';
import { auditEventForRejected, auditEventForStale, fingerprintPlan } from '../../src/domain/audit';
import { ERROR_CODES } from '../../src/domain/errors';
import type { Plan } from '../../src/domain/plan';
import type { RunReport } from '../../src/execution/run-report';
import { planConvert } from '../../src/operations/convert/convert.planner';
import { midWordCutsIn, rawCodesIn, visibleTexts } from '../support/card-checks';
import { A, B } from './approval-fixture';
import { bulkConvert, deleteDeepEverywhere, rotatePlan, worstCaseDelete } from './plan-card-fixture';
import { NOW, target } from './planners-fixture';

const preview = (plan: Plan) => renderCard('plan-preview', buildPlanView(plan));
const clean = (card: CardJson): void => {
  expect(rawCodesIn(card)).toEqual([]);
  expect(midWordCutsIn(card)).toEqual([]);
};
const numberedSteps = (card: CardJson): string[] => visibleTexts(card).filter((t) => /^\d\. /.test(t));

const record = (plan: Plan, state: ApprovalRecord['state'], extra: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
  planId: plan.id, planVersion: fingerprintPlan(plan), state, requester: A, conversation: { id: 'c', type: 'channel' },
  createdAt: '2026-11-22T06:00:00.000Z', expiresAt: '2026-11-22T06:30:00.000Z', approvers: [B], approvalsNeeded: 1, updatedAt: '2026-11-22T06:01:00.000Z',
  outcome: { done: plan.items.length, skipped: 0, failed: 0, failedIds: [], startedAt: '2026-11-22T06:00:30.000Z', finishedAt: '2026-11-22T06:00:30.400Z' }, decidedBy: B, ...extra,
});
const outcome = (plan: Plan, rec: ApprovalRecord, report?: RunReport) => renderView(approvalCard(rec, plan, report ? { report } : {}).view);
const commandsOf = (card: CardJson) => ((card as { actions?: Array<{ title: string; verb?: string; data?: { command?: string; connectionId?: string } }> }).actions ?? []).filter((a) => a.verb === 'command');

describe('a bulk preview (4+ connections)', () => {
  it('says the steps once for every connection and a line per connection, with warnings in words, never codes', () => {
    const plan = worstCaseDelete(6);
    const card = preview(plan);
    clean(card);
    const seen = visibleTexts(card);
    expect(seen).toContain('What will happen, for each connection');
    expect(numberedSteps(card)).toEqual(['1. Delete each connection. The app registration and service principal Azure DevOps made for it will be deleted too. Pipelines that still use it will fail.']);
    expect(seen.join('\n')).toMatch(/ · ⚠️ deletes its app registration too, deleted in every project, not ready now/);
    expect(JSON.stringify(buildPlanView(plan).compact)).not.toMatch(/[A-Z]+_[A-Z_]+/);
  });

  it('a bulk conversion: the 7-day revert window is a fact, not a warning', () => {
    const card = preview(bulkConvert(10));
    clean(card);
    expect(numberedSteps(card)).toEqual([
      '1. Switch each connection to workload identity federation: Azure DevOps adds a federated credential to its app registration, and pipelines stop using the secret.',
      '2. Check it is ready; if it is not, switch it straight back to the secret.',
    ]);
    expect(visibleTexts(card).join('\n')).not.toMatch(/⚠️ [^\n]*revert/i);
  });
});

describe('a delete everywhere preview', () => {
  it('speaks in the future tense before approval, loudly, and says where it goes', () => {
    const card = preview(deleteDeepEverywhere());
    clean(card);
    const seen = visibleTexts(card).join('\n');
    expect(seen).toContain('🛑 Will be deleted everywhere: removed from all 2 projects');
    expect(seen).not.toMatch(/DELETED|is deleted/);
    expect(numberedSteps(card)).toEqual([expect.stringMatching(/^1\. Delete sc-shared-registry from all 2 projects it is in\. The app registration and service principal Azure DevOps made for it will be deleted too\./)]);
    expect(seen).toContain('1 connection to delete');
  });
});

describe('an outcome', () => {
  it('one rotation: the result first, who ran it for how long, Show pinned to the connection', () => {
    const plan = rotatePlan();
    const card = outcome(plan, record(plan, 'done'));
    clean(card);
    const seen = visibleTexts(card);
    expect(seen[0]).toBe('✅ sc-prod: secret rotated');
    expect(seen[1]).toBe('The new secret expires 2027-05-21: rotate again before then.');
    expect(seen).toContain(`Run by scbot, approved by ${B.name}, on 2026-11-22 06:00 UTC; took under a second.`);
    // Said once: no count line, no "Done (1)" row repeating the title.
    expect(seen.join('\n')).not.toMatch(/1 done|Done \(1\)/);
    expect(seen.filter((t) => t.includes(plan.id))).toHaveLength(1);
    expect(commandsOf(card)).toEqual([expect.objectContaining({ title: 'Show sc-prod', data: expect.objectContaining({ command: 'show sc-prod in Payments', connectionId: plan.items[0]!.endpointId }) })]);
  });

  it('one conversion: Revert while the window is open, pinned to the connection', () => {
    const plan = planConvert({ id: 'P-CONV1', command: 'convert sc-prod', now: NOW, targets: [target('sc-prod')] });
    const card = outcome(plan, record(plan, 'done'));
    clean(card);
    expect(visibleTexts(card)).toContain('You can revert sc-prod until about 2026-11-29 06:00 UTC.');
    expect(commandsOf(card).map((a) => [a.title, a.data?.command])).toEqual([['Show sc-prod', 'show sc-prod in Payments'], ['Revert', 'revert sc-prod in Payments']]);
  });

  it('a bulk run: one count, then name → result per reason, failures first; Retry for the failed', () => {
    const plan = bulkConvert(6);
    const [a, b, c] = plan.items;
    const report: RunReport = {
      planId: plan.id, counts: { done: 1, skipped: 1, failed: 1 },
      items: [
        { endpointId: a!.endpointId, name: a!.name, status: 'done' },
        { endpointId: b!.endpointId, name: b!.name, status: 'skipped', reason: { kind: 'gone' } },
        { endpointId: c!.endpointId, name: c!.name, status: 'failed', code: 'GRAPH.NOT_FOUND', reason: { kind: 'error', referenceId: 'R-9' } },
      ],
    };
    const rec = record(plan, 'partially_failed', { outcome: { done: 1, skipped: 1, failed: 1, failedIds: [c!.endpointId], startedAt: '2026-11-22T06:00:00.000Z', finishedAt: '2026-11-22T06:00:12.000Z' } });
    const card = outcome(plan, rec, report);
    clean(card);
    const seen = visibleTexts(card);
    expect(seen.slice(0, 5)).toEqual([
      '⚠️ Partially failed', '1 done · 1 skipped · 1 failed.', expect.stringMatching(new RegExp(`^❌ \\*\\*${c!.name}\\*\\* — `)),
      `⏭️ **${b!.name}** — it no longer exists.`, `✅ **${a!.name}** — converted to workload identity federation.`,
    ]);
    expect(seen.join('\n')).toContain('took 12 s.');
    // Skips are said once (the count and the rows); the plan's own skip list waits behind Show details.
    expect(seen.filter((t) => /skipped/.test(t))).toEqual(['1 done · 1 skipped · 1 failed.']);
  });

  it('offers Convert instead only while the rotation waits for a decision', () => {
    const plan = rotatePlan();
    expect(commandsOf(outcome(plan, record(plan, 'proposed', { approvers: [] }))).map((a) => a.title)).toEqual(['Convert instead']);
    for (const state of ['approved', 'executing', 'done', 'rejected'] as const) expect(commandsOf(outcome(plan, record(plan, state))).map((a) => a.title)).not.toContain('Convert instead');
  });

  it('says how long a run took the way a person would, never "0 s"', () => {
    expect(durationText('2026-11-22T06:00:00.000Z', '2026-11-22T06:00:00.400Z')).toBe('under a second');
    expect(durationText('2026-11-22T06:00:00.000Z', '2026-11-22T06:00:12.000Z')).toBe('12 s');
    expect(durationText('2026-11-22T06:00:00.000Z', '2026-11-22T06:01:05.000Z')).toBe('1 min 05 s');
  });
});

describe('one word per approval state, in the card and in the audit', () => {
  const plan = rotatePlan();
  const meta = { id: 'e1', at: new Date('2026-11-22T06:05:00.000Z'), conversation: { id: 'c', type: 'channel' }, correlationId: 'corr-1' };

  it('a requester who withdraws: "Cancelled" on both', () => {
    expect(visibleTexts(outcome(plan, record(plan, 'rejected', { decidedBy: A })))[0]).toBe(`Cancelled by ${A.name}`);
    const audit = renderCard('audit', buildAuditView({ events: [auditEventForRejected(plan, { ...meta, actor: { id: A.id, name: A.name, aadObjectId: A.aadObjectId } }, 'CANCELLED_BY_REQUESTER')], last: 20 }));
    expect(visibleTexts(audit).join('\n')).toMatch(/Cancelled · rotate · sc-prod/);
    clean(audit);
  });

  it('a plan that changed under it: "Not executed" on both (never the jargon "stale")', () => {
    const card = outcome(plan, record(plan, 'stale'));
    expect(visibleTexts(card)[0]).toBe('Not executed: a connection changed since the preview');
    const audit = renderCard('audit', buildAuditView({ events: [auditEventForStale(plan, { ...meta, actor: { id: B.id, name: B.name, aadObjectId: B.aadObjectId } }, [plan.items[0]!.endpointId])], last: 20 }));
    expect(visibleTexts(audit).join('\n')).toMatch(/Not executed · rotate · sc-prod/);
    clean(audit);
  });

  it('an approver who says no: "Rejected" on both', () => {
    expect(visibleTexts(outcome(plan, record(plan, 'rejected', { decidedBy: B })))[0]).toBe(`Rejected by ${B.name}`);
    const audit = renderCard('audit', buildAuditView({ events: [auditEventForRejected(plan, { ...meta, actor: { id: B.id, name: B.name, aadObjectId: B.aadObjectId } }, 'REJECTED_BY_APPROVER')], last: 20 }));
    expect(visibleTexts(audit).join('\n')).toMatch(/Rejected · rotate · sc-prod/);
    expect(JSON.stringify(audit)).toContain('Reason: rejected by an approver');
    clean(audit);
  });
});

describe('error replies', () => {
  it.each(ERROR_CODES)('%s: no raw code and no word cut in two', (code) => {
    const card = renderView(messageCard('That did not work', [errorText(code, 'rotate sc-prod', 'R-1')], [], 'warning'));
    clean(card);
  });
});
