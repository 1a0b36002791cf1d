/** The `alerts status` card (cards/alert-status.json): subscription, what is watched, the last scan, open findings. */
import type { Finding, FindingThresholds } from '../domain/findings';
import { alertRows, countsByKind, type AlertRow } from './alert-view';
import { commandAction, type CardAction } from './command-action';
import { outsideText } from './outside-text';
import { issuerCountdown, severitySection, type Fact, type SeveritySection } from './health-parts';
import { cardText, formatUtc, plural, TONE_ICON } from './format';
import { ERROR_TEXT } from './error-text';
import type { ErrorCode } from '../domain/errors';

/** Rows under the health summary: the worst first; `health` and `list failed` go further. */
const STATUS_ROWS_MAX = 5;

/** What `alerts status` shows, read from the radar (structural, so the cards do not depend on src/alerts). */
export interface AlertStatusInput {
  /** When the card is drawn: the days left to the issuer retirement count from here. */
  now: string;
  subscribed?: { by: string; at: string; projects?: readonly string[] };
  subscriptions: number;
  settings: { intervalMinutes: number; reminderHours: number; digestOver: number; thresholds: FindingThresholds; checkUnused: boolean; projects: readonly string[] };
  lastScan?: {
    startedAt: string; finishedAt: string; ok: boolean; errorCode?: string; findings: readonly Finding[];
    stats?: {
      connections: number; calls: { devopsProjects: number; devopsList: number; devopsHistory: number; graph: number; devopsOpenAccess?: number };
      notes: readonly { code: string; subject: string; read: string }[];
      /** Reads the call budget left for the next scan. */
      carried?: { history: number; graph: number }; budget?: number;
    };
  };
}

export interface AlertStatusView extends SeveritySection {
  icon: string;
  title: string;
  stateText: string;
  hasScan: boolean;
  /** When the last scan ran and what it found, in words (codes and call counts are in the details). */
  scanLine: string;
  issuerText: string;
  /** What is watched and how the last scan went, call counts and error codes included: behind "Show details". */
  detailFacts: Fact[];
  hasFindings: boolean;
  findingsTitle: string;
  rows: AlertRow[];
  hasMore: boolean;
  moreText: string;
  actions: CardAction[];
}

type ScanInput = NonNullable<AlertStatusInput['lastScan']>;

/** The last scan in words: when, how many connections, what it found; a failure by what it means, not its code. */
function scanLine(scan: ScanInput | undefined, findings: readonly Finding[]): string {
  if (!scan) return 'No scan yet: say `alerts scan`.';
  const when = formatUtc(scan.startedAt) ?? scan.startedAt;
  const found = countsByKind(findings) || 'nothing wrong';
  if (!scan.ok) {
    const what = ERROR_TEXT[scan.errorCode as ErrorCode]?.what ?? 'It could not read Azure DevOps.';
    return `${TONE_ICON.warning} My last scan (${when}) failed: ${what} I keep what the scan before found: ${found}.`;
  }
  const unreadable = scan.stats?.notes.length ? ` I could not read ${plural(scan.stats.notes.length, 'thing')} (see details); what was found there before is kept.` : '';
  return `Last scan ${when}${scan.stats ? ` · ${plural(scan.stats.connections, 'connection')}` : ''}: ${found}.${unreadable}`;
}

/** The scan's reads for whoever runs the bot: call counts, unread reads, and each failed read with its code. */
function scanDetails(scan: ScanInput | undefined): Fact[] {
  if (!scan) return [];
  const facts: Fact[] = scan.ok ? [] : [{ title: 'Scan failed', value: `${scan.errorCode ?? 'unknown'}; previous findings kept` }];
  if (!scan.stats) return facts;
  const c = scan.stats.calls;
  facts.push({ title: 'Calls', value: `${c.devopsList + c.devopsProjects} list, ${c.graph} Graph, ${c.devopsHistory} history${c.devopsOpenAccess ? `, ${c.devopsOpenAccess} open-access` : ''}` });
  const unread = unreadFact(scan.stats);
  if (unread) facts.push(unread);
  if (scan.stats.notes.length) {
    const first = scan.stats.notes.slice(0, 3).map((n) => `${n.read === 'list' ? 'the connections of project ' : ''}${outsideText(n.subject, 160)}: ${ERROR_TEXT[n.code as ErrorCode]?.what ?? n.code} (${n.code})`).join('; ');
    facts.push({ title: 'Could not read', value: `${first}${scan.stats.notes.length > 3 ? `; +${scan.stats.notes.length - 3} more` : ''} (findings there kept)` });
  }
  return facts;
}

