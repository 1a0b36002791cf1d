/**
 * Pieces of the health picture shared by the `health` card and the top of `alerts status`: open findings by
 * severity (a donut where Teams draws charts, a FactSet where it does not) and the countdown to the day the Azure
 * DevOps issuer stops working. Chart data carries its own colours: charts are drawings, not text.
 */
import type { Finding, Severity } from '../domain/findings';
import { daysUntilIssuerRetirement } from '../domain/issuer';
import { plural, TONE_ICON } from './format';

export interface Fact {
  title: string;
  value: string;
}

/** One slice of a Chart.Donut; `color` is one of Teams' chart colours (good, warning, attention, neutral, …). */
export interface DonutSlice {
  legend: string;
  value: number;
  color: string;
}

export interface SeveritySection {
  hasFindings: boolean;
  severityTitle: string;
  severityData: DonutSlice[];
  severityFacts: Fact[];
  /** "🛑 3 critical · ⚠️ 5 warning · ℹ️ 20 info": the same counts in one line. */
  severityLine: string;
}

const SEVERITIES: ReadonlyArray<{ severity: Severity; legend: string; color: string; icon: string }> = [
  { severity: 'critical', legend: 'Critical', color: 'attention', icon: TONE_ICON.critical },
  { severity: 'warning', legend: 'Warning', color: 'warning', icon: TONE_ICON.warning },
  { severity: 'info', legend: 'Info', color: 'neutral', icon: TONE_ICON.info },
];

export function severitySection(findings: readonly Finding[]): SeveritySection {
  const counts = SEVERITIES.map((s) => ({ ...s, value: findings.filter((f) => f.severity === s.severity).length }));
  return {
    hasFindings: findings.length > 0,
    severityTitle: `Open findings by severity (${findings.length})`,
    // A slice of 0 draws nothing and clutters the legend.
    severityData: counts.filter((c) => c.value > 0).map((c) => ({ legend: c.legend, value: c.value, color: c.color })),
    severityFacts: counts.map((c) => ({ title: `${c.icon} ${c.legend}`, value: String(c.value) })),
    severityLine: counts.map((c) => `${c.icon} ${c.value} ${c.legend.toLowerCase()}`).join(' · '),
  };
}

/** Connections still on the retiring issuer, and the days left to move them. */
export function issuerCountdown(now: string, findings: readonly Finding[]): { text: string; left: number; movable: number } {
  const onIssuer = findings.filter((f) => f.kind === 'retiring-issuer');
  const left = new Set(onIssuer.map((f) => f.endpointId.toLowerCase())).size;
  const movable = new Set(onIssuer.filter((f) => f.refused?.migrate === undefined).map((f) => f.endpointId.toLowerCase())).size;
  const date = new Date(now);
  const days = Number.isNaN(date.getTime()) ? undefined : daysUntilIssuerRetirement(date);
  const due = days === undefined ? 'The Azure DevOps issuer stops working on 2027-07-01' : `${TONE_ICON.pending} ${plural(days, 'day')} until the Azure DevOps issuer stops working (2027-07-01)`;
  const text = left === 0 ? `${due}: no connection uses it any more.`
    : `${due}: ${plural(left, 'connection')} still ${left === 1 ? 'uses' : 'use'} it${movable < left ? ` (${movable} I can move)` : ''}.`;
  return { text, left, movable };
}
