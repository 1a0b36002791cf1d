/**
 * The approval flow over HTTP, end to end: real Bot Framework activities in, the real rotate planner, the
 * ApprovalService and the Executor against the local cloud (DevOps, Entra, Graph stand-ins), replies and card
 * updates out to a connector stand-in. A asks, B and C approve, D may not; the clock is the bot's ManualClock.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type StartedApp as RunningApp } from '../support/test-app';
import type { ApprovalService } from '../../src/approvals/approval-service';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { ANYONE, type PolicyConfig } from '../../src/domain/policy';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { channelMention, postActivity } from '../support/activities';
import { callsFor, endpointId, HARNESS_TUNING, startHarness, type Harness } from './operations-harness';
import { textBlocksOf as textOf } from '../support/adaptive-cards';

const A = { id: '29:user-a', name: 'Avery Requester', aadObjectId: 'aaaaaaaa-0000-4000-8000-00000000000a' };
const B = { id: '29:user-b', name: 'Blake Approver', aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b' };
const C = { id: '29:user-c', name: 'Casey Approver', aadObjectId: 'cccccccc-0000-4000-8000-00000000000c' };
const D = { id: '29:user-d', name: 'Devon Bystander', aadObjectId: 'dddddddd-0000-4000-8000-00000000000d' };
type User = typeof A;

const POLICY: PolicyConfig = {
  requesters: { users: [A.aadObjectId], groups: [] },
  approvers: { users: [A.aadObjectId, B.aadObjectId, C.aadObjectId], groups: [] },
  conversations: [ANYONE], tenants: [ANYONE], planTtlMinutes: 30, twoApproversOver: 10,
};

let h: Harness;
let connector: ConnectorStandIn;
let app: RunningApp;
let approvals: ApprovalService;
let audit: StoreAuditLog;

beforeAll(async () => {
  h = await startHarness([{ n: 1, name: 'sc-prod' }, { n: 2, name: 'sc-stage' }, { n: 3, name: 'sc-dev' }, { n: 4, name: 'sc-test' }]);
  connector = new ConnectorStandIn();
  await connector.start();
  audit = new StoreAuditLog(h.store);
  app = await startTestApp(h.ports(), { policy: POLICY }, HARNESS_TUNING);
  approvals = app.approvals;
});
afterAll(async () => {
  await approvals?.idle();
  await app?.close();
  await connector?.close();
  await h?.close();
});

interface Preview { planId: string; version: string; conversationId: string; cardId: string; buttons: string[] }

/** A asks in a channel; returns what the preview card's Approve button would send. */
async function ask(command: string): Promise<Preview> {
  const conversationId = `19:ops-${randomUUID()};messageid=1`;
  const activity = { ...channelMention(command, { serviceUrl: connector.serviceUrl, conversationId }), from: { ...A } };
  const replies = connector.nextReplies(conversationId);
  expect((await postActivity(app.url, activity)).status).toBe(200);
  const [reply] = await replies;
  const card = (reply!.body.attachments as Array<{ content: { actions: Array<{ verb?: string; data?: { planId: string; version: string } }> } }>)[0]!.content;
  const approve = card.actions.find((a) => a.verb === "approve");
  expect(approve?.data).toBeDefined();
  expect(Object.keys(approve!.data!).sort()).toEqual(['planId', 'version']);
  return { ...approve!.data!, conversationId, cardId: `act-card-${randomUUID()}`, buttons: card.actions.map((a) => a.verb ?? '') };
}

