/**
 * Keeps the inventory fresh from the adapter's background lane. Two ways in:
 * - `fresh(projects?)`: a person's question. Answers at once when every project asked about was listed within the
 *   freshness window; otherwise starts the one refresh (the projects older than the window), or joins the refresh
 *   already in flight — ten people asking in a minute cost one refresh.
 * - `step()`: the background upkeep, scheduled by the caller (one instance at a time, under a lease). With a live
 *   audit log it lists again only the projects whose connections changed; without one, the stalest projects at the
 *   pace a share of the rate budget allows (src/domain/inventory-refresh.ts decides both).
 * Every list goes through an InventoryFeed over the same inventory, so what is read lands in it: the upkeep through
 * `devops` (the background lane), a refresh people wait on through `asked` (the interactive lane, `askedConcurrency`
 * lists in flight at most: the first answer came from the inventory, the fresh one is what the person now waits for).
 */
import PQueue from 'p-queue';
import type { Clock } from '../domain/time';
import { isAppError } from '../domain/errors';
import { DOCUMENTED_BUDGET, periodicPick, type ProjectAge } from '../domain/inventory-refresh';
import type { ConnectionChangeLog } from '../devops/connection-change-log.port';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import type { ProjectReference } from '../domain/endpoint';
import type { Logger } from '../logging';
import type { Store } from '../store/store.port';
import { AuditFollower, type AuditState, type FollowOutcome } from './audit-follower';
import type { ConnectionInventory } from './connection-inventory';
import type { InventorySettings } from './inventory-settings';

const PROJECTS_EVERY_MS = 3_600_000;
/** The organization's project list in `coveredAt` (no project id looks like this). */
const PROJECT_LIST = ' project list';

export interface RefresherOptions {
  inventory: ConnectionInventory;
  /** Azure DevOps in the background lane, through an InventoryFeed over the same inventory. */
  devops: ServiceEndpoints;
  store: Store;
  clock: Clock;
  logger: Logger;
  settings: Readonly<InventorySettings>;
  /** Configured projects (names or ids); empty: every project the identity can see. */
  projects: readonly string[];
  /** The audit log; absent: the periodic refresh only. */
  changes?: ConnectionChangeLog;
  /** Lists in flight at once for the upkeep (the background lane bounds them too). Default 8. */
  concurrency?: number;
  /**
   * Azure DevOps for the refreshes people ask for (`fresh()`), through an InventoryFeed over the same inventory: the
   * interactive lane in the app, since a person waits on the fresh answer. `devops` when absent.
   */
  asked?: ServiceEndpoints;
  /** Lists in flight at once for a refresh people asked for. Default 8. */
  askedConcurrency?: number;
  /** The rate budget the refresh share is taken of; the documented one by default. */
  budget?: () => { callsPerWindow: number; windowMs: number };
}

export interface RefreshReport {
  /** Calls made: the project list (when it was read), one list per project. */
  calls: number;
  listed: number;
  /** Projects whose list failed (typed Azure DevOps errors; kept at their previous age). */
  failed: string[];
  ms: number;
}

export type FreshAnswer = { kind: 'fresh' } | { kind: 'refreshed'; report: RefreshReport };

export interface StepReport extends RefreshReport {
  audit: AuditState | 'off';
  /** Projects listed because the audit log said they changed. */
  changed: number;
}

export class InventoryRefresher {
  private running: Promise<RefreshReport> | undefined;
  private readingProjects: Promise<ProjectReference[]> | undefined;
  private readonly follower: AuditFollower | undefined;
  /** The budget is earned from the moment the refresher exists (the process started). */
  private lastStep: number;
  private lastFollow = Number.NEGATIVE_INFINITY;
  private credit = 0;
  private sweepBefore = Number.NEGATIVE_INFINITY;
  /**
   * When a refresh that covered a project finished (its list read or failed). Within the window after it, askers
   * share that refresh rather than start another: a refresh of 300 projects takes seconds, so its first lists are
   * older than its end. The answer still shows each list's own age.
   */
  private readonly coveredAt = new Map<string, number>();

