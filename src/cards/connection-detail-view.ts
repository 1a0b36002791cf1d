import type { ExecutionRecord, ServiceEndpoint } from '../domain/endpoint';
import {
  authScheme, connectionState, creationMode, federationIssuer, isSharedEndpoint, readKey, usesRetiringIssuer,
} from '../domain/endpoint';
import { isSecretParameter, redactEndpoint } from '../domain/redaction';
import { quoteArg } from '../domain/command-line';
import { formatUtc, truncate } from './format';
import { inlineCode, outsideText, visibleText } from './outside-text';
import { AUTO_DISABLE_DAYS, daysUntilAutoDisable, disabledBy, disabledByText } from '../domain/disable';
import { outsideChangeText, type OutsideChange } from '../domain/connection-change';
import type { CardAction } from './command-action';
import { detailActions } from './connection-detail-actions';

/** Within this many days of the automatic disable, `show` says so (the radar's own threshold is a setting). */
const AUTO_DISABLE_WARN_DAYS = 20;

/** The old Azure DevOps token issuer stops issuing on this date (azure-devops-api-facts.md §7.3). */
export const RETIRING_ISSUER_DATE = '2027-07-01';
export const DETAIL_EXECUTIONS = 5;
/**
 * Characters shown of what the service sends: a failure message (Entra errors can run to kilobytes), each fact,
 * the title. With 4-byte characters everywhere the card still stays well under Teams' ~28 KB.
 */
const FAILURE_MAX = 1_200;
const FACT_MAX = 150;
const TITLE_MAX = 150;
const SHORT_MAX = 60;

export interface DetailViewInput {
  endpoint: ServiceEndpoint;
  /** The project the connection was looked up in (its name there is the title). */
  project: string;
  executions: readonly ExecutionRecord[];
  now: Date;
  /** The last change made outside the bot, as the Azure DevOps audit log told the inventory. */
  outsideChange?: OutsideChange;
  /** Found by searching every project (the inventory did not know the name): said, since it took longer. */
  searchedNote?: string;
  /** When its app's last secret ends, as the radar's last scan read it (only secrets ending soon are findings). */
  secretEnds?: { at: string; scannedAt: string };
}

export interface DetailView {
  title: string;
  /** The name as a notification shows it (plain text, not markdown). */
  plainTitle: string;
  subtitle: string;
  hasFailure: boolean;
  failure: string;
  warnings: { text: string }[];
  facts: { title: string; value: string }[];
  hasExecutions: boolean;
  executions: { text: string }[];
  /** Small print: how the connection was found. */
  notes: { text: string }[];
  /** What the person can do next: the changes its state allows (src/cards/connection-detail-actions.ts). */
  actions: CardAction[];
}

/** Non-secret authorization parameters, read by name; anything secret-looking is skipped even if asked for. */
function param(endpoint: ServiceEndpoint, key: string): string | undefined {
  if (isSecretParameter(key)) return undefined;
  return readKey(endpoint.authorization?.parameters ?? undefined, key) ?? undefined;
}

function sharedProjects(endpoint: ServiceEndpoint): string {
  const refs = endpoint.serviceEndpointProjectReferences ?? [];
  return refs.map((r) => (r.name && r.name !== endpoint.name ? `${r.projectReference.name ?? r.projectReference.id} (as ${r.name})` : r.projectReference.name ?? r.projectReference.id)).join(', ');
}

function secretFact(secret: DetailViewInput['secretEnds'], now: Date): string | undefined {
  if (!secret) return undefined;
  const ended = Date.parse(secret.at) <= now.getTime();
  return `${ended ? 'ended' : 'ends'} ${formatUtc(secret.at) ?? secret.at} (my scan of ${formatUtc(secret.scannedAt) ?? secret.scannedAt})`;
}

function factsOf(e: ServiceEndpoint, project: string, now: Date, change: OutsideChange | undefined, secret?: DetailViewInput['secretEnds']): DetailView['facts'] {
  const data = e.data ?? undefined;
  const deadline = readKey(data, 'revertSchemeDeadline');
  const candidates: [string, string | undefined][] = [
    ['Project', project],
    ['Type', e.type],
    ['URL', e.url],
    ['Scheme', authScheme(e)],
    ['Auth type', param(e, 'authenticationType')],
    ['Tenant', param(e, 'tenantid')],
    ['Client id', param(e, 'serviceprincipalid')],
    ['Scope', param(e, 'scope')],
    ['Subscription', readKey(data, 'subscriptionName') ?? readKey(data, 'subscriptionId')],
    ['Creation mode', creationMode(e)],
    ['State', connectionState(e)],
    ['Shared', isSharedEndpoint(e) ? `yes: ${sharedProjects(e)}` : 'no'],
    ['WIF issuer', federationIssuer(e)],
    ['WIF subject', param(e, 'workloadIdentityFederationSubject')],
    ['Client secret', secretFact(secret, now)],
    ['Revert possible until', deadline ? `${formatUtc(deadline)}${new Date(deadline) < now ? ' (expired)' : ''}` : undefined],
    ['Created', formatUtc(e.creationDate)],
    ['Changed outside the bot', change ? outsideChangeText(change, now) : undefined],
    ['Id', e.id],
  ];
  return candidates.filter((c): c is [string, string] => typeof c[1] === 'string' && c[1] !== '').map(([title, value]) => ({ title, value: outsideText(value, FACT_MAX) }));
}

