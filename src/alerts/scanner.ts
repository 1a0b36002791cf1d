/**
 * The alert scanner: one list call per project (failed ones included), then only the reads a finding needs.
 * The list answers failed / retiring issuer / revert deadline by itself; Graph is read once per distinct
 * secret-based app; execution history only when the unused check is on, only for connections old enough.
 * Full endpoint objects are dropped after each project's pass, so memory holds slim subjects, not 10,000 bodies.
 */
import type { Clock } from '../domain/clock';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import { couldBeUnused, DEFAULT_THRESHOLDS, listFindings, secretAppId, subjectOf, type Finding, type FindingThresholds, type Subject } from '../domain/findings';
import type { ServiceEndpoint } from '../domain/endpoint';
import { err, isAppError, ok, type AppError, type Result } from '../domain/errors';
import { readSecrets, readUsage, type PasswordReader, type ScanNote, type UnusedCandidate } from './scan-reads';

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
}

export interface ScanStats {
  calls: { devopsProjects: number; devopsList: number; devopsHistory: number; graph: number };
  connections: number;
  notes: ScanNote[];
}

/**
 * What this scan could not judge, so a caller comparing scans must not call those findings resolved: projects
 * whose list failed, connections whose app's secrets or execution history could not be read.
 */
export interface ScanGaps {
  projects: string[];
  secretsOf: string[];
  historyOf: string[];
}

export interface ScanResult {
  findings: Finding[];
  stats: ScanStats;
  gaps: ScanGaps;
}

interface Collected {
  findings: Finding[];
  byApp: Map<string, Subject[]>;
  unused: UnusedCandidate[];
  seen: Set<string>;
}

export class AlertScanner {
  private readonly thresholds: FindingThresholds;

  constructor(private readonly options: ScannerOptions) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  }

  async scan(request: { projects?: readonly string[] } = {}): Promise<ScanResult> {
    const now = this.options.clock.now();
    const stats: ScanStats = { calls: { devopsProjects: 0, devopsList: 0, devopsHistory: 0, graph: 0 }, connections: 0, notes: [] };
    const projects = await this.projectNames(request.projects, stats);
    const collected: Collected = { findings: [], byApp: new Map(), unused: [], seen: new Set() };
    const gaps: ScanGaps = { projects: [], secretsOf: [], historyOf: [] };
    let lastFailure: unknown;
    for (const project of projects) {
      stats.calls.devopsList += 1;
      const listed = await this.listProject(project, stats.notes);
      if (!listed.ok) {
        gaps.projects.push(project);
        lastFailure = listed.error;
        continue;
      }
      for (const endpoint of listed.value) this.collect(endpoint, project, now, collected);
    }
    // Every project failed (bad token, org gone): nothing was judged, so the scan failed rather than came back clean.
    if (projects.length > 0 && gaps.projects.length === projects.length) throw lastFailure;
    stats.connections = collected.seen.size;
    const context = { now, thresholds: this.thresholds, concurrency: this.options.concurrency ?? 8, notes: stats.notes };
    if (this.options.passwords) {
      const secrets = await readSecrets(this.options.passwords, collected.byApp, context);
      stats.calls.graph = secrets.calls;
      collected.findings.push(...secrets.findings);
      gaps.secretsOf = stats.notes.filter((n) => n.read === 'graph').flatMap((n) => (collected.byApp.get(n.subject) ?? []).map((s) => s.endpointId));
    }
    if (this.options.checkUnused) {
      const usage = await readUsage(this.options.devops, collected.unused, context);
      stats.calls.devopsHistory = usage.calls;
      collected.findings.push(...usage.findings);
      gaps.historyOf = stats.notes.filter((n) => n.read === 'history').map((n) => n.subject);
    }
    return { findings: collected.findings.sort((a, b) => a.key.localeCompare(b.key)), stats, gaps };
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

  private async projectNames(requested: readonly string[] | undefined, stats: ScanStats): Promise<readonly string[]> {
    const configured = requested?.length ? requested : this.options.projects;
    if (configured?.length) return configured;
    stats.calls.devopsProjects += 1;
    return (await this.options.devops.projects()).map((p) => p.name ?? p.id);
  }

  /** A shared connection is listed in every project it is in; it is judged once, under the first. */
  private collect(endpoint: ServiceEndpoint, project: string, now: Date, into: Collected): void {
    const id = endpoint.id.toLowerCase();
    if (into.seen.has(id)) return;
    into.seen.add(id);
    into.findings.push(...listFindings(endpoint, project, now, this.thresholds));
    const subject = subjectOf(endpoint, project);
    const appId = this.options.passwords ? secretAppId(endpoint) : undefined;
    if (appId) into.byApp.set(appId, [...(into.byApp.get(appId) ?? []), subject]);
    if (this.options.checkUnused && couldBeUnused(endpoint, now, this.thresholds)) {
      into.unused.push({ subject, createdAt: endpoint.creationDate });
    }
  }
}
