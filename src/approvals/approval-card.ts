/**
 * What the plan card says in each approval state, for the person looking at it. Pure: the record and plan in,
 * the card out. Policy is enforced on every tap regardless of which view a person was shown.
 */
import type { CommandCardReply } from './types';
import { samePerson, type ApprovalPerson, type ApprovalRecord } from '../domain/approval';
import type { Plan } from '../domain/plan';
import { buildPlanView } from '../cards/plan-preview-view';
import type { PlanCardState } from '../cards/plan-preview-status';
import { plural } from '../cards/format';

export interface CardNotice {
  /** A short, specific line on top of the state, e.g. "You cannot approve your own request." */
  text: string;
}

const names = (people: readonly ApprovalPerson[]): string => people.map((p) => p.name || p.id).join(', ');

/**
 * Who sees which buttons while a plan waits: the requester can always cancel (and never approve: four-eyes); a
 * person who already approved has nothing left to press; anyone else gets Approve and Reject (the policy decides
 * on the tap). refresh.userIds names the requester and the approvers so far, so Teams fetches their own view
 * (user-specific views, ≤ 60 ids: msteams-docs Universal-Actions-for-Adaptive-Cards/User-Specific-Views.md).
 */
function proposedButtons(record: ApprovalRecord, viewer: ApprovalPerson | undefined): PlanCardState['buttons'] {
  if (viewer && samePerson(viewer, record.requester)) return [{ title: 'Cancel request', verb: 'reject' }];
  if (viewer && record.approvers.some((a) => samePerson(a, viewer))) return [];
  return [{ title: 'Approve', verb: 'approve' }, { title: 'Reject', verb: 'reject' }];
}

function proposedState(record: ApprovalRecord, viewer: ApprovalPerson | undefined): PlanCardState {
  const got = record.approvers.length;
  const lines = [`Requested by ${record.requester.name || record.requester.id}; expires ${record.expiresAt.slice(0, 16).replace('T', ' ')} UTC.`];
  if (got > 0) lines.push(`Approved so far by ${names(record.approvers)}.`);
  return {
    title: got > 0 ? `Waiting for a second approver (${got} of ${record.approvalsNeeded})` : `Waiting for approval (${plural(record.approvalsNeeded, 'approver')} needed)`,
    lines, tone: 'info', version: record.planVersion,
    buttons: proposedButtons(record, viewer),
    commands: [],
    refreshUserIds: [record.requester.id, ...record.approvers.map((a) => a.id)],
  };
}

function outcomeLines(record: ApprovalRecord): string[] {
  const o = record.outcome;
  if (!o) return [];
  return [`${o.done} done · ${o.skipped} skipped · ${o.failed} failed.`];
}

/** The card's status for a record; `progress` while executing ("12/40 done"). */
export function approvalState(record: ApprovalRecord, plan: Plan, viewer?: ApprovalPerson, progress?: { done: number; total: number }): PlanCardState {
  const base = { version: record.planVersion, commands: [] as PlanCardState['commands'], buttons: [] as PlanCardState['buttons'], lines: [] as string[] };
  const by = record.decidedBy ? record.decidedBy.name || record.decidedBy.id : 'the bot';
  switch (record.state) {
    case 'proposed': return proposedState(record, viewer);
    case 'approved': return { ...base, title: `Approved by ${names(record.approvers)} — starting`, tone: 'good' };
    case 'executing': return { ...base, title: `Approved by ${names(record.approvers)} — executing ${progress?.done ?? 0}/${progress?.total ?? plan.items.length}`, tone: 'good' };
    case 'done': return { ...base, title: 'Done', tone: 'good', lines: outcomeLines(record) };
    case 'failed': return { ...base, title: 'Failed', tone: 'attention', lines: outcomeLines(record) };
    case 'partially_failed': return record.retriedAs
      ? { ...base, title: 'Partially failed', tone: 'warning', lines: [...outcomeLines(record), `The failed items were planned again as ${record.retriedAs}.`] }
      : { ...base, title: 'Partially failed', tone: 'warning', lines: outcomeLines(record), buttons: [{ title: 'Retry failed items', verb: 'retry' }] };
    case 'rejected': return { ...base, title: `Rejected by ${by}`, tone: 'attention' };
    case 'expired': return { ...base, title: 'Expired: this plan was not approved in time', tone: 'warning', lines: ['Plan again to see the current state.'], commands: [{ title: 'Plan again', command: plan.command }] };
    case 'stale': return { ...base, title: 'Not executed: a connection changed since the preview', tone: 'warning', lines: ['Plan again to see the current state.'], commands: [{ title: 'Plan again', command: plan.command }] };
  }
}

export function approvalCard(record: ApprovalRecord, plan: Plan, options: { viewer?: ApprovalPerson; notice?: CardNotice; progress?: { done: number; total: number } } = {}): CommandCardReply {
  const state = approvalState(record, plan, options.viewer, options.progress);
  const withNotice = options.notice ? { ...state, lines: [`⛔ ${options.notice.text}`, ...state.lines] } : state;
  const pending = record.state === 'proposed' ? { pending: { requesterId: record.requester.id, approvedBy: record.approvers.map((a) => a.id) } } : {};
  return { text: `Plan ${plan.id}: ${withNotice.title}`, view: { template: 'plan-preview', model: buildPlanView(plan, withNotice) }, ...pending };
}
