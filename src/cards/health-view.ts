/**
 * The `health` card (cards/health.json): the picture a platform lead wants on one screen, from the radar's last scan
 * and its daily records. Open findings by severity and by project, the share of connections without a secret,
 * secrets running out week by week, the trend over the last weeks and the issuer countdown. Every chart has a
 * FactSet fallback: Teams draws Chart.* elements (card 1.5), other hosts and older clients draw the facts.
 */
import type { ConnectionCensus } from '../domain/census';
import type { Finding } from '../domain/findings';
import type { CardAction } from './command-action';
import { commandAction } from './command-action';
import { formatUtc, plural } from './format';
import { issuerCountdown, severitySection, type Fact, type SeveritySection } from './health-parts';
import { outsideText, visibleText } from './outside-text';
import { WHATS_BROKEN } from './help-view';

/** One day of the trend (src/alerts/health-history.ts), structural so the cards do not depend on src/alerts. */
export interface HealthDayInput {
  day: string;
  critical: number;
  warning: number;
  info: number;
}

export interface HealthInput {
  now: string;
  scan?: { startedAt: string; ok: boolean; findings: readonly Finding[]; connections?: number; census?: ConnectionCensus };
  trend: readonly HealthDayInput[];
}

interface Bar {
  x: string;
  y: number;
}

interface Series {
  legend: string;
  color: string;
  values: Bar[];
}

export interface HealthView extends SeveritySection {
  title: string;
  subtitle: string;
  hasScan: boolean;
  projectTitle: string;
  projectData: Bar[];
  projectFacts: Fact[];
  hasCensus: boolean;
  shareTitle: string;
  shareData: Bar[];
  shareFacts: Fact[];
  hasExpiries: boolean;
  expiryTitle: string;
  expiryData: Bar[];
  expiryFacts: Fact[];
  hasTrend: boolean;
  trendTitle: string;
  trendData: Series[];
  trendFacts: Fact[];
  trendNote: string;
  issuerText: string;
  /** The hidden charts in one line: the most affected projects and the secrets ending soon. */
  moreLine: string;
  actions: CardAction[];
}

/** Projects drawn by name; the others are one bar (a chart of 200 projects reads as nothing). */
const TOP_PROJECTS = 6;
const LABEL_MAX = 24;
const TREND_DAYS = 30;
const TREND_FACT_DAYS = 7;

