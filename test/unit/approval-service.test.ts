import { describe, expect, it } from 'vitest';
import { APPROVALS_COLLECTION } from '../../src/approvals/approval-records';
import type { ApprovalRecord } from '../../src/domain/approval';
import { fingerprintPlan } from '../../src/domain/audit';
import type { Plan } from '../../src/domain/plan';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { AppError } from '../../src/domain/errors';
import { A, B, C, D, cardText, tap, verbs, world } from './approval-fixture';
import { convertAllPlan, deleteDeepEverywhere, rotatePlan } from './plan-card-fixture';
import { renderView } from '../../src/cards/presenter';

const rotate = (): Plan => ({ ...rotatePlan('sc-prod'), id: 'P-ROTATE22' });
const deep = (): Plan => ({ ...deleteDeepEverywhere(), id: 'P-DELETE22' });

async function stateOf(store: EmbeddedStore, planId: string): Promise<ApprovalRecord['state'] | undefined> {
  return (await store.get<ApprovalRecord>(APPROVALS_COLLECTION, planId))?.value.state;
}

describe('ApprovalService: one approver', () => {
  it('proposes with Approve / Reject buttons bound to the plan fingerprint', async () => {
    const w = world();
    const plan = rotate();
    const card = await w.propose(plan);
    expect(verbs(card)).toEqual(['approve', 'reject']);
    expect(JSON.stringify(renderView(card.view))).toContain(`"version":"${fingerprintPlan(plan)}"`);
    expect((renderView(card.view).refresh as { userIds: string[] }).userIds).toEqual([A.id]);
    expect(cardText(card)).toContain('Waiting for approval');
  });

  it('B approves: executed once, card updated in place to the outcome, everything audited', async () => {
    const w = world();
    const plan = rotate();
    await w.propose(plan);
    const answer = await w.service.tap(tap('approve', B, plan, fingerprintPlan(plan)));
    expect(cardText(answer)).toContain('executing 0/1');
    await w.service.idle();
    expect(w.runner.calls).toEqual([plan.id]);
    expect(await stateOf(w.store, plan.id)).toBe('done');
    const last = w.cards.updates.at(-1);
    expect(last?.location.activityId).toBe('act-card-1');
    expect(cardText(last!.reply)).toContain('✅ sc-prod: secret rotated');
    expect(await w.kinds()).toEqual([{ kind: 'approved', actor: B.id }, { kind: 'executed', actor: 'scbot' }]);
  });

  it('refuses the requester, someone not allowed, a tampered id and a wrong version, and audits each', async () => {
    const w = world();
    const plan = rotate();
    await w.propose(plan);
    const version = fingerprintPlan(plan);
    expect(cardText(await w.service.tap(tap('approve', A, plan, version)))).toContain('You cannot approve your own request.');
    expect(cardText(await w.service.tap(tap('approve', D, plan, version)))).toContain('You are not allowed to approve changes.');
    expect(cardText(await w.service.tap({ ...tap('approve', B, plan, version), data: { planId: 'P-ZZZZZZZZ', version } }))).toContain("can't find that plan");
    expect(cardText(await w.service.tap(tap('approve', B, plan, '0000000000000000')))).toContain('does not show the current plan');
    await w.service.idle();
    expect(w.runner.calls).toEqual([]);
    expect(await w.kinds()).toEqual([
      { kind: 'refused', actor: A.id, reason: 'OWN_REQUEST' }, { kind: 'refused', actor: D.id, reason: 'NOT_AN_APPROVER' },
      { kind: 'refused', actor: B.id, reason: 'UNKNOWN_PLAN' }, { kind: 'refused', actor: B.id, reason: 'VERSION_MISMATCH' },
    ]);
    expect(await stateOf(w.store, plan.id)).toBe('proposed');
  });

  it('rejects, after which approving answers with the rejection and runs nothing', async () => {
    const w = world();
    const plan = rotate();
    await w.propose(plan);
    const version = fingerprintPlan(plan);
    expect(cardText(await w.service.tap(tap('reject', C, plan, version)))).toContain(`Rejected by ${C.name}`);
    expect(cardText(await w.service.tap(tap('approve', B, plan, version)))).toContain(`Rejected by ${C.name}`);
    await w.service.idle();
    expect(w.runner.calls).toEqual([]);
    expect(await w.kinds()).toEqual([{ kind: 'rejected', actor: C.id, reason: 'REJECTED_BY_APPROVER' }]);
  });

  it('expires after the policy TTL on the clock, offering to plan again', async () => {
    const w = world();
    const plan = rotate();
    await w.propose(plan);
    w.clock.advance(30 * 60_000);
    const answer = await w.service.tap(tap('approve', B, plan, fingerprintPlan(plan)));
    expect(cardText(answer)).toContain('Expired');
    expect(JSON.stringify(renderView(answer.view))).toContain(`"command":"${plan.command}"`);
    expect(await stateOf(w.store, plan.id)).toBe('expired');
    expect(await w.kinds()).toEqual([{ kind: 'expired', actor: B.id }]);
  });

  it('goes stale when a connection changed since the preview: the card says so in place, nothing runs', async () => {
    const w = world();
    const plan = rotate();
    await w.propose(plan);
    const item = plan.items[0]!;
    const current = await w.devops.get(item.projectId, item.endpointId);
    await w.devops.update({ ...current!, url: 'https://changed.example/' });
    // The tap is answered at once; the re-read right before execution finds the change and nothing runs.
    const answer = await w.service.tap(tap('approve', B, plan, fingerprintPlan(plan)));
    expect(cardText(answer)).toContain('executing 0/1');
    await w.service.idle();
    expect(w.runner.calls).toEqual([]);
    expect(await stateOf(w.store, plan.id)).toBe('stale');
    expect(await w.kinds()).toEqual([{ kind: 'approved', actor: B.id }, { kind: 'stale', actor: B.id, reason: 'CHANGED_SINCE_PREVIEW' }]);
    const last = w.cards.updates.at(-1);
    expect(cardText(last!.reply)).toContain('A connection changed since the preview, so nothing was executed.');
    expect(cardText(last!.reply)).toContain('Not executed: a connection changed since the preview');
  });
});

