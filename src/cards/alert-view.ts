/**
 * The alert cards' view models: one finding (cards/alert.json), a list of findings — digest, reminder, resolved,
 * or the findings in `alerts status` (cards/alert-list.json, cards/alert-status.json). Every button sends a normal
 * command (imBack) as the person who taps it, so a fix goes plan → preview → approval like any typed command.
 * Lists are cut by a byte budget, never by luck, so any names fit under Teams' ~28 KB.
 */
import type { AlertBatch } from '../domain/alert-delivery';
import type { Finding, FindingKind, FindingThresholds, Severity } from '../domain/findings';
import type { CardJson } from '../commands/command';
import { cardText, formatUtc, plural, quoteArg } from './format';
import { renderCard } from './render';

export interface CardAction {
  title: string;
  command: string;
}

const KIND_TITLE: Readonly<Record<FindingKind, string>> = {
  failed: 'Connection failed',
  'secret-expiring': 'Secret expiring',
  'secret-expired': 'Secret expired',
  unused: 'Connection unused',
  'retiring-issuer': 'Issuer retiring',
  'revert-deadline': 'Revert window closing',
};

const SEVERITY_COLOR: Readonly<Record<Severity, string>> = { critical: 'Attention', warning: 'Warning', info: 'Default' };

/** What to do about it, in one line: the buttons below do the first thing said. */
function advice(f: Finding): string {
  switch (f.kind) {
    case 'failed':
      return f.suggestedAction === 'rotate'
        ? 'Rotate its secret (the usual cause), or open it to see why it failed.'
        : 'Open it to see why it failed; delete it if no pipeline needs it.';
    case 'secret-expiring':
    case 'secret-expired':
      return 'Rotate the secret, or convert the connection to workload identity federation so there is no secret to expire.';
    case 'unused':
      return 'Delete it if no pipeline needs it: an unused credential is only something to leak.';
    case 'retiring-issuer':
      return 'In Azure DevOps, open the connection and choose Update to move it to the Entra issuer before 2027-07-01 (scbot does not make this change).';
    case 'revert-deadline':
      return 'After that the conversion can no longer be undone. Revert only if pipelines broke after it.';
  }
}

const NAME_MAX = 80;
const DETAIL_MAX = 200;
const COMMAND_MAX = 300;
const DATE_MAX = 40;

/** The commands an alert's buttons send, first the usual fix. Names are quoted as the parser expects. */
export function findingActions(f: Finding): CardAction[] {
  const target = `${quoteArg(f.name)} in ${quoteArg(f.project)}`;
  const action = (title: string, verb: string): CardAction => ({ title, command: cardText(`${verb} ${target}`, COMMAND_MAX) });
  const show = action('Show', 'show');
  switch (f.kind) {
    case 'failed':
      return f.suggestedAction === 'rotate' ? [action('Rotate', 'rotate'), show, action('Delete', 'delete')] : [show, action('Delete', 'delete')];
    case 'secret-expiring':
    case 'secret-expired':
      return [action('Rotate', 'rotate'), action('Convert', 'convert'), show];
    case 'unused':
      return [action('Delete', 'delete'), show];
    case 'retiring-issuer':
      return [show];
    case 'revert-deadline':
      return [show, action('Revert', 'revert')];
  }
}

export interface AlertView {
  label: string;
  title: string;
  color: string;
  detail: string;
  advice: string;
  facts: { title: string; value: string }[];
  actions: CardAction[];
}

function when(f: Finding): { title: string; value: string }[] {
  const out: { title: string; value: string }[] = [];
  // Bounded like every outside string: a date that does not parse is shown as given, so it must not be unbounded.
  const due = f.dueAt === undefined ? undefined : cardText(formatUtc(f.dueAt) ?? '', DATE_MAX);
  const since = f.since === undefined ? undefined : cardText(formatUtc(f.since) ?? '', DATE_MAX);
  if (due) out.push({ title: f.kind === 'revert-deadline' ? 'Window closes' : f.kind === 'retiring-issuer' ? 'Stops working' : 'Expires', value: due });
  // Azure DevOps does not say when a connection failed; its last modification is what is known.
  if (since) out.push({ title: f.kind === 'unused' ? 'Last used' : f.kind === 'failed' ? 'Last modified' : 'Since', value: since });
  return out;
}

export function buildAlertView(f: Finding, label: 'New alert' | 'Changed' | 'Reminder' = 'New alert'): AlertView {
  return {
    label,
    title: cardText(`${KIND_TITLE[f.kind]}: ${f.name}`, NAME_MAX + 30),
    color: SEVERITY_COLOR[f.severity],
    detail: cardText(f.detail, DETAIL_MAX),
    advice: advice(f),
    facts: [{ title: 'Connection', value: cardText(f.name, NAME_MAX) }, { title: 'Project', value: cardText(f.project, NAME_MAX) }, ...when(f)],
    actions: findingActions(f),
  };
}

