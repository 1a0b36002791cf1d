/**
 * The alert cards' shared vocabulary and the one-finding card (cards/alert.json): titles, colours, what to do, and
 * the buttons. Every button sends a normal command (imBack) as the person who taps it, so a fix goes plan → preview
 * → approval like any typed command. Rows for the list cards are cut by a byte budget, so any names fit Teams' ~28 KB.
 */
import type { Finding, FindingKind, GatedFix, Severity } from '../domain/findings';
import { quoteArg, type CommandButton } from '../domain/command-line';
import { commandAction, type CardAction } from './command-action';
import { formatUtc, TONE_ICON } from './format';
import { outsideText, visibleText } from './outside-text';

export type { CardAction } from './command-action';

export const KIND_TITLE: Readonly<Record<FindingKind, string>> = {
  failed: 'Connection failed',
  'secret-expiring': 'Secret expiring',
  'secret-expired': 'Secret expired',
  unused: 'Connection unused',
  'retiring-issuer': 'Issuer retiring',
  'revert-deadline': 'Revert window closing',
  'will-be-disabled': 'Will be disabled',
  disabled: 'Connection disabled',
  'open-to-all': 'Open to all pipelines',
};

/** What a count of findings of one kind reads as: "3 failed · 2 with an expiring secret". */
export const KIND_COUNTED: Readonly<Record<FindingKind, string>> = {
  failed: 'failed',
  'secret-expiring': 'with a secret expiring',
  'secret-expired': 'with an expired secret',
  unused: 'unused',
  'retiring-issuer': 'on the retiring issuer',
  'revert-deadline': 'with a revert window closing',
  'will-be-disabled': 'about to be disabled',
  disabled: 'disabled',
  'open-to-all': 'open to all pipelines',
};