describe('ApprovalService: the stale check cannot read', () => {
  it('goes on to the executor (which re-reads each connection before writing it), logging why', async () => {
    const w = world();
    const plan = rotate();
    await w.propose(plan);
    // The whole-plan re-read fails (Azure DevOps throttled past its retries); the plan is not stuck in `approved`.
    const list = w.devops.list.bind(w.devops);
    let failures = 1;
    w.devops.list = async (...args: Parameters<typeof list>) => {
      if (failures-- > 0) throw new AppError('DEVOPS.THROTTLED', 'throttled');
      return list(...args);
    };
    const answer = await w.service.tap(tap('approve', B, plan, fingerprintPlan(plan)));
    expect(cardText(answer)).toContain('executing 0/1');
    await w.service.idle();
    expect(w.runner.calls).toEqual([plan.id]);
    expect(await stateOf(w.store, plan.id)).toBe('done');
  });
});

describe('ApprovalService: exactly once', () => {
  it('ten concurrent duplicate taps by B run the plan once and each gets a card', async () => {
    const w = world();
    const plan = rotate();
    await w.propose(plan);
    const answers = await Promise.all(Array.from({ length: 10 }, () => w.service.tap(tap('approve', B, plan, fingerprintPlan(plan)))));
    await w.service.idle();
    expect(w.runner.calls).toEqual([plan.id]);
    for (const answer of answers) expect(cardText(answer)).toMatch(/Approved by|Run by scbot|executing/);
    expect((await w.kinds()).filter((k) => k.kind === 'approved')).toHaveLength(1);
  });

  it('two instances on one store, B and C at once: one execution', async () => {
    const store = new EmbeddedStore();
    const one = world(store);
    const two = world(store, { devops: one.devops, clock: one.clock });
    const plan = rotate();
    await one.propose(plan);
    const version = fingerprintPlan(plan);
    await Promise.all([one.service.tap(tap('approve', B, plan, version)), two.service.tap(tap('approve', C, plan, version)), two.service.tap(tap('approve', B, plan, version))]);
    await Promise.all([one.service.idle(), two.service.idle()]);
    expect([...one.runner.calls, ...two.runner.calls]).toEqual([plan.id]);
    expect(await stateOf(store, plan.id)).toBe('done');
  });

  it('resumes a plan left approved or executing, once, on start-up', async () => {
    const store = new EmbeddedStore();
    const first = world(store);
    const plan = rotate();
    await first.propose(plan);
    const read = await store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id);
    await store.put(APPROVALS_COLLECTION, plan.id, { ...read!.value, state: 'approved', approvers: [B] }, read!.version);
    const restarted = world(store, { devops: first.devops, clock: first.clock });
    const other = world(store, { devops: first.devops, clock: first.clock });
    expect(await restarted.service.resume()).toEqual([plan.id]);
    await other.service.resume();
    await Promise.all([restarted.service.idle(), other.service.idle()]);
    expect([...restarted.runner.calls, ...other.runner.calls]).toEqual([plan.id]);
  });
});

