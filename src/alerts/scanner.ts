/**
 * The alert scanner: one list call per project (failed ones included), then only the reads a finding needs.
 * The list answers failed / retiring issuer / revert deadline by itself; Graph is read once per distinct
 * secret-based app (300 apps per call when batched); execution history only for connections old enough, and with
 * a memory of last uses only where a read could change the finding. A call budget caps every scan: reads that do
 * not fit are left for the next one (gaps, so nothing they would judge reads as resolved).
 * Full endpoint objects are dropped after each project's pass, so memory holds slim subjects, not 10,000 bodies.
 */
import { DAY_MS, type Clock } from '../domain/time';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import type { PipelineAccess } from '../devops/pipeline-access.port';
import { couldBeUnused, DEFAULT_THRESHOLDS, listFindings, openToAllFinding, secretAppId, subjectOf, usesSecret, type Finding, type FindingThresholds, type Subject } from '../domain/findings';
import { isFailed, usesRetiringIssuer, type ServiceEndpoint } from '../domain/endpoint';
import { outsideChangeText, type OutsideChange } from '../domain/connection-change';
import { err, isAppError, ok, type AppError, type Result } from '../domain/errors';
import { readSecrets, readUsage, type PasswordReader, type ScanNote, type UnusedCandidate } from './scan-reads';
import type { UsageMap, UsageMemory } from './usage-memory';
import PQueue from 'p-queue';
import { countConnection, emptyCensus, type ConnectionCensus } from '../domain/census';
import type { AppRegistrations } from '../azure/federated-identities.port';
import { IssuerIdentities, refusedFixes, withRefusals, type Refused } from './fix-checks';

export type { PasswordReader, ScanNote } from './scan-reads';

export interface ScannerOptions {
  devops: ServiceEndpoints;
  /** Graph reads; without it the secret checks are skipped. */
  passwords?: PasswordReader;
  clock: Clock;
  thresholds?: Partial<FindingThresholds>;
  /** Execution-history reads cost one call per candidate connection, so this check is opt-in. */
  checkUnused?: boolean;
  /** Configured projects; empty or absent means every project the bot can see. */
  projects?: readonly string[];
  /** Parallel Graph / history reads; default 8. */
  concurrency?: number;
  /** Connections open to all pipelines: one authorized-resources read per project; without it the check is skipped. */
  openAccess?: Pick<PipelineAccess, 'openEndpoints'>;
  /** What earlier scans learnt about last uses; without it every candidate's history is read every scan. */
  usage?: UsageMemory;
  /** Most calls one scan makes (lists first, then Graph, then history); absent = no cap. */
  callBudget?: number;
  /** A connection with an unused / will-be-disabled finding has its history read again after this; default 7 days. */
  usageRefreshMs?: number;
  /** The last change made to a connection outside the bot, as the audit log told the inventory; absent: never said. */
  outsideChange?: (endpointId: string) => OutsideChange | undefined;
  /** Graph app reads: an alert offers Migrate only when the app behind it may move (not multitenant); without it, not checked. */
  apps?: Pick<AppRegistrations, 'find'>;
}

export const DEFAULT_USAGE_REFRESH_MS = 7 * DAY_MS;

export interface ScanStats {
  calls: { devopsProjects: number; devopsList: number; devopsHistory: number; graph: number; devopsOpenAccess?: number };
  connections: number;
  notes: ScanNote[];
  /** Reads the call budget left for the next scan: connections whose history, apps whose secrets. */
  carried?: { history: number; graph: number };
  budget?: number;
  /** How the connections sign in and when their secrets end (the health card); absent in scans saved before it. */
  census?: ConnectionCensus;
}

/**
 * What this scan could not judge, so a caller comparing scans must not call those findings resolved: projects
 * whose list failed, connections whose app's secrets or execution history could not be read.
 */
export interface ScanGaps {
  projects: string[];
  secretsOf: string[];
  historyOf: string[];
  openAccessOf?: string[];
}

export interface ScanResult {
  findings: Finding[];
  stats: ScanStats;
  gaps: ScanGaps;
  /** A scan of `only` some connections: those of them it found listed (lower case); the others are gone. */
  judged?: string[];
}

interface Collected {
  findings: Finding[];
  byApp: Map<string, Subject[]>;
  unused: UnusedCandidate[];
  seen: Set<string>;
  census: ConnectionCensus;
  /** Fixes the planners would refuse, by connection id (lower case): alerts do not offer them. */
  refused: Map<string, Refused>;
}

export class AlertScanner {
  private readonly thresholds: FindingThresholds;

