/**
 * Alert findings: what the scanner reports about a connection, decided by pure functions from what was read
 * (the list, an app's passwordCredentials, the newest execution record). Thresholds are parameters so tests
 * and configuration choose them; nothing here reads the clock or does I/O.
 */
import { AUTO_DISABLE_DAYS } from './disable';
import { authScheme, federationIssuer, isFailed, readKey, usesRetiringIssuer, type ServiceEndpoint } from './endpoint';
import { scrubText, secretValuesOf } from './redaction';
import { DAY_MS } from './time';
import { cutAtWord } from './text';

export type FindingKind = 'failed' | 'secret-expiring' | 'secret-expired' | 'unused' | 'retiring-issuer' | 'revert-deadline' | 'will-be-disabled' | 'disabled' | 'open-to-all';
export type Severity = 'critical' | 'warning' | 'info';
export type SuggestedAction = 'rotate' | 'convert' | 'delete' | 'show' | 'revert' | 'enable' | 'restrict' | 'migrate';

export interface Finding {
  /** Stable identity across scans: kind + endpointId, or `secret:` + endpointId + keyId for the secret kinds. */
  key: string;
  kind: FindingKind;
  endpointId: string;
  name: string;
  project: string;
  /** Short, human, never a secret. */
  detail: string;
  /** ISO instant the condition started (failed since, unused since), when known. */
  since?: string;
  /** ISO instant something happens (secret expires, revert window closes, issuer retires). */
  dueAt?: string;
  severity: Severity;
  suggestedAction: SuggestedAction;
  /**
   * Fixes an alert could offer for this connection that the bot's own planners would refuse, with their reason (a
   * multitenant app keeps the Azure DevOps issuer; a Manual connection cannot be converted): such a fix is never
   * offered as a button. Decided by the scan with the planners' eligibility checks; absent when all are accepted.
   */
  refused?: Partial<Record<GatedFix, string>>;
}

/** The fixes whose eligibility depends on the connection, so an alert offers them only when the planner would accept. */
export type GatedFix = 'rotate' | 'convert' | 'migrate';

export interface FindingThresholds {
  expiringWithinDays: number;
  unusedDays: number;
  revertWithinHours: number;
  /** Warn when unused this many days, before the service disables it at 100 (0 = off). */
  disableWarnDays: number;
}

export const DEFAULT_THRESHOLDS: Readonly<FindingThresholds> = Object.freeze({ expiringWithinDays: 14, unusedDays: 90, revertWithinHours: 72, disableWarnDays: 80 });

/** The Azure DevOps WIF issuer stops issuing tokens on this day (azure-devops-api-facts.md §7.3). */
export const ISSUER_RETIREMENT = '2027-07-01T00:00:00.000Z';

const HOUR_MS = 3_600_000;
const MAX_DETAIL = 160;

/** Where the connection was seen: its id, display name and the project it was listed in. */
export interface Subject {
  endpointId: string;
  name: string;
  project: string;
}

export function subjectOf(endpoint: ServiceEndpoint, project: string): Subject {
  return { endpointId: endpoint.id, name: endpoint.name, project };
}

/**
 * An expiring secret that then expires is the same problem getting worse, not a new one resolved by another:
 * both kinds share the `secret:` key, so the change is posted as "changed" rather than "resolved" plus "new".
 */
function finding(subject: Subject, kind: FindingKind, rest: Omit<Finding, 'key' | 'kind' | keyof Subject>, keyId?: string): Finding {
  const key = keyId ? `secret:${subject.endpointId}:${keyId}` : `${kind}:${subject.endpointId}`;
  return { key, kind, ...subject, ...rest };
}