describe('ApprovalService: two approvers and retries', () => {
  it('a deep delete everywhere needs two distinct approvers', async () => {
    const w = world();
    const plan = deep();
    const version = fingerprintPlan(plan);
    await w.propose(plan);
    expect(cardText(await w.service.tap(tap('approve', B, plan, version)))).toContain('Waiting for a second approver (1 of 2)');
    expect(cardText(await w.service.tap(tap('approve', B, plan, version)))).toContain('already approved this plan');
    expect(w.runner.calls).toEqual([]);
    expect(cardText(await w.service.tap(tap('approve', C, plan, version)))).toContain(`Approved by ${B.name}, ${C.name}`);
    await w.service.idle();
    expect(w.runner.calls).toEqual([plan.id]);
    expect((await w.kinds()).map((k) => `${k.kind}:${k.actor}:${k.reason ?? ''}`)).toEqual([
      `approved:${B.id}:`, `refused:${B.id}:ALREADY_APPROVED_BY_YOU`, `approved:${C.id}:`, ...plan.items.map(() => 'executed:scbot:'),
    ]);
  });

  it('a partially failed plan offers to retry its failed items as a new plan that needs approval again', async () => {
    const w = world();
    const plan: Plan = { ...convertAllPlan(), id: 'P-CONVERT2' };
    expect(plan.items.length).toBeGreaterThan(1);
    const failedId = plan.items[0]!.endpointId;
    w.runner.failIds.add(failedId);
    await w.propose(plan);
    const version = fingerprintPlan(plan);
    await w.service.tap(tap('approve', B, plan, version));
    await w.service.tap(tap('approve', C, plan, version));
    await w.service.idle();
    expect(await stateOf(w.store, plan.id)).toBe('partially_failed');
    const final = w.cards.updates.at(-1)!.reply;
    expect(cardText(final)).toContain(`${plan.items.length - 1} done · 0 skipped · 1 failed`);
    expect(verbs(final)).toEqual(['retry']);
    const answers = await Promise.all(Array.from({ length: 5 }, () => w.service.tap(tap('retry', A, plan, version))));
    expect((await w.kinds()).filter((k) => k.kind === 'requested')).toHaveLength(1);
    const newId = (await w.store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id))?.value.retriedAs;
    expect(newId).toMatch(/^P-[A-Z0-9]{8}$/);
    // The winner's view as requester: the new plan waiting, with only Cancel; duplicates see it or the old card saying so.
    // The new plan's card names its id once, in its footer.
    const winner = answers.find((a) => cardText(a).includes(`Plan ${newId}`));
    expect(verbs(winner!)).toEqual(['reject']);
    expect(cardText(winner!)).toContain('Waiting for approval');
    for (const answer of answers) expect(cardText(answer)).toMatch(new RegExp(`Plan ${newId}|planned again as ${newId}`));
    expect((await w.plans.get(newId!))?.items.map((i) => i.endpointId)).toEqual([failedId]);
    expect(await stateOf(w.store, newId!)).toBe('proposed');
    expect((await w.kinds()).at(-1)).toEqual({ kind: 'requested', actor: A.id });
  });
});

describe('ApprovalService: resume after a crash between run and settle', () => {
  it('records each connection outcome once even when a resumed run reports it again', async () => {
    const store = new EmbeddedStore();
    const first = world(store);
    const plan = rotate();
    await first.propose(plan);
    await first.service.tap(tap('approve', B, plan, fingerprintPlan(plan)));
    await first.service.idle();
    // Pretend the process died after the audit but before the final state was written.
    const read = await store.get<ApprovalRecord>(APPROVALS_COLLECTION, plan.id);
    await store.put(APPROVALS_COLLECTION, plan.id, { ...read!.value, state: 'executing' }, read!.version);
    const restarted = world(store, { devops: first.devops, clock: first.clock });
    await restarted.service.resume();
    await restarted.service.idle();
    expect(await stateOf(store, plan.id)).toBe('done');
    expect((await restarted.kinds()).filter((k) => k.kind === 'executed')).toHaveLength(1);
  });
});