  constructor(private readonly o: RefresherOptions) {
    this.lastStep = o.clock.now().getTime();
    this.follower = o.changes && o.settings.auditMinutes > 0
      ? new AuditFollower({ log: o.changes, inventory: o.inventory, store: o.store, clock: o.clock })
      : undefined;
  }

  private get freshMs(): number {
    return this.o.settings.freshSeconds * 1000;
  }

  /** Whether every project asked about (names or ids; the bot's projects when absent) was listed within the window. */
  isFresh(projects?: readonly string[]): boolean {
    const since = this.o.clock.now().getTime() - this.freshMs;
    const scope = projects ?? this.scope(since);
    if (!scope) return false;
    return scope.every((p) => this.triedAt(p) > since);
  }

  /** When the project was last listed, or a refresh that covered it last finished. */
  private triedAt(project: string): number {
    return Math.max(this.o.inventory.project(project)?.readAt ?? Number.NEGATIVE_INFINITY, this.coveredAt.get(project.toLowerCase()) ?? Number.NEGATIVE_INFINITY);
  }

  /** Fresh lists of these projects (the bot's projects when absent): at once, from the refresh in flight, or a new one. */
  async fresh(projects?: readonly string[]): Promise<FreshAnswer> {
    if (this.isFresh(projects)) return { kind: 'fresh' };
    const joined = this.running !== undefined;
    const report = await this.refreshOnce();
    // A refresh already under way may have started before these projects went stale: one more covers them.
    if (joined && !this.isFresh(projects)) return { kind: 'refreshed', report: await this.refreshOnce() };
    return { kind: 'refreshed', report };
  }

  /**
   * The organization's projects as last read (any age: an answer from the inventory says its own), else read now
   * in the lane people wait in, once for everyone asking at that moment (a restart keeps the lists, not this).
   */
  async organization(): Promise<readonly ProjectReference[]> {
    const known = this.o.inventory.organizationProjects();
    if (known) return known.projects;
    this.readingProjects ??= (this.o.asked ?? this.o.devops).projects().finally(() => {
      this.readingProjects = undefined;
    });
    return this.readingProjects;
  }

  /** One step of the upkeep; the caller schedules it (e.g. every minute) under a lease. Never throws for Azure DevOps errors. */
  async step(): Promise<StepReport> {
    const now = this.o.clock.now().getTime();
    const elapsed = now - this.lastStep;
    this.lastStep = now;
    const projectCalls = await this.knowProjects(now);
    const followed = await this.followAudit(now);
    const live = this.follower?.live(now) === true;
    // A live log says what changed: only what it could not place is swept. Otherwise everything older than the window.
    const staleBefore = live ? this.sweepBefore : now - this.freshMs;
    const share = this.o.settings.refreshSharePercent / 100;
    const picked = periodicPick(this.ages(), staleBefore, elapsed, this.credit, { share, ...(this.o.budget?.() ?? DOCUMENTED_BUDGET) });
    this.credit = picked.credit;
    const relist = [...new Set([...(followed.plan?.relist ?? []), ...picked.pick])];
    const report = await this.listAll(relist, projectCalls + followed.calls, this.o.devops, this.o.concurrency);
    for (const note of followed.plan?.notes ?? []) this.o.inventory.noteChange(note);
    await followed.commit();
    return { ...report, audit: followed.state, changed: followed.plan?.relist.length ?? 0 };
  }

  /**
   * The upkeep needs the organization's projects (unless they are configured): read at the first step after a start
   * and once an hour (projects come and go). Answers the calls made.
   */
  private async knowProjects(now: number): Promise<number> {
    if (this.o.projects.length > 0) return 0;
    const organization = this.o.inventory.organizationProjects();
    if (organization && now - organization.readAt < PROJECTS_EVERY_MS) return 0;
    try {
      await this.o.devops.projects();
    } catch (error) {
      if (!isAppError(error)) throw error;
      this.o.logger.warn({ err: error, code: error.code }, 'inventory: the project list could not be read; tried again next step');
    }
    return 1;
  }