/** A tap on the card: the Universal Actions invoke Teams sends; returns the HTTP status and the replacement card's text. */
async function tap(user: User, verb: string, preview: Preview, data: object = { planId: preview.planId, version: preview.version }) {
  const base = channelMention('', { serviceUrl: connector.serviceUrl, conversationId: preview.conversationId });
  const invoke = {
    ...base, type: 'invoke', name: 'adaptiveCard/action', text: undefined, entities: undefined, from: { ...user }, replyToId: preview.cardId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
  const response = await postActivity(app.url, invoke);
  const body = (await response.json()) as { statusCode: number; type: string; value: unknown };
  // A refusal no card can answer is a Universal Actions error: its `message` is what the client shows.
  const message = (body.value as { message?: unknown } | undefined)?.message;
  return { status: response.status, type: body.type, text: typeof message === 'string' ? message : textOf(body.value) };
}

const putsFor = (n: number) => callsFor(h.cloud.devops.requests.entries(), endpointId(n)).filter((c) => c.startsWith('PUT'));
const eventsOf = async (planId: string) => (await audit.query({ planId })).reverse().map((e) => `${e.kind}:${e.actor.name}${e.reason ? `:${e.reason}` : ''}`);

describe('approval flow over HTTP', () => {
  it('A asks to rotate sc-prod, A and D are refused, B approves: rotated exactly once and the card shows the outcome', async () => {
    const preview = await ask('rotate sc-prod');
    h.cloud.devops.requests.clear();
    // refresh.userIds names A: A's client asks for A's view, which is the state without buttons.
    expect((await tap(A, 'refresh', preview)).text).toContain('Waiting for approval');
    const own = await tap(A, 'approve', preview);
    expect(own).toMatchObject({ status: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(own.text).toContain('You cannot approve your own request.');
    expect((await tap(D, 'approve', preview)).text).toContain('You are not allowed to approve changes.');
    const approved = await tap(B, 'approve', preview);
    expect(approved.text).toContain(`Approved by ${B.name} — executing 0/1`);
    await approvals.idle();
    expect(putsFor(1)).toEqual(['PUT']);
    const updates = connector.calls.filter((c) => c.kind === 'update' && c.activityId === preview.cardId);
    expect(updates.length).toBeGreaterThan(0);
    expect(textOf(updates.at(-1)!.body.attachments)).toContain('✅ sc-prod');
    expect(textOf(updates.at(-1)!.body.attachments)).toContain('✅ sc-prod: secret rotated');
    expect(textOf(updates.at(-1)!.body.attachments)).toContain(`Run by scbot, approved by ${B.name}`);
    // A late duplicate tap answers with the outcome and changes nothing.
    expect((await tap(B, 'approve', preview)).text).toContain('✅ sc-prod: secret rotated');
    await approvals.idle();
    expect(putsFor(1)).toEqual(['PUT']);
    expect(await eventsOf(preview.planId)).toEqual([
      `requested:${A.name}`, `refused:${A.name}:OWN_REQUEST`, `refused:${D.name}:NOT_AN_APPROVER`, `approved:${B.name}`, 'executed:scbot',
    ]);
    // The bot ran it with its own identity, on B's approval of A's request (issue 27: not credited to the approver).
    const executed = (await audit.query({ planId: preview.planId })).find((e) => e.kind === 'executed');
    expect([executed?.requestedBy?.name, executed?.approvedBy?.map((p) => p.name)]).toEqual([A.name, [B.name]]);
  });

  it('ten concurrent taps by B execute the plan once', async () => {
    const preview = await ask('rotate sc-dev');
    h.cloud.devops.requests.clear();
    const answers = await Promise.all(Array.from({ length: 10 }, () => tap(B, 'approve', preview)));
    for (const answer of answers) expect(answer.status).toBe(200);
    await approvals.idle();
    expect(putsFor(3)).toEqual(['PUT']);
    expect((await eventsOf(preview.planId)).filter((e) => e.startsWith('approved'))).toHaveLength(1);
  });

  it('refuses a tampered plan id and audits it', async () => {
    const preview = await ask('rotate sc-test');
    const tampered = await tap(B, 'approve', preview, { planId: 'P-ZZZZZZZZ', version: preview.version });
    // The plan a card names is gone: 412 preconditionFailed (no replacement card can help); data we never wrote: 400.
    expect([tampered.status, tampered.type]).toEqual([412, 'application/vnd.microsoft.error.preconditionFailed']);
    expect(tampered.text).toContain("I can't find that plan.");
    const injected = await tap(B, 'approve', preview, { planId: '${$root}', version: 'x' });
    expect([injected.status, injected.type]).toEqual([400, 'application/vnd.microsoft.error']);
    expect(injected.text).toContain("I can't find that plan");
    expect(await eventsOf('P-ZZZZZZZZ')).toEqual([`refused:${B.name}:UNKNOWN_PLAN`]);
    expect((await audit.query()).some((e) => e.planId === '(not a plan id)' && e.reason === 'TAMPERED_CARD')).toBe(true);
  });

  it('an expired plan is refused, audited, and offers to plan again', async () => {
    const preview = await ask('rotate sc-test');
    h.clock.advance(31 * 60_000);
    const expired = await tap(B, 'approve', preview);
    expect(expired.text).toContain('Expired');
    await approvals.idle();
    expect(putsFor(4)).toEqual([]);
    expect(await eventsOf(preview.planId)).toEqual([`requested:${A.name}`, `expired:${B.name}`]);
  });

  it('a connection edited in the emulator between preview and approval makes the plan stale', async () => {
    const preview = await ask('rotate sc-stage');
    const live = h.cloud.devops.state.endpoint(endpointId(2))!;
    h.cloud.devops.state.put({ ...live, data: { ...live.data, subscriptionName: 'edited-by-a-person' } });
    h.cloud.devops.requests.clear();
    const answer = await tap(C, 'approve', preview);
    expect(answer.status).toBe(200);
    await approvals.idle();
    expect(putsFor(2)).toEqual([]);
    expect(await eventsOf(preview.planId)).toEqual([`requested:${A.name}`, `approved:${C.name}`, `stale:${C.name}:CHANGED_SINCE_PREVIEW`]);
    // The card the tap answered is replaced in place by the stale outcome.
    const updates = connector.calls.filter((c) => c.kind === 'update' && c.activityId === preview.cardId);
    expect(textOf(updates.at(-1)?.body.attachments)).toContain('changed since the preview');
  });

  it('outside local mode there are no demo approvers: the local-demo verb is an unknown button, refused and audited', async () => {
    const preview = await ask('rotate sc-test');
    expect(preview.buttons.filter((verb) => verb.startsWith('local-demo'))).toEqual([]);
    const own = await tap(A, 'approve', preview);
    expect(own.text).toContain('You cannot approve your own request.');
    expect(own.text).not.toContain('local demo');
    const forged = await tap(A, 'local-demo-approve:ben', preview);
    expect([forged.status, forged.text]).toEqual([400, 'I do not know that button.']);
    await approvals.idle();
    expect(putsFor(4)).toEqual([]);
    expect(await eventsOf(preview.planId)).toEqual([`requested:${A.name}`, `refused:${A.name}:OWN_REQUEST`, `refused:${A.name}:UNKNOWN_ACTION`]);
  });

  it('the composition refuses demo approvers when inbound authentication is on', async () => {
    await expect(startTestApp(h.ports(), { auth: { appId: 'b0000000-0000-4000-8000-00000000000f', appPassword: 'x' }, localDemoApprovers: [{ key: 'ben', id: '29:b', name: 'Ben' }] }))
      .rejects.toThrow('local demo approvers are for local mode only');
  });
});
