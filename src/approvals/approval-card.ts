/**
 * What the plan card says in each approval state, for the person looking at it. Pure: the record and plan in,
 * the card out. Policy is enforced on every tap regardless of which view a person was shown.
 */
import type { CommandCardReply } from './types';
import { samePerson, type ApprovalPerson, type ApprovalRecord } from '../domain/approval';
import type { Plan } from '../domain/plan';
import { buildPlanView } from '../cards/plan-preview-view';
import type { PlanCardState } from '../cards/plan-preview-status';
import { plural, TONE_ICON } from '../cards/format';
import { outsideProse, outsideText } from '../cards/outside-text';
import type { CommandButton } from '../domain/command-line';
import { nextLine, nextSteps, peopleLines, resultLines } from '../cards/plan-outcome-view';
import { outcomeText } from '../cards/outcome-text';
import { operationOf } from '../operations/operations';
import type { ErrorCode } from '../domain/errors';
import type { ItemReason, RunReport } from '../execution/run-report';


/** The result first, in one line: "sc-prod: secret rotated", "3 of 4 connections converted". */
function doneTitle(plan: Plan, record: ApprovalRecord): string {
  const done = record.outcome?.done ?? plan.items.length;
  const wording = operationOf(plan.operation).wording;
  if (plan.items.length === 1 && plan.items[0]) return `${outsideText(plan.items[0].name, 80)}: ${wording.itemDone}`;
  return `${done === plan.items.length ? plural(done, 'connection') : `${done} of ${plural(plan.items.length, 'connection')}`} ${wording.titleDone}`;
}

export interface CardNotice {
  /** A short, specific line on top of the state, e.g. "You cannot approve your own request." */
  text: string;
}

// 120: an agent requester is named with its app id (src/mcp/caller-turn.ts requesterName), which must not be cut.
const names = (people: readonly ApprovalPerson[]): string => people.map((p) => outsideText(p.name || p.id, 120)).join(', ');

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
  const lines = [`Requested by ${names([record.requester])}; expires ${record.expiresAt.slice(0, 16).replace('T', ' ')} UTC.`];
  if (got > 0) lines.push(`Approved so far by ${names(record.approvers)}.`);
  return {
    title: got > 0 ? `Waiting for a second approver (${got} of ${record.approvalsNeeded})` : `Waiting for approval (${plural(record.approvalsNeeded, 'approver')} needed)`,
    lines, tone: 'info', version: record.planVersion, offerAlternatives: true,
    buttons: proposedButtons(record, viewer),
    commands: [],
    refreshUserIds: [record.requester.id, ...record.approvers.map((a) => a.id)],
  };
}

/**
 * The outcome: counts, per-connection results when the run's report is at hand (else the first failures the record
 * kept, with their reasons), the people and times, what next.
 */
function outcomeLines(record: ApprovalRecord, plan: Plan, report?: RunReport): string[] {
  const o = record.outcome;
  if (!o) return peopleLines(record);
  const next = nextLine(record);
  // The stored reasons are the executor's ItemReason values (written by approval-execution.ts).
  const failures = (o.failures ?? []).map((f) => `${TONE_ICON.attention} **${outsideText(f.name, 80)}** — ${outsideProse(f.reason ? outcomeText(f.reason as ItemReason, { command: plan.command, ...(f.code ? { code: f.code as ErrorCode } : {}) }) : 'failed', 900)}.`);
  // One connection done: the title is the result; otherwise one count, then name → result per group.
  const counts = plan.items.length > 1 || o.done !== 1 || o.failed + o.skipped > 0 ? [`${o.done} done · ${o.skipped} skipped · ${o.failed} failed.`] : [];
  return [...counts, ...(report ? resultLines(plan, report) : failures), ...nextSteps(plan, record).lines, ...peopleLines(record), ...(next ? [next] : [])];
}

/** The plan's command as a button: pinned to the connection it named, so a plan again acts on that one only. */
function again(title: string, plan: Plan): CommandButton {
  return { title, command: plan.command, ...(plan.target ? { target: { connectionId: plan.target.endpointId, projectId: plan.target.projectId } } : {}) };
}

/** The card's status for a record; `progress` while executing ("12/40 done"). */
export function approvalState(record: ApprovalRecord, plan: Plan, viewer?: ApprovalPerson, progress?: { done: number; total: number }, report?: RunReport): PlanCardState {
  const base = { ...(record.outcome ? { done: record.outcome.done } : {}), version: record.planVersion, commands: [] as PlanCardState['commands'], buttons: [] as PlanCardState['buttons'], lines: [] as string[] };
  const by = record.decidedBy ? names([record.decidedBy]) : 'the bot';
  switch (record.state) {
    case 'proposed': return proposedState(record, viewer);
    case 'approved': return { ...base, title: `Approved by ${names(record.approvers)} — starting`, tone: 'good' };
    case 'executing': return { ...base, title: `Approved by ${names(record.approvers)} — executing ${progress?.done ?? 0}/${progress?.total ?? plan.items.length}`, tone: 'good' };
    case 'done': return { ...base, title: `✅ ${doneTitle(plan, record)}`, tone: 'good', lines: outcomeLines(record, plan, report), commands: nextSteps(plan, record).buttons, finished: true };
    case 'failed': return { ...base, title: '❌ Failed: nothing was changed', tone: 'attention', lines: outcomeLines(record, plan, report), commands: [again('Try again', plan)], finished: true };
    case 'partially_failed': return record.retriedAs
      ? { ...base, title: '⚠️ Partially failed', tone: 'warning', lines: [...outcomeLines(record, plan, report), `The failed items were planned again as ${record.retriedAs}.`], finished: true }
      : { ...base, title: '⚠️ Partially failed', tone: 'warning', lines: outcomeLines(record, plan, report), buttons: [{ title: 'Retry failed items', verb: 'retry' }], finished: true };
    case 'rejected': return { ...base, title: record.decidedBy && samePerson(record.decidedBy, record.requester) ? `Cancelled by ${by}` : `Rejected by ${by}`, tone: 'attention', lines: peopleLines(record), finished: true };
    case 'expired': return { ...base, title: 'Expired: this plan was not approved in time', tone: 'warning', lines: ['Plan again to see the current state.'], commands: [again('Plan again', plan)], finished: true };
    case 'stale': return { ...base, title: 'Not executed: a connection changed since the preview', tone: 'warning', lines: ['Plan again to see the current state.', ...peopleLines(record)], commands: [again('Plan again', plan)], finished: true };
  }
}

export function approvalCard(record: ApprovalRecord, plan: Plan, options: { viewer?: ApprovalPerson; notice?: CardNotice; progress?: { done: number; total: number }; report?: RunReport } = {}): CommandCardReply {
  const state = approvalState(record, plan, options.viewer, options.progress, options.report);
  const withNotice = options.notice ? { ...state, lines: [`⛔ ${options.notice.text}`, ...state.lines] } : state;
  const pending = record.state === 'proposed' ? { pending: { requesterId: record.requester.id, approvedBy: record.approvers.map((a) => a.id) } } : {};
  return { text: `Plan ${plan.id}: ${withNotice.title}`, view: { template: 'plan-preview', model: buildPlanView(plan, withNotice) }, ...pending };
}