  private refreshOnce(): Promise<RefreshReport> {
    this.running ??= this.refresh().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async refresh(): Promise<RefreshReport> {
    const started = this.o.clock.now().getTime();
    const since = started - this.freshMs;
    const via = this.o.asked ?? this.o.devops;
    let calls = 0;
    if (!this.scope(since)) {
      await via.projects();
      calls += 1;
    }
    const stale = (this.scope(since) ?? []).filter((p) => this.triedAt(p) <= since);
    const report = await this.listAll(stale, calls, via, this.o.askedConcurrency);
    const finished = this.o.clock.now().getTime();
    for (const p of stale) this.coveredAt.set(p.toLowerCase(), finished);
    this.coveredAt.set(PROJECT_LIST, finished);
    this.o.logger.debug({ ...report }, 'inventory refreshed');
    return report;
  }

  /**
   * The projects the bot answers for: the configured ones, else the organization's (as last read within the
   * window). Undefined when the organization's project list must be read first (too old, or a configured project
   * it does not name).
   */
  private scope(since: number): readonly string[] | undefined {
    const organization = this.o.inventory.organizationProjects();
    if (this.o.projects.length > 0) return this.o.projects.every((p) => this.o.inventory.projectRef(p)) ? this.o.projects : undefined;
    if (!organization || Math.max(organization.readAt, this.coveredAt.get(PROJECT_LIST) ?? Number.NEGATIVE_INFINITY) <= since) return undefined;
    return organization.projects.map((p) => p.id);
  }

  private ages(): ProjectAge[] {
    const organization = this.o.inventory.organizationProjects()?.projects.map((p) => p.id) ?? [];
    const scope = this.o.projects.length > 0 ? this.o.projects : organization;
    return scope.map((p) => {
      const slice = this.o.inventory.project(p);
      return { projectId: slice?.projectId ?? p, readAt: slice?.readAt };
    });
  }

  private async followAudit(now: number): Promise<Pick<FollowOutcome, 'calls' | 'plan' | 'commit'> & { state: StepReport['audit'] }> {
    const idle = { calls: 0, plan: undefined, commit: async () => undefined };
    if (!this.follower) return { state: 'off', ...idle };
    if (now - this.lastFollow < this.o.settings.auditMinutes * 60_000) return { state: this.follower.live(now) ? 'live' : 'silent', ...idle };
    this.lastFollow = now;
    try {
      const outcome = await this.follower.follow();
      if (outcome.sweepBefore !== undefined) this.sweepBefore = Math.max(this.sweepBefore, outcome.sweepBefore);
      return outcome;
    } catch (error) {
      if (!isAppError(error)) throw error;
      this.o.logger.warn({ err: error, code: error.code }, 'inventory: the audit log could not be read; tried again next time');
      return { state: 'failed', ...idle, calls: 1 };
    }
  }

  /** Lists each project once (failed ones included), `concurrency` at a time; a typed failure is reported, not thrown. */
  private async listAll(projects: readonly string[], callsBefore: number, via: ServiceEndpoints, concurrency = 8): Promise<RefreshReport> {
    const started = this.o.clock.now().getTime();
    const failed: string[] = [];
    const queue = new PQueue({ concurrency });
    await queue.addAll(projects.map((project) => async () => {
      try {
        await via.list(project, { includeFailed: true });
      } catch (error) {
        if (!isAppError(error)) throw error;
        failed.push(project);
      }
    }));
    return { calls: callsBefore + projects.length, listed: projects.length - failed.length, failed, ms: this.o.clock.now().getTime() - started };
  }
}
