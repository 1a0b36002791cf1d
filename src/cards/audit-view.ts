/**
 * The audit card's view model: newest events first, each saying when, what, who (display name and Entra
 * object id), which plan and connections, and the outcome. Kept under Teams' ~28 KB by a byte budget: events
 * that do not fit are counted and the card says how to narrow the question. Names, commands, reasons and ids come
 * from outside (people, Azure DevOps, what was typed): each goes through outsideText.
 */
import type { AuditActor, AuditEvent, AuditKind } from '../domain/audit';
import { formatUtc, plural, TONE_ICON } from './format';
import { outsideText } from './outside-text';

/**
 * Every event is one row of the same format (icon, when, what, which connection, who, plan); the details — Entra
 * object id, fingerprint, command, conversation, correlation — are behind Show details for the newest ones that fit
 * DETAIL_BUDGET. Rows and details together stay under Teams' 28 KB even for long Unicode names.
 */
const DETAIL_BUDGET = 10_000;
const DETAIL_MAX = 15;
const ROW_MARKUP_BYTES = 220;
const ROWS_BUDGET = 13_000;
const CONNECTIONS_SHOWN = 3;
const NAME_MAX = 60;
const COMMAND_MAX = 100;

const LABEL: Record<AuditKind, string> = {
  requested: 'Requested', approved: 'Approved', rejected: 'Rejected', expired: 'Expired', stale: 'Not executed', executed: 'Executed', refused: 'Refused',
  called: 'Agent call',
};

export interface AuditEventView {
  heading: string;
  text: string;
  /** The element Show details toggles; rows past the detail budget have none. */
  hasDetails: boolean;
  detailId: string;
}

export interface AuditView {
  title: string;
  summary: string;
  empty: boolean;
  emptyText: string;
  events: AuditEventView[];
  hasDetails: boolean;
  detailIds: string[];
  hasMore: boolean;
  moreText: string;
}

export interface AuditViewInput {
  events: readonly AuditEvent[];
  /** What was asked, e.g. "sc-prod" or "plan P-…"; undefined = everything. */
  subject?: string;
  /** The `last N` asked for (events holds at most that many). */
  last: number;
}

/**
 * A rejection by the requester is a cancel: the plan card says "Cancelled by …" then, and so does the trail (one
 * word per state in both places).
 */
const CANCELLED = 'CANCELLED_BY_REQUESTER';
const DECISION_WORDS = new Map<string, string>([[CANCELLED, 'cancelled by the requester'], ['REJECTED_BY_APPROVER', 'rejected by an approver']]);
const labelOf = (event: AuditEvent): string => (event.kind === 'rejected' && event.reason === CANCELLED ? 'Cancelled' : LABEL[event.kind]);

function iconOf(event: AuditEvent): string {
  if (event.kind === 'executed') return event.outcome?.status === 'done' ? TONE_ICON.good : event.outcome?.status === 'failed' ? TONE_ICON.attention : TONE_ICON.warning;
  if (event.kind === 'called') return event.reason ? TONE_ICON.warning : TONE_ICON.info;
  return event.kind === 'requested' || event.kind === 'approved' ? TONE_ICON.info : TONE_ICON.warning;
}

function personText(actor: AuditActor): string {
  const name = outsideText(actor.name || actor.id, NAME_MAX);
  const app = actor.appId ? `, app ${outsideText(actor.appId, NAME_MAX)}` : '';
  return actor.aadObjectId ? `${name} (Entra object ${actor.aadObjectId}${app})` : `${name} (no Entra object id; user ${outsideText(actor.id, NAME_MAX)})`;
}

/** An execution is the bot's, on people's approval: "By scbot (the bot, with its own identity), approved by …, requested by …". */
function whoText(event: AuditEvent): string {
  if (!event.requestedBy) return `By ${personText(event.actor)}`;
  const approved = event.approvedBy?.length ? `, approved by ${event.approvedBy.map(personText).join(' and ')}` : '';
  return `By ${outsideText(event.actor.name, NAME_MAX)} (the bot, with its own identity)${approved}, requested by ${personText(event.requestedBy)}`;
}

/** The row's who: the actor, and for an execution the approver it ran for. */
function rowWho(event: AuditEvent): string {
  const actor = outsideText(event.actor.name || event.actor.id, 30);
  const approver = event.approvedBy?.at(-1);
  return approver ? `${actor}, approved by ${outsideText(approver.name || approver.id, 30)}` : actor;
}