function isoOf(value: string | Date | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A status message may echo a parameter value: the connection's own secrets scrubbed, one line, cut at a word. */
export function safeStatus(endpoint: ServiceEndpoint): string {
  const raw = String(endpoint.operationStatus?.statusMessage ?? '').trim();
  const text = scrubText(raw, secretValuesOf(endpoint)).replace(/\s+/g, ' ');
  return cutAtWord(text, MAX_DETAIL);
}

/** Findings that need nothing but the list call: failed, retiring issuer, revert deadline. */
export function listFindings(endpoint: ServiceEndpoint, project: string, now: Date, thresholds: FindingThresholds): Finding[] {
  const subject = subjectOf(endpoint, project);
  const found: Finding[] = [];
  if (isFailed(endpoint)) {
    const status = safeStatus(endpoint);
    found.push(finding(subject, 'failed', {
      detail: status ? `Failed: ${status}` : 'Failed (no status message).', since: isoOf(endpoint.modificationDate),
      severity: 'critical', suggestedAction: usesSecret(endpoint) ? 'rotate' : 'show',
    }));
  }
  if (usesRetiringIssuer(endpoint)) {
    found.push(finding(subject, 'retiring-issuer', {
      detail: `Uses the retiring Azure DevOps issuer ${federationIssuer(endpoint) ?? ''}; it stops working on 2027-07-01.`,
      dueAt: ISSUER_RETIREMENT, severity: 'warning', suggestedAction: 'migrate',
    }));
  }
  const revert = revertFinding(endpoint, subject, now, thresholds);
  if (revert) found.push(revert);
  if (endpoint.isDisabled === true) {
    found.push(finding(subject, 'disabled', {
      detail: 'Disabled: pipelines that use it fail with "…has been disabled or has not been authorized for use".',
      since: isoOf(endpoint.modificationDate), severity: 'warning', suggestedAction: 'enable',
    }));
  }
  return found;
}

/** Open to every pipeline of the project (seed 004 says: authorize each pipeline instead). */
export function openToAllFinding(subject: Subject): Finding {
  return finding(subject, 'open-to-all', {
    detail: 'Open to all pipelines: any pipeline in the project, present or future, can use it.', severity: 'info', suggestedAction: 'restrict',
  });
}

function revertFinding(endpoint: ServiceEndpoint, subject: Subject, now: Date, thresholds: FindingThresholds): Finding | undefined {
  if (authScheme(endpoint).toLowerCase() !== 'workloadidentityfederation') return undefined;
  const deadline = isoOf(readKey(endpoint.data ?? undefined, 'revertSchemeDeadline'));
  if (!deadline) return undefined;
  const left = new Date(deadline).getTime() - now.getTime();
  // A closed window is no longer actionable: revert would be refused, so nothing to warn about.
  if (left <= 0 || left > thresholds.revertWithinHours * HOUR_MS) return undefined;
  return finding(subject, 'revert-deadline', {
    detail: `The window to revert the conversion closes in ${Math.floor(left / HOUR_MS)} hours.`,
    dueAt: deadline, severity: 'warning', suggestedAction: 'revert',
  });
}

/** A ServicePrincipal connection that authenticates with a client secret (spnKey). */
export function usesSecret(endpoint: ServiceEndpoint): boolean {
  if (authScheme(endpoint).toLowerCase() !== 'serviceprincipal') return false;
  const params = endpoint.authorization?.parameters ?? undefined;
  const type = readKey(params, 'authenticationType')?.toLowerCase();
  // Older shapes (e.g. ACR registries) omit authenticationType; the key parameter is there, masked to null when listed.
  return type === 'spnkey' || (type === undefined && readKey(params, 'serviceprincipalkey') !== undefined);
}

/** The app whose passwordCredentials decide the secret findings, or undefined when none are needed. */
export function secretAppId(endpoint: ServiceEndpoint): string | undefined {
  if (!usesSecret(endpoint)) return undefined;
  return readKey(endpoint.authorization?.parameters ?? undefined, 'serviceprincipalid')?.toLowerCase() || undefined;
}

export interface PasswordExpiry {
  keyId: string;
  endDateTime?: string;
}

/**
 * The secret that decides when the connection breaks: the one that lasts longest. Undefined when nothing expires
 * (no secret at all, or one without an end date).
 */
export function lastSecret(passwords: readonly PasswordExpiry[]): { keyId: string; end: Date } | undefined {
  const dated = passwords.filter((p) => isoOf(p.endDateTime) !== undefined).map((p) => ({ keyId: p.keyId, end: new Date(p.endDateTime ?? '') }));
  if (dated.length === 0 || dated.length < passwords.length) return undefined;
  return dated.reduce((a, b) => (b.end.getTime() > a.end.getTime() ? b : a));
}

/**
 * The connection holds one of its app's secrets and we cannot tell which, so we judge the one that lasts longest:
 * when even that expires soon (or has expired) the connection breaks; a fresh secret next to an old one is fine.
 */
export function secretFindings(subject: Subject, passwords: readonly PasswordExpiry[], now: Date, thresholds: FindingThresholds): Finding[] {
  const last = lastSecret(passwords);
  if (!last) return [];
  const left = last.end.getTime() - now.getTime();
  const dueAt = last.end.toISOString();
  if (left <= 0) {
    return [finding(subject, 'secret-expired', { detail: `Its app's secret expired on ${dueAt.slice(0, 10)}.`, dueAt, severity: 'critical', suggestedAction: 'rotate' }, last.keyId)];
  }
  if (left > thresholds.expiringWithinDays * DAY_MS) return [];
  const days = Math.floor(left / DAY_MS);
  const when = days >= 1 ? `in ${days} day${days === 1 ? '' : 's'}` : 'within a day';
  return [finding(subject, 'secret-expiring', { detail: `Its app's secret expires ${when} (${dueAt.slice(0, 10)}).`, dueAt, severity: 'warning', suggestedAction: 'rotate' }, last.keyId)];
}

/** Only a connection older than the threshold can have been unused that long; failed and disabled ones already have a finding. */
export function couldBeUnused(endpoint: ServiceEndpoint, now: Date, thresholds: FindingThresholds, days = thresholds.unusedDays): boolean {
  if (isFailed(endpoint) || endpoint.isDisabled === true) return false;
  const created = isoOf(endpoint.creationDate);
  return created === undefined || now.getTime() - new Date(created).getTime() >= days * DAY_MS;
}

/**
 * Unused for `disableWarnDays` but not yet 100 (and enabled): the service disables it at 100 days. This supersedes
 * the plain "unused" finding, whose only fix is Delete: a connection about to be disabled may still be wanted.
 */
export function willBeDisabledFinding(subject: Subject, lastUsed: string | undefined, createdAt: string | Date | null | undefined, now: Date, thresholds: FindingThresholds): Finding | undefined {
  if (thresholds.disableWarnDays <= 0) return undefined;
  const since = isoOf(lastUsed) ?? isoOf(createdAt);
  if (since === undefined) return undefined;
  const idle = now.getTime() - new Date(since).getTime();
  // Still enabled after 100 idle days: something reset the service's count (a re-enable, or its sweep has not come
  // by), so the day it disables it is not known; the plain "unused" finding says what is known.
  if (idle < thresholds.disableWarnDays * DAY_MS || idle >= AUTO_DISABLE_DAYS * DAY_MS) return undefined;
  const dueAt = new Date(new Date(since).getTime() + AUTO_DISABLE_DAYS * DAY_MS).toISOString();
  const left = Math.floor((new Date(dueAt).getTime() - now.getTime()) / DAY_MS);
  const when = left > 0 ? `in ${left} day${left === 1 ? '' : 's'}` : 'within a day';
  return finding(subject, 'will-be-disabled', {
    detail: `Unused for ${Math.floor(idle / DAY_MS)} days: Azure DevOps disables it ${when} (after ${AUTO_DISABLE_DAYS} days unused).`,
    since, dueAt, severity: 'warning', suggestedAction: 'show',
  });
}

/** `lastUsed` is the newest execution record's time, undefined when there is none; `createdAt` the fallback start. */
export function unusedFinding(subject: Subject, lastUsed: string | undefined, createdAt: string | Date | null | undefined, now: Date, thresholds: FindingThresholds): Finding | undefined {
  const since = isoOf(lastUsed) ?? isoOf(createdAt);
  if (since !== undefined && now.getTime() - new Date(since).getTime() < thresholds.unusedDays * DAY_MS) return undefined;
  const days = since === undefined ? undefined : Math.floor((now.getTime() - new Date(since).getTime()) / DAY_MS);
  // Never used: `since` is its creation, so the card's "Unused since" is true either way.
  const detail = lastUsed ? `Not used by any pipeline for ${days} days.` : `Never used by any pipeline${days === undefined ? '' : ` in the ${days} days since it was created`}.`;
  return finding(subject, 'unused', { detail, since, severity: 'info', suggestedAction: 'delete' });
}

export interface FindingsDiff {
  new: Finding[];
  changed: Finding[];
  resolved: Finding[];
  unchanged: Finding[];
}

/** What makes a finding worth re-posting: not the detail text (its "in 5 days" moves daily), only its state. */
function stateOf(f: Finding): string {
  return `${f.kind}|${f.severity}|${f.dueAt ?? ''}|${f.since ?? ''}|${f.suggestedAction}`;
}

/** Compares two scans by key: `resolved` holds the previous findings that are gone now. */
export function diffFindings(previous: readonly Finding[], current: readonly Finding[]): FindingsDiff {
  const before = new Map(previous.map((f) => [f.key, f]));
  const diff: FindingsDiff = { new: [], changed: [], resolved: [], unchanged: [] };
  const seen = new Set<string>();
  for (const f of current) {
    seen.add(f.key);
    const old = before.get(f.key);
    if (!old) diff.new.push(f);
    else if (stateOf(old) !== stateOf(f)) diff.changed.push(f);
    else diff.unchanged.push(f);
  }
  diff.resolved = previous.filter((f) => !seen.has(f.key));
  return diff;
}
