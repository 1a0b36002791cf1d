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

export interface ScanResult {
  findings: Finding[];
  stats: ScanStats;
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
    for (const project of projects) {
      stats.calls.devopsList += 1;
      const endpoints = await this.options.devops.list(project, { includeFailed: true });
      for (const endpoint of endpoints) this.collect(endpoint, project, now, collected);
    }
    stats.connections = collected.seen.size;
    const context = { now, thresholds: this.thresholds, concurrency: this.options.concurrency ?? 8, notes: stats.notes };
    if (this.options.passwords) {
      const secrets = await readSecrets(this.options.passwords, collected.byApp, context);
      stats.calls.graph = secrets.calls;
      collected.findings.push(...secrets.findings);
    }
    if (this.options.checkUnused) {
      const usage = await readUsage(this.options.devops, collected.unused, context);
      stats.calls.devopsHistory = usage.calls;
      collected.findings.push(...usage.findings);
    }
    return { findings: collected.findings.sort((a, b) => a.key.localeCompare(b.key)), stats };
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