function connectionsText(event: AuditEvent): string {
  if (event.connections.length === 0) return '';
  const shown = event.connections.slice(0, CONNECTIONS_SHOWN).map((c) => `${outsideText(c.name, NAME_MAX)} (${outsideText(c.project, NAME_MAX)})`);
  const more = event.connections.length - shown.length;
  return `Connections: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function resultText(event: AuditEvent): string {
  if (event.outcome) return `Outcome: ${event.outcome.status}${event.outcome.reason ? ` (${outsideText(event.outcome.reason, 300)})` : ''}`;
  return event.reason ? `Reason: ${outsideText(DECISION_WORDS.get(event.reason) ?? event.reason, 300)}` : '';
}

/** Under a policy file: the rules (or freezes) that decided, and the file's version (a hash: which file it was). */
function policyText(event: AuditEvent): string {
  if (!event.policy) return '';
  const rules = event.policy.rules.length ? event.policy.rules.map((r) => outsideText(r, NAME_MAX)).join(', ') : 'none';
  return `Policy rules: ${rules} · version ${outsideText(event.policy.version, 80)}`;
}

/** The details of one event (behind Show details): who exactly, which plan revision, where, and the outcome. */
export function detailText(event: AuditEvent): string {
  const command = event.command ? ` · ${outsideText(event.command, COMMAND_MAX)}` : '';
  const plan = `Plan ${event.planId}${event.planFingerprint ? ` (fingerprint ${event.planFingerprint})` : ''}${command}`;
  const lines = [whoText(event), plan, connectionsText(event), resultText(event), policyText(event), `Conversation ${event.conversation.type} · correlation ${outsideText(event.correlationId, NAME_MAX)}`];
  return lines.filter(Boolean).join('\n\n');
}

const bytes = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

/** "✅ 2026-11-22 06:00 UTC · Executed: done · sc-prod · Blake · P-…": every event's row, enough to find it again. */
export function rowLine(event: AuditEvent): string {
  const status = event.outcome ? `: ${event.outcome.status}` : '';
  const first = event.connections[0];
  const what = first ? `${outsideText(first.name, 40)}${event.connections.length > 1 ? ` +${event.connections.length - 1}` : ''}` : event.kind === 'called' ? outsideText(event.command, 40) : event.planId;
  return `${iconOf(event)} ${[formatUtc(event.at) ?? event.at, `${labelOf(event)}${status}`, event.operation, what, rowWho(event), event.planId].filter(Boolean).join(' · ')}`;
}

/** One row per event while the rows fit; details for the newest DETAIL_MAX that fit their own budget. */
function layout(events: readonly AuditEvent[]): AuditEventView[] {
  const rows: AuditEventView[] = [];
  let rowsUsed = 0;
  let detailsUsed = 0;
  for (const event of events) {
    const heading = rowLine(event);
    rowsUsed += bytes(heading) + ROW_MARKUP_BYTES;
    if (rowsUsed > ROWS_BUDGET) break;
    const text = detailText(event);
    const fits = rows.length < DETAIL_MAX && detailsUsed + bytes(text) <= DETAIL_BUDGET;
    if (fits) detailsUsed += bytes(text);
    rows.push({ heading, text: fits ? text : '', hasDetails: fits, detailId: `audit-${rows.length}` });
  }
  return rows;
}

export function buildAuditView(input: AuditViewInput): AuditView {
  const about = input.subject ? ` for ${outsideText(input.subject, NAME_MAX)}` : '';
  const rows = layout(input.events);
  const hidden = input.events.length - rows.length;
  const detailIds = rows.filter((r) => r.hasDetails).map((r) => r.detailId);
  return {
    title: `Audit trail${about}`,
    summary: input.events.length ? `${plural(input.events.length, 'event')}, newest first (last ${input.last} asked).` : '',
    empty: input.events.length === 0,
    emptyText: `No audit events${about}.`,
    events: rows,
    hasDetails: detailIds.length > 0,
    detailIds,
    hasMore: hidden > 0,
    moreText: `${plural(hidden, 'older event')} not shown to keep the card small: narrow the question (\`audit <name>\`, \`audit plan <id>\`).`,
  };
}

/** The one-line reply text (notification preview, and the fallback without cards). */
export function auditSummaryText(view: AuditView): string {
  return view.empty ? view.emptyText : `${view.title}: ${view.summary}`;
}
