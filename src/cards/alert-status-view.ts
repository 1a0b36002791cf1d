/** The `alerts status` card (cards/alert-status.json): subscription, what is watched, the last scan, open findings. */
import type { Finding, FindingKind, FindingThresholds } from '../domain/findings';
import { alertRows, KIND_TITLE, type AlertRow } from './alert-view';
import { commandAction, type CardAction } from './command-action';
import { outsideText } from './outside-text';
import { daysUntilIssuerRetirement } from '../domain/issuer';
import { cardText, formatUtc, plural, TONE_ICON } from './format';
import { ERROR_TEXT } from './error-text';
import type { ErrorCode } from '../domain/errors';

const STATUS_ROWS_MAX = 10;

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

export interface AlertStatusView {
  icon: string;
  title: string;
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
    facts.push({ title: 'Scanned', value: `${plural(scan.stats.connections, 'connection')}; calls: ${c.devopsList + c.devopsProjects} list, ${c.graph} Graph, ${c.devopsHistory} history${c.devopsOpenAccess ? `, ${c.devopsOpenAccess} open-access` : ''}` });
    const unread = unreadFact(scan.stats);
    if (unread) facts.push(unread);
    if (scan.stats.notes.length) {
      const first = scan.stats.notes.slice(0, 3).map((n) => `${n.read === 'list' ? 'the connections of project ' : ''}${outsideText(n.subject, 160)}: ${ERROR_TEXT[n.code as ErrorCode]?.what ?? n.code} (${n.code})`).join('; ');
      facts.push({ title: 'Could not read', value: `${first}${scan.stats.notes.length > 3 ? `; +${scan.stats.notes.length - 3} more` : ''} (findings there kept)` });
    }
  }
  facts.push({ title: 'Found', value: countsByKind(scan.findings) });
  return facts;
}

/** What the call budget left for the next scan, whose findings stay as the scan before left them meanwhile. */
function unreadFact(stats: NonNullable<NonNullable<AlertStatusInput['lastScan']>['stats']>): { title: string; value: string } | undefined {
  const left = stats.carried;
  if (!left || left.history + left.graph === 0) return undefined;
  const what = [left.history ? `the runs of ${plural(left.history, 'connection')}` : '', left.graph ? `the secrets of ${plural(left.graph, 'app')}` : ''].filter(Boolean).join(' and ');
  return { title: 'Still unread', value: `${what}: over the budget of ${plural(stats.budget ?? 0, 'call')} per scan, read first by the next scan (findings there kept until then)` };
}

/** How many connections the last scan found on the retiring Azure DevOps issuer, and the days left to move them. */
function issuerFact(input: AlertStatusInput, findings: readonly Finding[]): { fact: { title: string; value: string }; left: number } | undefined {
  if (!input.lastScan) return undefined;
  const left = new Set(findings.filter((f) => f.kind === 'retiring-issuer').map((f) => f.endpointId.toLowerCase())).size;
  const now = new Date(input.now);
  const days = Number.isNaN(now.getTime()) ? undefined : daysUntilIssuerRetirement(now);
  const due = days === undefined ? 'it stops working on 2027-07-01' : `${plural(days, 'day')} to 2027-07-01`;
  const value = left ? `${plural(left, 'connection')} still on the Azure DevOps issuer; ${due} (say \`migrate issuer all\`)` : `no connection left on the Azure DevOps issuer (${due})`;
  return { fact: { title: 'Issuer retiring', value }, left };
}

export function buildAlertStatusView(input: AlertStatusInput): AlertStatusView {
  const s = input.settings;
  const t = s.thresholds;
  const checks = [
    'failed', `secrets expiring within ${plural(t.expiringWithinDays, 'day')}`, s.checkUnused ? `unused for ${plural(t.unusedDays, 'day')}` : undefined,
    'retiring Azure DevOps issuer', `revert window closing within ${plural(t.revertWithinHours, 'hour')}`,
  ].filter(Boolean).join(', ');
  const on = input.subscribed;
  // A conversation subscribed for some projects sees what it would be sent: those projects' findings.
  const scope = on?.projects?.length ? new Set(on.projects.map((p) => p.toLowerCase())) : undefined;
  const findings = (input.lastScan?.findings ?? []).filter((f) => !scope || scope.has(f.project.toLowerCase()));
  const { rows, more } = alertRows(findings, false, STATUS_ROWS_MAX);
  const issuer = issuerFact(input, findings);
  const facts = [
    { title: 'Watching', value: s.projects.length ? outsideText(s.projects.join(', '), 300) : 'every project the bot can see' },
    { title: 'Checks', value: checks },
    { title: 'Schedule', value: s.intervalMinutes > 0 ? `every ${plural(s.intervalMinutes, 'minute')}` : 'not scheduled (say `alerts scan`)' },
    { title: 'Reminders', value: s.reminderHours > 0 ? `open findings again after ${plural(s.reminderHours, 'hour')}` : 'never' },
    { title: 'Subscribed', value: `${plural(input.subscriptions, 'conversation')}` },
    ...scanFacts(input),
    ...(issuer ? [issuer.fact] : []),
  ].map((f) => ({ title: f.title, value: cardText(f.value, 400) }));
  const forWhat = on?.projects?.length ? `, for ${outsideText(on.projects.join(', '), 150)}` : '';
  return {
    icon: on ? TONE_ICON.good : TONE_ICON.info,
    title: on ? 'Alerts are on in this conversation' : 'Alerts are off in this conversation',
    stateText: on ? `Turned on by ${on.by ? outsideText(on.by, 100) : 'someone'} on ${outsideText(formatUtc(on.at) ?? on.at, 40)}${forWhat}.` : 'Say `alerts on` to get a card here when a connection fails or is about to break.',
    facts,
    hasFindings: rows.length > 0,
    findingsTitle: scope ? `Open findings in ${outsideText([...(on?.projects ?? [])].join(', '), 100)} (${findings.length})` : `Open findings (${findings.length})`,
    rows,
    hasMore: more > 0,
    moreText: `…and ${more} more.`,
    actions: [
      on ? { title: 'alerts off', command: 'alerts off' } : { title: 'alerts on', command: 'alerts on' }, { title: 'alerts scan', command: 'alerts scan' },
      ...(issuer?.left ? [{ title: 'migrate issuer all', command: 'migrate issuer all' }] : []),
    ].map(commandAction),
  };
}

export function alertStatusSummary(view: AlertStatusView): string {
  return `${view.title}. ${view.findingsTitle}.`;
}