/** "3 failed · 2 with a secret expiring", worst kinds first; empty when there are none. */
export function countsByKind(findings: readonly Finding[]): string {
  const counts = new Map<FindingKind, number>();
  for (const f of ordered(findings)) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${KIND_COUNTED[kind]}`).join(' · ');
}

export const SEVERITY_ICON: Readonly<Record<Severity, string>> = { critical: TONE_ICON.critical, warning: TONE_ICON.warning, info: TONE_ICON.info };

/** What to do about it, in one line: the buttons below do the first thing said, and never a fix the bot would refuse. */
function advice(f: Finding): string {
  const can = (fix: GatedFix) => f.refused?.[fix] === undefined;
  switch (f.kind) {
    case 'failed':
      return f.suggestedAction === 'rotate' && can('rotate')
        ? 'Rotate its secret (the usual cause), or open it to see why it failed.'
        : 'Open it to see why it failed; delete it if no pipeline needs it.';
    case 'secret-expiring':
    case 'secret-expired':
      if (!can('rotate')) return `I cannot rotate it (${f.refused?.rotate ?? ''}): open it to see what it uses.`;
      return can('convert')
        ? 'Rotate the secret, or convert the connection to workload identity federation so there is no secret to expire.'
        : 'Rotate the secret. (It cannot be converted to workload identity federation as it is: open it to see why.)';
    case 'unused':
      return 'Delete it if no pipeline needs it: an unused credential is only something to leak.';
    case 'retiring-issuer':
      return can('migrate')
        ? 'Move it to the Entra issuer before 2027-07-01: Migrate plans the move (and the federated credential, if Azure DevOps cannot make it) for approval.'
        : `I cannot move it for you: ${f.refused?.migrate ?? ''} Open it to see what it uses.`;
    case 'revert-deadline':
      return 'After that the conversion can no longer be undone. Revert only if pipelines broke after it.';
    case 'will-be-disabled':
      return 'Run a pipeline that uses it to keep it, or delete it if nothing needs it: once disabled, pipelines that use it fail.';
    case 'disabled':
      return 'Enable it if a pipeline still needs it (the preview names its last users), or delete it.';
    case 'open-to-all':
      return 'Restrict it to the pipelines that used it in the last 90 days (the preview lists them), or see who has access.';
  }
}

export const NAME_MAX = 80;
const DETAIL_MAX = 200;
/** A row of a list says why in a sentence or so; its alert card and `show` have the whole text. */
const ROW_DETAIL_MAX = 110;
const DATE_MAX = 40;

/**
 * The commands an alert's buttons send, first the usual fix: names quoted exactly, and every button pinned to the
 * finding's connection id, so a junk connection named `sc-prod"` or `failed` acts on itself, never on another.
 */
export function findingButtons(f: Finding): CommandButton[] {
  const target = `${quoteArg(f.name)} in ${quoteArg(f.project)}`;
  const action = (title: string, verb: string): CommandButton => ({ title, command: `${verb} ${target}`, target: { connectionId: f.endpointId } });
  // A fix the planner would refuse for this connection (the scan asked it) is not offered at all.
  const gated = (fix: GatedFix, title: string, verb: string): CommandButton[] => (f.refused?.[fix] === undefined ? [action(title, verb)] : []);
  const show = action('Show', 'show');
  switch (f.kind) {
    case 'failed':
      return [...(f.suggestedAction === 'rotate' ? gated('rotate', 'Rotate', 'rotate') : []), show, action('Delete', 'delete')];
    case 'secret-expiring':
    case 'secret-expired':
      return [...gated('rotate', 'Rotate', 'rotate'), ...gated('convert', 'Convert', 'convert'), show];
    case 'unused':
      return [show, action('Delete', 'delete')];
    case 'retiring-issuer':
      return [...gated('migrate', 'Migrate', 'migrate issuer'), show];
    case 'revert-deadline':
      return [show, action('Revert', 'revert')];
    case 'will-be-disabled':
      return [show, action('Delete', 'delete')];
    case 'disabled':
      return [action('Enable', 'enable'), action('Delete', 'delete'), show];
    case 'open-to-all':
      return [action('Restrict', 'restrict'), action('Access', 'access')];
  }
}

export function findingActions(f: Finding): CardAction[] {
  return findingButtons(f).map(commandAction);
}

export interface AlertView {
  label: string;
  /** Severity shown by icon, not text colour (see TONE_ICON). */
  icon: string;
  title: string;
  detail: string;
  advice: string;
  facts: { title: string; value: string }[];
  actions: CardAction[];
}

function when(f: Finding): { title: string; value: string }[] {
  const out: { title: string; value: string }[] = [];
  // Bounded like every outside string: a date that does not parse is shown as given, so it must not be unbounded.
  const due = f.dueAt === undefined ? undefined : outsideText(formatUtc(f.dueAt) ?? '', DATE_MAX);
  const since = f.since === undefined ? undefined : outsideText(formatUtc(f.since) ?? '', DATE_MAX);
  if (due) out.push({ title: f.kind === 'revert-deadline' ? 'Window closes' : f.kind === 'retiring-issuer' ? 'Stops working' : f.kind === 'will-be-disabled' ? 'Disabled on' : 'Expires', value: due });
  // Azure DevOps does not say when a connection failed; its last modification is what is known.
  // Unused: `since` is the last use, or the creation of one never used; "Unused since" is true of both.
  if (since) out.push({ title: f.kind === 'unused' || f.kind === 'will-be-disabled' ? 'Unused since' : f.kind === 'failed' || f.kind === 'disabled' ? 'Last modified' : 'Since', value: since });
  return out;
}

export function buildAlertView(f: Finding, label: 'New alert' | 'Changed' | 'Reminder' = 'New alert'): AlertView {
  return {
    label,
    icon: SEVERITY_ICON[f.severity],
    title: `${KIND_TITLE[f.kind]}: ${outsideText(f.name, NAME_MAX)}`,
    detail: outsideText(f.detail, DETAIL_MAX),
    advice: advice(f),
    // The id beside the name: two connections can look alike, never share an id.
    facts: [{ title: 'Connection', value: outsideText(f.name, NAME_MAX) }, { title: 'Id', value: outsideText(f.endpointId, NAME_MAX) }, { title: 'Project', value: outsideText(f.project, NAME_MAX) }, ...when(f)],
    actions: findingActions(f),
  };
}

export interface AlertRow extends CardAction {
  icon: string;
  heading: string;
  text: string;
  /** False for a row that only counts (the unused connections): tapping it does nothing. */
  tap: boolean;
}

/** Row bytes in the card (text plus ~250 bytes of markup each); the rest is counted, not shown. */
const ROWS_BUDGET = 16_000;
const ROW_MARKUP_BYTES = 250;
/** A chat card, not a report: the worst first, the rest counted (`alerts status` and `list failed` go further). */
const LIST_ROWS_MAX = 8;
/** Names written out in a grouped row; the rest are counted. */
const UNUSED_NAMES = 5;

/**
 * Tapping the row sends the usual fix, pinned like the alert's buttons; `show` for resolved ones. Never a delete: a
 * tap on a line of a list is too easy to make for what removes a connection (Delete is a button on the alert).
 */
function rowOf(f: Finding, resolved: boolean): AlertRow {
  const first = findingButtons(f).find((b) => !b.command.startsWith('delete '));
  const tap = resolved || !first ? { title: 'Show', command: `show ${quoteArg(f.name)} in ${quoteArg(f.project)}`, target: { connectionId: f.endpointId } } : first;
  return {
    ...commandAction(tap),
    title: visibleText(tap.command, NAME_MAX * 2 + 30),
    icon: resolved ? TONE_ICON.good : SEVERITY_ICON[f.severity],
    heading: `${resolved ? 'Resolved' : KIND_TITLE[f.kind]}: ${outsideText(f.name, NAME_MAX)} (${outsideText(f.project, NAME_MAX)})`,
    text: `${resolved ? `No longer reported (it was: ${KIND_TITLE[f.kind].toLowerCase()})` : outsideText(f.detail, ROW_DETAIL_MAX)} · id ${outsideText(f.endpointId, NAME_MAX)}`,
    tap: true,
  };
}

/** Kinds told in one row each, whatever their number: they concern many connections and share one remedy. */
const GROUPED_KINDS = ['will-be-disabled', 'unused'] as const;
type GroupedKind = (typeof GROUPED_KINDS)[number];

const GROUP_WORDS: Readonly<Record<GroupedKind, { what: string; why: string }>> = {
  'will-be-disabled': {
    what: 'about to be disabled',
    why: 'Azure DevOps disables a connection no pipeline used for 100 days: run a pipeline that needs one to keep it, or delete it (`delete <name>`)',
  },
  unused: {
    what: 'unused',
    why: 'No pipeline used them for months, or ever. Delete the ones nothing needs (`delete <name>`): an unused credential is only something to leak',
  },
};

/**
 * Every finding of a grouped kind in one row: a digest of 27 alerts used to be 20 "unused → tap to delete" lines and
 * ten "will be disabled" ones. The row names a few and says what to do; it sends nothing when tapped.
 */
function groupRow(kind: GroupedKind, found: readonly Finding[], resolved: boolean): AlertRow {
  const names = ordered(found).slice(0, UNUSED_NAMES).map((f) => `${outsideText(f.name, NAME_MAX)} (${outsideText(f.project, NAME_MAX)})`);
  const more = found.length > UNUSED_NAMES ? `, and ${found.length - UNUSED_NAMES} more` : '';
  const count = `${found.length} ${found.length === 1 ? 'connection' : 'connections'} ${GROUP_WORDS[kind].what}`;
  const heading = resolved ? `Resolved: ${count}` : count.charAt(0).toUpperCase() + count.slice(1);
  const text = resolved ? `No longer reported: ${names.join(', ')}${more}.` : `${names.join(', ')}${more}. ${GROUP_WORDS[kind].why}.`;
  const icon = resolved ? TONE_ICON.good : SEVERITY_ICON[ordered(found)[0]?.severity ?? 'info'];
  return { title: '', command: '', commandText: '', data: { command: '' }, icon, heading, text, tap: false };
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** Worst first, then by name, then project: the top of the card is what to fix first. */
export function ordered(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.name.localeCompare(b.name) || a.project.localeCompare(b.project) || a.key.localeCompare(b.key));
}

export function alertRows(findings: readonly Finding[], resolved = false, max = LIST_ROWS_MAX): { rows: AlertRow[]; more: number } {
  const isGrouped = (f: Finding): boolean => (GROUPED_KINDS as readonly string[]).includes(f.kind);
  const grouped = GROUPED_KINDS.flatMap((kind) => {
    const found = findings.filter((f) => f.kind === kind);
    return found.length ? [groupRow(kind, found, resolved)] : [];
  });
  const rows: AlertRow[] = [];
  // The grouped rows always show (last: they are the least urgent), so their room is kept.
  let bytes = grouped.reduce((n, row) => n + Buffer.byteLength(JSON.stringify(row), 'utf8') + ROW_MARKUP_BYTES, 0);
  const room = max - grouped.length;
  for (const f of ordered(findings.filter((x) => !isGrouped(x)))) {
    const row = rowOf(f, resolved);
    // What the template draws of a row: each field once (the command itself only inside `data`).
    const { command: _sent, ...drawn } = row;
    const size = Buffer.byteLength(JSON.stringify(drawn), 'utf8') + ROW_MARKUP_BYTES;
    if (rows.length >= room || bytes + size > ROWS_BUDGET) break;
    rows.push(row);
    bytes += size;
  }
  const shown = rows.length + findings.filter(isGrouped).length;
  return { rows: [...rows, ...grouped], more: findings.length - shown };
}
