/**
 * What the plan card says in each approval state, for the person looking at it. Pure: the record and plan in,
 * the card out. Policy is enforced on every tap regardless of which view a person was shown.
 */
import type { CommandCardReply } from './types';
import type { ApprovalPerson, ApprovalRecord } from '../domain/approval';
import type { Plan } from '../domain/plan';
import { buildPlanView } from '../cards/plan-preview-view';
import type { PlanCardState } from '../cards/plan-preview-status';
import { plural } from '../cards/format';
import { outcomeText } from '../cards/outcome-text';
import type { ErrorCode } from '../domain/errors';
import type { ItemReason } from '../execution/run-report';

export interface CardNotice {
  /** A short, specific line on top of the state, e.g. "You cannot approve your own request." */
  text: string;
}

const names = (people: readonly ApprovalPerson[]): string => people.map((p) => p.name || p.id).join(', ');

function proposedState(record: ApprovalRecord, viewer: ApprovalPerson | undefined): PlanCardState {
  const isRequester = viewer !== undefined && viewer.id === record.requester.id;
  const got = record.approvers.length;
  const lines = [`Requested by ${record.requester.name || record.requester.id}; expires ${record.expiresAt.slice(0, 16).replace('T', ' ')} UTC.`];
  if (got > 0) lines.push(`Approved so far by ${names(record.approvers)}.`);
  return {
    title: got > 0 ? `Waiting for a second approver (${got} of ${record.approvalsNeeded})` : `Waiting for approval (${plural(record.approvalsNeeded, 'approver')} needed)`,
    lines, tone: 'info', version: record.planVersion,
    // The requester sees the state only; approvers see the buttons (the server checks either way).
    buttons: isRequester ? [] : [{ title: 'Approve', verb: 'approve' }, { title: 'Reject', verb: 'reject' }],
    commands: [],
    refreshUserIds: [record.requester.id],
  };
}

function outcomeLines(record: ApprovalRecord, plan: Plan): string[] {
  const o = record.outcome;
  if (!o) return [];
  // The stored reasons are the executor's ItemReason values (written by approval-execution.ts).
  const failures = (o.failures ?? []).map((f) => `${f.name}: ${f.reason ? outcomeText(f.reason as ItemReason, { command: plan.command, ...(f.code ? { code: f.code as ErrorCode } : {}) }) : (f.code ?? 'failed')}.`);
  return [`${o.done} done · ${o.skipped} skipped · ${o.failed} failed.`, ...failures];
}

/** The card's status for a record; `progress` while executing ("12/40 done"). */
export function approvalState(record: ApprovalRecord, plan: Plan, viewer?: ApprovalPerson, progress?: { done: number; total: number }): PlanCardState {
  const base = { version: record.planVersion, commands: [] as PlanCardState['commands'], buttons: [] as PlanCardState['buttons'], lines: [] as string[] };
  const by = record.decidedBy ? record.decidedBy.name || record.decidedBy.id : 'the bot';
  switch (record.state) {
    case 'proposed': return proposedState(record, viewer);
    case 'approved': return { ...base, title: `Approved by ${names(record.approvers)} — starting`, tone: 'good' };
    case 'executing': return { ...base, title: `Approved by ${names(record.approvers)} — executing ${progress?.done ?? 0}/${progress?.total ?? plan.items.length}`, tone: 'good' };
    case 'done': return { ...base, title: 'Done', tone: 'good', lines: outcomeLines(record, plan) };
    case 'failed': return { ...base, title: 'Failed', tone: 'attention', lines: outcomeLines(record, plan) };
    case 'partially_failed': return record.retriedAs
      ? { ...base, title: 'Partially failed', tone: 'warning', lines: [...outcomeLines(record, plan), `The failed items were planned again as ${record.retriedAs}.`] }
      : { ...base, title: 'Partially failed', tone: 'warning', lines: outcomeLines(record, plan), buttons: [{ title: 'Retry failed items', verb: 'retry' }] };
    case 'rejected': return { ...base, title: `Rejected by ${by}`, tone: 'attention' };
    case 'expired': return { ...base, title: 'Expired: this plan was not approved in time', tone: 'warning', lines: ['Plan again to see the current state.'], commands: [{ title: 'Plan again', command: plan.command }] };
    case 'stale': return { ...base, title: 'Not executed: a connection changed since the preview', tone: 'warning', lines: ['Plan again to see the current state.'], commands: [{ title: 'Plan again', command: plan.command }] };
  }
}

export function approvalCard(record: ApprovalRecord, plan: Plan, options: { viewer?: ApprovalPerson; notice?: CardNotice; progress?: { done: number; total: number } } = {}): CommandCardReply {
  const state = approvalState(record, plan, options.viewer, options.progress);
  const withNotice = options.notice ? { ...state, lines: [`⛔ ${options.notice.text}`, ...state.lines] } : state;
  return { text: `Plan ${plan.id}: ${withNotice.title}`, view: { template: 'plan-preview', model: buildPlanView(plan, withNotice) } };
}