function warningsOf(e: ServiceEndpoint, input: DetailViewInput): DetailView['warnings'] {
  const warnings: { text: string }[] = [];
  if (usesRetiringIssuer(e)) {
    warnings.push({ text: `Uses the Azure DevOps token issuer (${outsideText(federationIssuer(e) ?? '', FACT_MAX)}), which retires on ${RETIRING_ISSUER_DATE}. Move it to the Entra issuer before then: say ${inlineCode(`migrate issuer ${quoteArg(e.name)} in ${quoteArg(input.project)}`, FACT_MAX)}.` });
  }
  if (e.isOutdated) warnings.push({ text: 'Azure DevOps marks this connection as outdated.' });
  const newest = input.executions[0];
  const newestRun = newest ? newest.finishTime ?? newest.startTime : undefined;
  if (e.isDisabled) {
    // The audit log's word on who disabled it, when it told; otherwise what the read suggests.
    const told = input.outsideChange?.action === 'disabled' ? outsideChangeText(input.outsideChange, input.now) : undefined;
    const by = told ?? disabledByText(disabledBy(e, newestRun, input.now));
    warnings.push({ text: `Disabled: ${outsideText(by, FACT_MAX)}. Pipelines that use it fail until it is enabled (say ${inlineCode(`enable ${quoteArg(e.name)} in ${quoteArg(input.project)}`, FACT_MAX)}).` });
  } else {
    const left = daysUntilAutoDisable(e, newestRun, input.now);
    if (left !== undefined && left <= AUTO_DISABLE_WARN_DAYS) warnings.push({ text: `Unused for ${AUTO_DISABLE_DAYS - left} days: Azure DevOps disables it ${left > 0 ? `in ${left} days` : 'at its next sweep'}.` });
  }
  return warnings;
}

const RESULT_ICON: Record<string, string> = { succeeded: '✅', succeededwithissues: '⚠️', failed: '❌', canceled: '⏹️', skipped: '⏭️', abandoned: '⏹️' };

function executionText(r: ExecutionRecord): { text: string } {
  const raw = String(r.result ?? 'unknown');
  const result = outsideText(raw, SHORT_MAX);
  const icon = RESULT_ICON[raw.toLowerCase()] ?? '•';
  const when = outsideText(formatUtc(r.finishTime ?? r.startTime) ?? 'time unknown', SHORT_MAX);
  return { text: `${icon} ${result} · ${outsideText(r.definitionName ?? 'unnamed pipeline', FACT_MAX)} · ${when}` };
}

export function buildDetailView(input: DetailViewInput): DetailView {
  // Redact again here: the view must be safe even if a caller hands in an unredacted endpoint.
  const e = redactEndpoint(input.endpoint);
  const state = connectionState(e);
  const failure = state === 'Failed' ? outsideText(String(e.operationStatus?.statusMessage ?? 'No reason given by Azure DevOps.'), FAILURE_MAX) : '';
  const executions = input.executions.slice(0, DETAIL_EXECUTIONS).map(executionText);
  return {
    title: outsideText(e.name, TITLE_MAX),
    subtitle: `${outsideText(e.type, SHORT_MAX)} · ${outsideText(authScheme(e), SHORT_MAX)} · ${state} · ${outsideText(input.project, SHORT_MAX)}`,
    plainTitle: visibleText(e.name, TITLE_MAX),
    hasFailure: failure !== '',
    failure,
    warnings: warningsOf(e, input),
    facts: factsOf(e, input.project, input.now, input.outsideChange, input.secretEnds),
    hasExecutions: executions.length > 0,
    executions,
    notes: input.searchedNote ? [{ text: input.searchedNote }] : [],
    actions: detailActions(e, input.project, input.now),
  };
}

export function detailSummaryText(view: DetailView): string {
  return `${view.plainTitle}: ${view.subtitle}${view.hasFailure ? ` · failed: ${truncate(view.failure, 160)}` : ''}`;
}