export interface AlertRow {
  heading: string;
  text: string;
  color: string;
  /** Tapping the row sends this: the usual fix (or `show` for resolved ones). */
  command: string;
}

export interface AlertListView {
  title: string;
  color: string;
  summary: string;
  rows: AlertRow[];
  hasMore: boolean;
  moreText: string;
  actions: CardAction[];
}

/** Row bytes in the card (text plus ~250 bytes of markup each); the rest is counted, not shown. */
const ROWS_BUDGET = 16_000;
const ROW_MARKUP_BYTES = 250;
/** A chat card, not a report: the worst first, the rest counted (`alerts status` and `list failed` go further). */
const LIST_ROWS_MAX = 15;
const STATUS_ROWS_MAX = 10;

function rowOf(f: Finding, resolved: boolean): AlertRow {
  const [first] = findingActions(f);
  return {
    heading: cardText(`${resolved ? 'Resolved' : KIND_TITLE[f.kind]}: ${f.name} (${f.project})`, NAME_MAX * 2 + 30),
    text: cardText(f.detail, DETAIL_MAX),
    color: resolved ? 'Good' : SEVERITY_COLOR[f.severity],
    command: resolved || !first ? cardText(`show ${quoteArg(f.name)} in ${quoteArg(f.project)}`, COMMAND_MAX) : first.command,
  };
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** Worst first, then by name, then project: the top of the card is what to fix first. */
function ordered(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.name.localeCompare(b.name) || a.project.localeCompare(b.project) || a.key.localeCompare(b.key));
}

export function alertRows(findings: readonly Finding[], resolved = false, max = LIST_ROWS_MAX): { rows: AlertRow[]; more: number } {
  const rows: AlertRow[] = [];
  let bytes = 0;
  for (const f of ordered(findings)) {
    const row = rowOf(f, resolved);
    const size = Buffer.byteLength(JSON.stringify(row), 'utf8') * 2 + ROW_MARKUP_BYTES;
    if (rows.length >= max || bytes + size > ROWS_BUDGET) break;
    rows.push(row);
    bytes += size;
  }
  return { rows, more: findings.length - rows.length };
}

const STATUS_ACTION: CardAction = { title: 'alerts status', command: 'alerts status' };

export function buildAlertListView(kind: AlertBatch['kind'], findings: readonly Finding[]): AlertListView {
  const resolved = kind === 'resolved';
  const { rows, more } = alertRows(findings, resolved);
  const worst = ordered(findings)[0];
  const title = kind === 'new' ? `${plural(findings.length, 'new alert')}` : kind === 'reminder' ? `Still open: ${plural(findings.length, 'alert')}` : `Resolved: ${plural(findings.length, 'alert')}`;
  const summary = resolved ? 'These are fine now; nothing to do.' : 'Tap a row to start its fix: you get the usual preview, and nothing changes until someone approves it.';
  return {
    title, summary, rows,
    color: resolved ? 'Good' : worst ? SEVERITY_COLOR[worst.severity] : 'Default',
    hasMore: more > 0,
    moreText: `…and ${more} more. Say \`alerts status\` for the counts, or \`list failed\` for the failed connections.`,
    actions: resolved ? [STATUS_ACTION] : [STATUS_ACTION, { title: 'list failed', command: 'list failed' }],
  };
}

/** One chat message of a delivery, with the batches (or part of one) it tells, so each is recorded only once sent. */
export interface AlertMessage {
  reply: { text: string; card: CardJson };
  batches: AlertBatch[];
}

function single(f: Finding, label: 'New alert' | 'Changed'): { text: string; card: CardJson } {
  const view = buildAlertView(f, label);
  return { text: `${view.title} (${cardText(f.project, NAME_MAX)}). ${view.detail}`, card: renderCard('alert', view) };
}

function list(kind: AlertBatch['kind'], findings: readonly Finding[]): { text: string; card: CardJson } {
  const view = buildAlertListView(kind, findings);
  const names = ordered(findings).slice(0, 3).map((f) => cardText(f.name, 40)).join(', ');
  return { text: `${view.title}: ${names}${findings.length > 3 ? ', …' : ''}`, card: renderCard('alert-list', view) };
}

/** New findings one card each (a digest above `digestOver`), then a reminder digest, then the resolved ones. */
export function alertMessages(batches: readonly AlertBatch[], rules: { digestOver: number }): AlertMessage[] {
  const messages: AlertMessage[] = [];
  for (const batch of batches) {
    if (batch.kind === 'new' && batch.findings.length <= rules.digestOver) {
      const changed = new Set(batch.changed);
      for (const f of batch.findings) {
        messages.push({ reply: single(f, changed.has(f.key) ? 'Changed' : 'New alert'), batches: [{ kind: 'new', findings: [f], changed: changed.has(f.key) ? [f.key] : [] }] });
      }
    } else {
      messages.push({ reply: list(batch.kind, batch.findings), batches: [batch] });
    }
  }
  return messages;
}