function byProject(findings: readonly Finding[]): { data: Bar[]; facts: Fact[] } {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.project, (counts.get(f.project) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = sorted.slice(0, TOP_PROJECTS);
  const rest = sorted.slice(TOP_PROJECTS).reduce((n, [, c]) => n + c, 0);
  const named = top.map(([project, n]) => ({ label: project, n }));
  const all = rest > 0 ? [...named, { label: `${sorted.length - TOP_PROJECTS} other projects`, n: rest }] : named;
  // Chart labels are plain text; fact titles are markdown, so outside names are escaped there.
  return { data: all.map((p) => ({ x: visibleText(p.label, LABEL_MAX), y: p.n })), facts: all.map((p) => ({ title: outsideText(p.label, 60), value: String(p.n) })) };
}

function share(census: ConnectionCensus): Pick<HealthView, 'shareTitle' | 'shareData' | 'shareFacts'> {
  const total = census.federated + census.secret + census.other;
  const percent = total ? Math.round((census.federated / total) * 100) : 0;
  const slices = [
    { legend: 'Federated (no secret)', value: census.federated },
    { legend: 'Client secret', value: census.secret },
    { legend: 'Other sign-in', value: census.other },
  ];
  return {
    shareTitle: `Without a secret: ${census.federated} of ${plural(total, 'connection')} (${percent}%)`,
    // One bar per way of signing in, each a part of the whole (Chart.HorizontalBar, PartToWhole).
    shareData: slices.map((s) => ({ x: s.legend, y: s.value })),
    shareFacts: slices.map((s) => ({ title: s.legend, value: String(s.value) })),
  };
}

function expiries(census: ConnectionCensus): Pick<HealthView, 'hasExpiries' | 'expiryTitle' | 'expiryData' | 'expiryFacts'> {
  const weeks = census.secretsByWeek;
  const total = weeks.reduce((a, b) => a + b, 0);
  const data = weeks.map((y, week) => ({ x: String(week), y }));
  return {
    hasExpiries: total > 0,
    expiryTitle: `Secrets ending in the next ${weeks.length - 1} weeks: ${total}`,
    expiryData: data,
    expiryFacts: weeks.flatMap((y, week) => (y > 0 ? [{ title: week === 0 ? 'Already ended' : `Within week ${week}`, value: plural(y, 'connection') }] : [])),
  };
}

function trend(days: readonly HealthDayInput[]): Pick<HealthView, 'hasTrend' | 'trendTitle' | 'trendData' | 'trendFacts' | 'trendNote'> {
  const shown = days.slice(-TREND_DAYS);
  const x = (d: HealthDayInput) => d.day.slice(5);
  const series = (legend: string, color: string, pick: (d: HealthDayInput) => number): Series => ({ legend, color, values: shown.map((d) => ({ x: x(d), y: pick(d) })) });
  return {
    hasTrend: shown.length >= 2,
    trendTitle: `Open findings, last ${plural(shown.length, 'day')}`,
    trendData: [series('Critical', 'attention', (d) => d.critical), series('Warning', 'warning', (d) => d.warning), series('Info', 'neutral', (d) => d.info)],
    trendFacts: shown.slice(-TREND_FACT_DAYS).reverse().map((d) => ({ title: d.day, value: `${d.critical} critical · ${d.warning} warning · ${d.info} info` })),
    trendNote: shown.length >= 2 ? '' : 'The trend shows once I have scanned on two different days.',
  };
}

function moreLine(projects: readonly Fact[], census: ConnectionCensus | undefined): string {
  const most = projects.length ? `Most findings: ${projects.slice(0, 3).map((p) => `${p.title} ${p.value}`).join(' · ')}.` : '';
  const weeks = census?.secretsByWeek ?? [];
  const ending = weeks.reduce((a, b) => a + b, 0);
  const secrets = ending ? ` Secrets ending within ${weeks.length - 1} weeks: ${ending}.` : '';
  return `${most}${secrets}`.trim();
}

const NO_CENSUS = { federated: 0, secret: 0, other: 0, secretsByWeek: [] };

export function buildHealthView(input: HealthInput): HealthView {
  const scan = input.scan;
  const findings = scan?.findings ?? [];
  const census = scan?.census;
  const projects = byProject(findings);
  const issuer = issuerCountdown(input.now, findings);
  const when = scan ? formatUtc(scan.startedAt) ?? scan.startedAt : '';
  const subtitle = !scan ? 'No scan yet: say `alerts scan` and ask again in a minute.'
    : `From my scan of ${when}${scan.connections === undefined ? '' : ` · ${plural(scan.connections, 'connection')}`}${scan.ok ? '' : ' · that scan failed, so this is what the scan before it found'}.`;
  return {
    title: 'Health of your service connections', subtitle, hasScan: scan !== undefined,
    ...severitySection(findings),
    projectTitle: 'Open findings by project', projectData: projects.data, projectFacts: projects.facts,
    hasCensus: census !== undefined,
    ...share(census ?? NO_CENSUS), ...expiries(census ?? NO_CENSUS), ...trend(input.trend),
    issuerText: issuer.text,
    moreLine: moreLine(projects.facts, census),
    actions: [
      WHATS_BROKEN, { title: 'Alerts here', command: 'alerts status' },
      ...(issuer.movable > 0 ? [{ title: 'Migrate issuer all', command: 'migrate issuer all' }] : []),
    ].map(commandAction),
  };
}

export function healthSummary(view: HealthView): string {
  // The notification text is plain: the severity icons go, the separators stay.
  return view.hasScan ? `${view.title}: ${view.severityLine.replace(/\p{Extended_Pictographic}\uFE0F?\s/gu, '')}.` : `${view.title}: ${view.subtitle}`;
}