  constructor(private readonly options: ScannerOptions) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  }

  /**
   * `only` (connection ids, lower case): judge just those connections, by the list and their apps' secrets (what the
   * bot's own changes can fix); no history or open-access reads. The radar re-judges what a finished plan changed.
   */
  async scan(request: { projects?: readonly string[]; only?: ReadonlySet<string> } = {}): Promise<ScanResult> {
    const now = this.options.clock.now();
    const stats: ScanStats = { calls: { devopsProjects: 0, devopsList: 0, devopsHistory: 0, graph: 0, ...(this.options.openAccess ? { devopsOpenAccess: 0 } : {}) }, connections: 0, notes: [] };
    const projects = await this.projectNames(request.projects, stats);
    const collected: Collected = { findings: [], byApp: new Map(), unused: [], seen: new Set(), census: emptyCensus(), refused: new Map() };
    const issuers = this.options.apps ? new IssuerIdentities(this.options.apps) : undefined;
    const gaps: ScanGaps = { projects: [], secretsOf: [], historyOf: [], openAccessOf: [] };
    let lastFailure: unknown;
    for (const project of projects) {
      stats.calls.devopsList += 1;
      const listed = await this.listAndCollect(project, now, collected, stats, issuers, request.only);
      if (!listed.ok) {
        gaps.projects.push(project);
        lastFailure = listed.error;
        continue;
      }
      if (this.options.openAccess && !request.only) collected.findings.push(...await this.openAccess(project, listed.value, stats));
    }
    // Every project failed (bad token, org gone): nothing was judged, so the scan failed rather than came back clean.
    if (projects.length > 0 && gaps.projects.length === projects.length) throw lastFailure;
    stats.connections = collected.seen.size;
    stats.census = collected.census;
    const carried = { history: 0, graph: 0 };
    if (this.options.passwords) carried.graph = await this.secrets(this.options.passwords, collected, now, stats, gaps);
    const partial = gaps.projects.length > 0 || Boolean(request.projects?.length);
    if (this.readsHistory() && !request.only) carried.history = await this.history(collected, now, stats, gaps, partial);
    if (this.options.callBudget !== undefined) Object.assign(stats, { carried, budget: this.options.callBudget });
    gaps.openAccessOf = stats.notes.filter((n) => n.read === 'open-access').map((n) => n.subject);
    // A shared connection open to all pipelines in two projects is one finding (its key), under the first.
    const unique = new Map<string, Finding>();
    for (const f of collected.findings) if (!unique.has(f.key)) unique.set(f.key, withRefusals(f, collected.refused.get(f.endpointId.toLowerCase())));
    const judged = request.only ? { judged: [...collected.seen] } : {};
    return { findings: [...unique.values()].sort((a, b) => a.key.localeCompare(b.key)), stats, gaps, ...judged };
  }

  /** A failed or disabled connection someone changed outside the bot says who and when, first ("disabled by Ivo …"). */
  private explained(finding: Finding, now: Date): Finding {
    if (finding.kind !== 'failed' && finding.kind !== 'disabled') return finding;
    const change = this.options.outsideChange?.(finding.endpointId);
    if (!change) return finding;
    const said = outsideChangeText(change, now);
    return { ...finding, detail: `${said.charAt(0).toUpperCase()}${said.slice(1)}. ${finding.detail}` };
  }

  /** Calls the budget leaves after those made so far (lists and open access come first). */
  private left(stats: ScanStats): number {
    if (this.options.callBudget === undefined) return Number.POSITIVE_INFINITY;
    const spent = Object.values(stats.calls).reduce((a: number, b) => a + (b ?? 0), 0);
    return Math.max(0, this.options.callBudget - spent);
  }

  private context(now: Date, stats: ScanStats) {
    return { now, thresholds: this.thresholds, concurrency: this.options.concurrency ?? 8, notes: stats.notes, maxCalls: this.left(stats) };
  }

  /** Graph, within the budget; answers the apps left unread. */
  private async secrets(reader: PasswordReader, collected: Collected, now: Date, stats: ScanStats, gaps: ScanGaps): Promise<number> {
    const secrets = await readSecrets(reader, collected.byApp, { ...this.context(now, stats), census: collected.census });
    // Added to the app reads of the issuer check, made during the lists.
    stats.calls.graph += secrets.calls;
    collected.findings.push(...secrets.findings);
    gaps.secretsOf = [...secrets.failed, ...secrets.carried];
    return secrets.unread;
  }

  /** Execution history where a read could change a finding, within the budget; answers the connections left unread. */
  private async history(collected: Collected, now: Date, stats: ScanStats, gaps: ScanGaps, partial: boolean): Promise<number> {
    const known = await this.options.usage?.load();
    const checks = { thresholds: this.thresholds, checkUnused: this.options.checkUnused === true, refreshMs: this.options.usageRefreshMs ?? DEFAULT_USAGE_REFRESH_MS };
    const usage = await readUsage(this.options.devops, collected.unused, { ...this.context(now, stats), checks, ...(known ? { known } : {}) });
    stats.calls.devopsHistory = usage.calls;
    collected.findings.push(...usage.findings);
    gaps.historyOf = [...usage.failed, ...usage.carried];
    if (known) await this.options.usage?.save(this.remembered(known, collected.seen, partial));
    return usage.unread;
  }

  /** Forgets deleted connections, unless some project was not listed (its connections were not seen, not deleted). */
  private remembered(known: UsageMap, seen: ReadonlySet<string>, partial: boolean): UsageMap {
    if (partial) return known;
    return new Map([...known].filter(([id]) => seen.has(id)));
  }

  /**
   * One project's list, reduced to slim subjects before this returns. The full endpoints live only in this frame:
   * held by the caller's frame, they would still be reachable (an async function keeps its locals across an await)
   * during the open-access read and the next project's list, so a scavenge would promote 2,000 bodies, not sweep them.
   */
  private async listAndCollect(
    project: string, now: Date, into: Collected, stats: ScanStats, issuers: IssuerIdentities | undefined, only?: ReadonlySet<string>,
  ): Promise<Result<Subject[], AppError>> {
    const listed = await this.listProject(project, stats.notes);
    if (!listed.ok) return listed;
    const judged = only ? listed.value.filter((endpoint) => only.has(endpoint.id.toLowerCase())) : listed.value;
    const fresh = judged.filter((endpoint) => !into.seen.has(endpoint.id.toLowerCase()));
    const subjects = judged.map((endpoint) => this.collect(endpoint, project, now, into));
    if (issuers) await this.checkIssuerMoves(fresh, into, stats, issuers);
    return ok(subjects);
  }

  /** The issuer-move check that needs the app behind the connection: one Graph read per app, within the budget. */
  private async checkIssuerMoves(endpoints: readonly ServiceEndpoint[], into: Collected, stats: ScanStats, issuers: IssuerIdentities): Promise<void> {
    const budget = () => {
      if (this.left(stats) <= 0) return false;
      stats.calls.graph += 1;
      return true;
    };
    const queue = new PQueue({ concurrency: this.options.concurrency ?? 8 });
    await queue.addAll(endpoints.map((endpoint) => async () => {
      const id = endpoint.id.toLowerCase();
      const refused = await issuers.refine(endpoint, into.refused.get(id), budget);
      if (refused) into.refused.set(id, refused);
    }));
  }

  /** One project's list; a typed failure (forbidden, gone, throttled past retries) becomes a note, not a failed scan. */
  private async listProject(project: string, notes: ScanNote[]): Promise<Result<ServiceEndpoint[], AppError>> {
    try {
      return ok(await this.options.devops.list(project, { includeFailed: true }));
    } catch (error) {
      if (!isAppError(error)) throw error;
      notes.push({ code: error.code, subject: project, read: 'list' });
      return err(error);
    }
  }

  /** The unused and will-be-disabled checks share one newest-record read per connection old enough for either. */
  private readsHistory(): boolean {
    return this.options.checkUnused === true || this.thresholds.disableWarnDays > 0;
  }

  private historyAfterDays(): number {
    const days = [...(this.options.checkUnused ? [this.thresholds.unusedDays] : []), ...(this.thresholds.disableWarnDays > 0 ? [this.thresholds.disableWarnDays] : [])];
    return Math.min(...days);
  }

  /** One read per project; a connection shared into several projects is judged where it was first listed. */
  private async openAccess(project: string, listed: readonly Subject[], stats: ScanStats): Promise<Finding[]> {
    stats.calls.devopsOpenAccess = (stats.calls.devopsOpenAccess ?? 0) + 1;
    try {
      const open = new Set((await this.options.openAccess?.openEndpoints(project) ?? []).map((id) => id.toLowerCase()));
      return listed.filter((s) => open.has(s.endpointId.toLowerCase())).map((s) => openToAllFinding(s));
    } catch (error) {
      if (!isAppError(error)) throw error;
      stats.notes.push({ code: error.code, subject: project, read: 'open-access' });
      return [];
    }
  }

  private async projectNames(requested: readonly string[] | undefined, stats: ScanStats): Promise<readonly string[]> {
    const configured = requested?.length ? requested : this.options.projects;
    if (configured?.length) return configured;
    stats.calls.devopsProjects += 1;
    return (await this.options.devops.projects()).map((p) => p.name ?? p.id);
  }

  /** A shared connection is listed in every project it is in; it is judged once, under the first. Answers its subject here. */
  private collect(endpoint: ServiceEndpoint, project: string, now: Date, into: Collected): Subject {
    const id = endpoint.id.toLowerCase();
    const subject = subjectOf(endpoint, project);
    if (into.seen.has(id)) return subject;
    into.seen.add(id);
    into.findings.push(...listFindings(endpoint, project, now, this.thresholds).map((f) => this.explained(f, now)));
    countConnection(into.census, endpoint);
    // Only connections a fix-offering finding can be about: a failed one, one with a secret, one on the retiring issuer.
    const refused = isFailed(endpoint) || usesSecret(endpoint) || usesRetiringIssuer(endpoint) ? refusedFixes(endpoint, project) : undefined;
    if (refused) into.refused.set(id, refused);
    const appId = this.options.passwords ? secretAppId(endpoint) : undefined;
    if (appId) {
      const sharing = into.byApp.get(appId);
      if (sharing) sharing.push(subject);
      else into.byApp.set(appId, [subject]);
    }
    if (this.readsHistory() && couldBeUnused(endpoint, now, this.thresholds, this.historyAfterDays())) {
      into.unused.push({ subject, createdAt: endpoint.creationDate });
    }
    return subject;
  }
}