/** What `alerts status` shows, read from the radar (structural, so the cards do not depend on src/alerts). */
export interface AlertStatusInput {
  subscribed?: { by: string; at: string };
  subscriptions: number;
  settings: { intervalMinutes: number; reminderHours: number; digestOver: number; thresholds: FindingThresholds; checkUnused: boolean; projects: readonly string[] };
  lastScan?: {
    startedAt: string; finishedAt: string; ok: boolean; errorCode?: string; findings: readonly Finding[];
    stats?: { connections: number; calls: { devopsProjects: number; devopsList: number; devopsHistory: number; graph: number }; notes: readonly { code: string; subject: string; read: string }[] };
  };
}

export interface AlertStatusView {
  title: string;
  color: string;
  stateText: string;
  facts: { title: string; value: string }[];
  hasFindings: boolean;
  findingsTitle: string;
  rows: AlertRow[];
  hasMore: boolean;
  moreText: string;
  actions: CardAction[];
}

function countsByKind(findings: readonly Finding[]): string {
  const counts = new Map<FindingKind, number>();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${KIND_TITLE[kind].toLowerCase()} ${n}`).join(' · ') || 'none';
}

function scanFacts(input: AlertStatusInput): { title: string; value: string }[] {
  const scan = input.lastScan;
  if (!scan) return [{ title: 'Last scan', value: 'none yet' }];
  const facts = [{ title: 'Last scan', value: `${formatUtc(scan.startedAt) ?? scan.startedAt}${scan.ok ? '' : ` — failed (${scan.errorCode ?? 'unknown'}); previous findings kept`}` }];
  if (scan.stats) {
    const c = scan.stats.calls;
    facts.push({ title: 'Scanned', value: `${plural(scan.stats.connections, 'connection')}; calls: ${c.devopsList + c.devopsProjects} list, ${c.graph} Graph, ${c.devopsHistory} history` });
    if (scan.stats.notes.length) {
      const first = scan.stats.notes.slice(0, 3).map((n) => `${n.read} ${cardText(n.subject, 40)}: ${n.code}`).join('; ');
      facts.push({ title: 'Could not read', value: `${first}${scan.stats.notes.length > 3 ? `; +${scan.stats.notes.length - 3} more` : ''} (findings there kept)` });
    }
  }
  facts.push({ title: 'Open findings', value: countsByKind(scan.findings) });
  return facts;
}

export function buildAlertStatusView(input: AlertStatusInput): AlertStatusView {
  const s = input.settings;
  const t = s.thresholds;
  const checks = [
    'failed', `secrets expiring within ${plural(t.expiringWithinDays, 'day')}`, s.checkUnused ? `unused for ${plural(t.unusedDays, 'day')}` : undefined,
    'retiring Azure DevOps issuer', `revert window closing within ${plural(t.revertWithinHours, 'hour')}`,
  ].filter(Boolean).join(', ');
  const facts = [
    { title: 'Watching', value: s.projects.length ? cardText(s.projects.join(', '), 300) : 'every project the bot can see' },
    { title: 'Checks', value: checks },
    { title: 'Schedule', value: s.intervalMinutes > 0 ? `every ${plural(s.intervalMinutes, 'minute')}` : 'not scheduled (say `alerts scan`)' },
    { title: 'Reminders', value: s.reminderHours > 0 ? `open findings again after ${plural(s.reminderHours, 'hour')}` : 'never' },
    { title: 'Subscribed', value: `${plural(input.subscriptions, 'conversation')}` },
    ...scanFacts(input),
  ].map((f) => ({ title: f.title, value: cardText(f.value, 400) }));
  const findings = input.lastScan?.findings ?? [];
  const { rows, more } = alertRows(findings, false, STATUS_ROWS_MAX);
  const on = input.subscribed;
  return {
    title: on ? 'Alerts are on in this conversation' : 'Alerts are off in this conversation',
    color: on ? 'Good' : 'Default',
    stateText: on ? cardText(`Turned on by ${on.by || 'someone'} on ${formatUtc(on.at) ?? on.at}.`, 200) : 'Say `alerts on` to get a card here when a connection fails or is about to break.',
    facts,
    hasFindings: rows.length > 0,
    findingsTitle: `Open findings (${findings.length})`,
    rows,
    hasMore: more > 0,
    moreText: `…and ${more} more.`,
    actions: [on ? { title: 'alerts off', command: 'alerts off' } : { title: 'alerts on', command: 'alerts on' }, { title: 'alerts scan', command: 'alerts scan' }],
  };
}

export function alertStatusSummary(view: AlertStatusView): string {
  return `${view.title}. ${view.findingsTitle}.`;
}