/** What the call budget left for the next scan, whose findings stay as the scan before left them meanwhile. */
function unreadFact(stats: NonNullable<ScanInput['stats']>): Fact | undefined {
  const left = stats.carried;
  if (!left || left.history + left.graph === 0) return undefined;
  const what = [left.history ? `the runs of ${plural(left.history, 'connection')}` : '', left.graph ? `the secrets of ${plural(left.graph, 'app')}` : ''].filter(Boolean).join(' and ');
  return { title: 'Still unread', value: `${what}: over the budget of ${plural(stats.budget ?? 0, 'call')} per scan, read first by the next scan (findings there kept until then)` };
}

function settingsFacts(input: AlertStatusInput): Fact[] {
  const s = input.settings;
  const t = s.thresholds;
  const checks = [
    'failed', `secrets expiring within ${plural(t.expiringWithinDays, 'day')}`, s.checkUnused ? `unused for ${plural(t.unusedDays, 'day')}` : undefined,
    'retiring Azure DevOps issuer', `revert window closing within ${plural(t.revertWithinHours, 'hour')}`,
  ].filter(Boolean).join(', ');
  return [
    { title: 'Watching', value: s.projects.length ? outsideText(s.projects.join(', '), 300) : 'every project the bot can see' },
    { title: 'Checks', value: checks },
    { title: 'Schedule', value: s.intervalMinutes > 0 ? `every ${plural(s.intervalMinutes, 'minute')}` : 'not scheduled (say `alerts scan`)' },
    { title: 'Reminders', value: s.reminderHours > 0 ? `open findings again after ${plural(s.reminderHours, 'hour')}` : 'never' },
    { title: 'Subscribed', value: `${plural(input.subscriptions, 'conversation')}` },
  ];
}

export function buildAlertStatusView(input: AlertStatusInput): AlertStatusView {
  const on = input.subscribed;
  // A conversation subscribed for some projects sees what it would be sent: those projects' findings.
  const scope = on?.projects?.length ? new Set(on.projects.map((p) => p.toLowerCase())) : undefined;
  const findings = (input.lastScan?.findings ?? []).filter((f) => !scope || scope.has(f.project.toLowerCase()));
  const { rows, more } = alertRows(findings, false, STATUS_ROWS_MAX);
  const issuer = issuerCountdown(input.now, findings);
  const forWhat = on?.projects?.length ? `, for ${outsideText(on.projects.join(', '), 150)}` : '';
  return {
    icon: on ? TONE_ICON.good : TONE_ICON.info,
    title: on ? 'Alerts are on in this conversation' : 'Alerts are off in this conversation',
    stateText: on ? `Turned on by ${on.by ? outsideText(on.by, 100) : 'someone'} on ${outsideText(formatUtc(on.at) ?? on.at, 40)}${forWhat}.` : 'Say `alerts on` to get a card here when a connection fails or is about to break.',
    ...severitySection(findings),
    hasScan: input.lastScan !== undefined,
    scanLine: cardText(scanLine(input.lastScan, findings), 600),
    issuerText: issuer.text,
    detailFacts: [...settingsFacts(input), ...scanDetails(input.lastScan)].map((f) => ({ title: f.title, value: cardText(f.value, 400) })),
    findingsTitle: scope ? `Open findings in ${outsideText([...(on?.projects ?? [])].join(', '), 100)} (${findings.length})` : `Open findings (${findings.length})`,
    rows,
    hasMore: more > 0,
    moreText: `…and ${more} more. Say \`health\` for the whole picture.`,
    actions: [
      on ? { title: 'alerts off', command: 'alerts off' } : { title: 'alerts on', command: 'alerts on' }, { title: 'alerts scan', command: 'alerts scan' },
      { title: 'Health', command: 'health' },
      ...(issuer.movable > 0 ? [{ title: 'migrate issuer all', command: 'migrate issuer all' }] : []),
    ].map(commandAction),
  };
}

export function alertStatusSummary(view: AlertStatusView): string {
  return `${view.title}. ${view.findingsTitle}.`;
}
