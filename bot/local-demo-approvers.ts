/**
 * Local mode only: the Agents Playground is one user, who is also the requester, so four-eyes refuses every
 * approval it makes. Every waiting plan card therefore offers, from the start, buttons to approve as one of the
 * demo seed's approvers (no refused tap first, no ⚠️ Refused audit row). The tap is then an ordinary approval by
 * that person: the policy, the audit trail and execution are the same as for anyone else. Nothing new is possible here: without inbound authentication (local mode only)
 * anyone on loopback can already post activities as any user. composeApp refuses these with an app id set.
 */
import type { ApprovalPerson } from '../src/domain/approval';
import type { CardJson } from '../src/cards/card';
import type { PendingApproval } from '../src/approvals/types';
import type { Activity } from 'botbuilder';

/** A demo approver: a seeded person, and the key its button's verb carries. */
export type DemoApprover = Readonly<ApprovalPerson> & { key: string };

export const LOCAL_DEMO_VERB_PREFIX = 'local-demo-approve:';

/** The demo seed's approvers (packages/stand-ins/src/seeds/demo.json users). */
export const LOCAL_DEMO_APPROVERS: ReadonlyArray<DemoApprover> = Object.freeze([
  { key: 'ben', id: '29:local-demo-ben', name: 'Ben Approver', aadObjectId: '00000000-0000-0000-0000-0000000000b2' },
  { key: 'chris', id: '29:local-demo-chris', name: 'Chris Approver', aadObjectId: '00000000-0000-0000-0000-0000000000c3' },
]);

/** The demo approver a local-demo verb names, if it names one of `approvers`. */
export function demoApproverOf(verb: string, approvers: readonly (ApprovalPerson & { key: string })[]): ApprovalPerson | undefined {
  if (!verb.startsWith(LOCAL_DEMO_VERB_PREFIX)) return undefined;
  const key = verb.slice(LOCAL_DEMO_VERB_PREFIX.length);
  const found = approvers.find((a) => a.key === key);
  return found ? { id: found.id, name: found.name, ...(found.aadObjectId ? { aadObjectId: found.aadObjectId } : {}) } : undefined;
}

/**
 * A waiting plan's card plus one "Approve as …" button per demo approver who has not approved it yet (a second
 * tap by the same person could only be refused), carrying the same `{ planId, version }`.
 */
export function withDemoApproveButtons(card: CardJson, data: unknown, approvers: readonly (ApprovalPerson & { key: string })[], pending: PendingApproval): CardJson {
  const { planId, version } = (data ?? {}) as { planId?: unknown; version?: unknown };
  if (typeof planId !== 'string' || typeof version !== 'string') return card;
  const actions = Array.isArray(card.actions) ? card.actions : [];
  const demo = approvers.filter((a) => !pending.approvedBy.includes(a.id)).map((a) => ({ type: 'Action.Execute', title: `Approve as ${a.name} (local demo)`, verb: `${LOCAL_DEMO_VERB_PREFIX}${a.key}`, data: { planId, version } }));
  return { ...card, actions: [...actions, ...demo] };
}

/**
 * A reply (teams-bot.ts) or a background post (an agent's proposal: notifier.ts, wired in compose.ts) as it is about
 * to be sent, with the demo approvers' buttons added when it is a plan card waiting for
 * approval (it has an Approve button carrying `{ planId, version }`): offered at once, minus the requester.
 */
export function withDemoApproversOffered(activity: Partial<Activity>, approvers: readonly (ApprovalPerson & { key: string })[], requesterId: string): Partial<Activity> {
  if (approvers.length === 0) return activity;
  const attachments = (activity.attachments ?? []).map((attachment) => {
    const card = attachment.content as CardJson | undefined;
    const approve = Array.isArray(card?.actions) ? (card.actions as Array<{ verb?: unknown; data?: unknown }>).find((a) => a.verb === 'approve') : undefined;
    if (!card || !approve) return attachment;
    // Nobody approved a new plan yet; the requester is left out as one who had (their approval could only be refused).
    return { ...attachment, content: withDemoApproveButtons(card, approve.data, approvers, { requesterId, approvedBy: [requesterId] }) };
  });
  return { ...activity, attachments };
}
