/**
 * The audit card's view model: newest events first, each saying when, what, who (display name and Entra
 * object id), which plan and connections, and the outcome. Kept under Teams' ~28 KB by a byte budget: events
 * that do not fit are counted and the card says how to narrow the question.
 */
import type { AuditEvent, AuditKind } from '../domain/audit';
import { formatUtc, plural, TONE_ICON, truncate } from './format';

/**
 * UTF-8 bytes for the detailed events (with ~200 bytes of template markup each) and for the one-line rest:
 * together with the card's frame this stays under Teams' 28 KB even for long Unicode names.
 */
const DETAIL_BUDGET = 12_000;
const DETAIL_MAX = 15;
const EVENT_MARKUP_BYTES = 200;
const COMPACT_BUDGET = 13_000;
const CONNECTIONS_SHOWN = 3;
const NAME_MAX = 60;
const COMMAND_MAX = 100;

const LABEL: Record<AuditKind, string> = {
  requested: 'Requested', approved: 'Approved', rejected: 'Rejected', expired: 'Expired', stale: 'Stale', executed: 'Executed', refused: 'Refused',
};

export interface AuditEventView {
  heading: string;
  text: string;
}

export interface AuditView {
  title: string;
  summary: string;
  empty: boolean;
  emptyText: string;
  events: AuditEventView[];
  /** Older events past the detailed ones, one line each. */
  hasCompact: boolean;
  compact: string;
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

function iconOf(event: AuditEvent): string {
  if (event.kind === 'executed') return event.outcome?.status === 'done' ? TONE_ICON.good : event.outcome?.status === 'failed' ? TONE_ICON.attention : TONE_ICON.warning;
  return event.kind === 'requested' || event.kind === 'approved' ? TONE_ICON.info : TONE_ICON.warning;
}

function whoText(event: AuditEvent): string {
  const name = truncate(event.actor.name || event.actor.id, NAME_MAX);
  return event.actor.aadObjectId ? `By ${name} (Entra object ${event.actor.aadObjectId})` : `By ${name} (no Entra object id; user ${truncate(event.actor.id, NAME_MAX)})`;
}

function connectionsText(event: AuditEvent): string {
  if (event.connections.length === 0) return '';
  const shown = event.connections.slice(0, CONNECTIONS_SHOWN).map((c) => `${truncate(c.name, NAME_MAX)} (${truncate(c.project, NAME_MAX)})`);
  const more = event.connections.length - shown.length;
  return `Connections: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function resultText(event: AuditEvent): string {
  if (event.outcome) return `Outcome: ${event.outcome.status}${event.outcome.reason ? ` (${event.outcome.reason})` : ''}`;
  return event.reason ? `Reason: ${event.reason}` : '';
}

export function toAuditEventView(event: AuditEvent): AuditEventView {
  const command = event.command ? ` · \`${truncate(event.command, COMMAND_MAX).replace(/`/g, "'")}\`` : '';
  const plan = `Plan ${event.planId}${event.planFingerprint ? ` (fingerprint ${event.planFingerprint})` : ''}${command}`;
  const lines = [whoText(event), plan, connectionsText(event), resultText(event), `Conversation ${event.conversation.type} · correlation ${truncate(event.correlationId, NAME_MAX)}`];
  return {
    heading: `${iconOf(event)} ${[formatUtc(event.at) ?? event.at, LABEL[event.kind], event.operation].filter(Boolean).join(' · ')}`,
    text: lines.filter(Boolean).join('\n\n'),
  };
}

const bytes = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

/** "2026-11-22 06:00 UTC · Executed: failed · sc-prod · Blake · P-…": enough to find the event again. */
export function compactLine(event: AuditEvent): string {
  const status = event.outcome ? `: ${event.outcome.status}` : '';
  const first = event.connections[0];
  const what = first ? `${truncate(first.name, 40)}${event.connections.length > 1 ? ` +${event.connections.length - 1}` : ''}` : event.planId;
  return [formatUtc(event.at) ?? event.at, `${LABEL[event.kind]}${status}`, what, truncate(event.actor.name || event.actor.id, 30), event.planId].join(' · ');
}

/** Detailed events first (as many as fit), then one line each, then a count of what did not fit. */
function layout(events: readonly AuditEvent[]): { detailed: AuditEventView[]; compact: string[] } {
  const detailed: AuditEventView[] = [];
  const compact: string[] = [];
  let used = 0;
  let compactUsed = 0;
  for (const event of events) {
    const view = toAuditEventView(event);
    const size = bytes(view) + EVENT_MARKUP_BYTES;
    if (compact.length === 0 && detailed.length < DETAIL_MAX && used + size <= DETAIL_BUDGET) {
      detailed.push(view);
      used += size;
      continue;
    }
    const line = compactLine(event);
    compactUsed += bytes(line) + 2;
    if (compactUsed > COMPACT_BUDGET) break;
    compact.push(line);
  }
  return { detailed, compact };
}

export function buildAuditView(input: AuditViewInput): AuditView {
  const about = input.subject ? ` for ${truncate(input.subject, NAME_MAX)}` : '';
  const { detailed, compact } = layout(input.events);
  const hidden = input.events.length - detailed.length - compact.length;
  return {
    title: `Audit trail${about}`,
    summary: input.events.length ? `${plural(input.events.length, 'event')}, newest first (last ${input.last} asked).` : '',
    empty: input.events.length === 0,
    emptyText: `No audit events${about}.`,
    events: detailed,
    hasCompact: compact.length > 0,
    compact: compact.map((line) => `• ${line}`).join('\n\n'),
    hasMore: hidden > 0,
    moreText: `${plural(hidden, 'older event')} not shown to keep the card small: narrow the question (\`audit <name>\`, \`audit plan <id>\`).`,
  };
}

/** The one-line reply text (notification preview, and the fallback without cards). */
export function auditSummaryText(view: AuditView): string {
  return view.empty ? view.emptyText : `${view.title}: ${view.summary}`;
}
