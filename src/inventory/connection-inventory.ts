/**
 * The inventory (issue 24): what the bot last read of every connection, per project, with a name → project index
 * and the age of each project's list (inventory-view.ts answers). Filled by full project lists (the radar's scan,
 * `list`, a refresh), single reads, the bot's own changes (what the service answered a delete, convert, rename,
 * share) and the audit log's news of changes made elsewhere. Answers are only as fresh as `readAt` says: callers
 * show the age and refresh. Held in memory, bounded by `maxConnections`, and written to the Store behind the
 * reads (inventory-writer.ts), so every instance and a restart start warm.
 */
import type { Clock } from '../domain/time';
import { outsideChangeOf, type ConnectionChange } from '../domain/connection-change';
import type { ProjectReference, ServiceEndpoint, ServiceEndpointProjectReference } from '../domain/endpoint';
import { entryOf, type InventoryEntry } from '../domain/inventory';
import type { Logger } from '../logging';
import type { Store } from '../store/store.port';
import { InventoryStore, type ProjectSlice } from './inventory-store';
import { InventoryView, lower } from './inventory-view';
import { InventoryWriter } from './inventory-writer';

export type { ProjectSlice } from './inventory-store';
export type { InventoryAge, NameMatch } from './inventory-view';

export interface InventoryOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Most connections kept; a project list that would pass it is not kept (its questions are answered live). */
  maxConnections: number;
}

const HOUR_MS = 3_600_000;

export class ConnectionInventory extends InventoryView {
  private readonly stored: InventoryStore;
  private readonly writer: InventoryWriter;
  private refusedAt = Number.NEGATIVE_INFINITY;
  private organization: { projects: ProjectReference[]; readAt: number } | undefined;

  constructor(private readonly o: InventoryOptions) {
    super();
    this.stored = new InventoryStore(o.store, this.intern);
    this.writer = new InventoryWriter(this.stored, { slice: (k) => this.slices.get(k), adopt: (s) => void this.take(s) }, o.logger);
  }

  /** Loads what the Store holds (a restart, a new instance), as much as fits the bound; answers the projects taken. */
  async load(): Promise<number> {
    return this.takeStored((header) => !this.slices.has(lower(header.projectId)));
  }

  /** Takes in what other instances stored since (projects this instance has no unsaved change of). */
  async sync(): Promise<number> {
    return this.takeStored((header) => !this.writer.pending(lower(header.projectId)) && (this.slices.get(lower(header.projectId))?.readAt ?? -1) < header.readAt);
  }

  /** The organization's project list as last read (not stored: a restart reads it again), or undefined. */
  organizationProjects(): { projects: readonly ProjectReference[]; readAt: number } | undefined {
    return this.organization;
  }

  /** Waits until every change so far is in the Store. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** The organization's projects as read at `readAt`: names follow renames, projects that are gone are forgotten. */
  recordProjects(projects: readonly ProjectReference[], readAt: Date): void {
    this.organization = { projects: [...projects], readAt: readAt.getTime() };
    this.directory.clear();
    for (const p of projects) {
      this.directory.set(lower(p.id), p);
      if (p.name) this.directory.set(lower(p.name), p);
      const slice = this.slices.get(lower(p.id));
      if (slice && p.name && slice.projectName !== p.name) this.changed({ ...slice, projectName: p.name });
    }
    for (const k of [...this.slices.keys()]) {
      if (this.directory.has(k)) continue;
      this.remove(k);
      this.writer.changed(k);
    }
  }

  /**
   * A full list of one project (failed connections included, no filter), read at `readAt`. Replaces what was
   * known of the project; its shared connections are updated in the other listed projects they are in.
   * False when keeping it would pass the bound (the project stays unlisted).
   */
  recordProjectList(project: ProjectReference, endpoints: readonly ServiceEndpoint[], readAt: Date): boolean {
    const k = lower(project.id);
    const at = readAt.getTime();
    const previous = this.slices.get(k);
    if (previous && previous.readAt > at) return true;
    const projectId = previous?.projectId ?? project.id;
    const notes = new Map(previous?.entries.map((e) => [lower(e.id), e.change]));
    const entries = endpoints.map((e) => this.entry(e, projectId, at, notes.get(lower(e.id))));
    const slice: ProjectSlice = { projectId, projectName: project.name ?? previous?.projectName ?? project.id, readAt: at, entries };
    if (!this.fits(slice, previous)) return false;
    this.changed(slice);
    for (const endpoint of endpoints) if ((endpoint.serviceEndpointProjectReferences?.length ?? 0) > 1) this.spread(endpoint, at, k);
    return true;
  }

  /** One connection as just read (a `show`, the service's answer to the bot's own change), in every listed project. */
  recordOne(endpoint: ServiceEndpoint, readAt: Date): void {
    this.spread(endpoint, readAt.getTime(), undefined);
  }

  /**
   * The bot shared a connection into more projects; the service answers no body, so the entry is copied from a
   * project where it is known, under the name each new project gives it.
   */
  recordShare(endpointId: string, references: readonly ServiceEndpointProjectReference[], readAt: Date): void {
    const known = this.connection(endpointId)[0]?.entry;
    if (!known) return;
    const added = references.map((r) => r.projectReference.id).filter((id) => !known.projectIds.some((p) => lower(p) === lower(id)));
    const projectIds = this.intern.list([...known.projectIds, ...added]);
    for (const k of new Set(projectIds.map(lower))) {
      const slice = this.slices.get(k);
      const current = slice?.entries.find((e) => lower(e.id) === lower(endpointId));
      const name = references.find((r) => lower(r.projectReference.id) === k)?.name ?? current?.name ?? known.name;
      if (slice) this.upsert(slice, current, { ...(current ?? known), name, projectIds, readAt: readAt.getTime() });
    }
  }

  /** The connection is gone from these projects (ids or names; every project when absent): the bot deleted or unshared it. */
  forget(endpointId: string, projectIds?: readonly string[]): void {
    const from = projectIds && new Set(projectIds.map((p) => lower(this.project(p)?.projectId ?? p)));
    for (const k of this.projectsOf(endpointId)) if (!from || from.has(k)) this.without(k, (e) => lower(e.id) === lower(endpointId));
  }

  /** A name the service says is not in this project (any more): renamed or deleted elsewhere. */
  forgetName(project: string, name: string): void {
    const slice = this.project(project);
    if (slice) this.without(lower(slice.projectId), (e) => lower(e.name) === lower(name));
  }

  /** The audit log told of a change made outside the bot: kept on the connection until a newer one. */
  noteChange(change: ConnectionChange): void {
    const noted = outsideChangeOf(change);
    const id = change.connectionId;
    if (!noted || !id) return;
    for (const k of this.projectsOf(id)) {
      const slice = this.slices.get(k);
      const current = slice?.entries.find((e) => lower(e.id) === lower(id));
      if (slice && current && (current.change?.at ?? 0) <= noted.at) this.upsert(slice, current, { ...current, change: noted });
    }
  }

  /** The connection into every listed project it references, and out of the listed projects it no longer does. */
  private spread(endpoint: ServiceEndpoint, at: number, except: string | undefined): void {
    const referenced = new Set((endpoint.serviceEndpointProjectReferences ?? []).map((r) => lower(r.projectReference.id)));
    for (const k of referenced) {
      const slice = this.slices.get(k);
      if (!slice || k === except) continue;
      const current = slice.entries.find((e) => lower(e.id) === lower(endpoint.id));
      if (!current || current.readAt <= at) this.upsert(slice, current, this.entry(endpoint, slice.projectId, at, current?.change));
    }
    for (const k of this.projectsOf(endpoint.id)) if (!referenced.has(k) && k !== except) this.without(k, (e) => lower(e.id) === lower(endpoint.id));
  }

  private upsert(slice: ProjectSlice, current: InventoryEntry | undefined, entry: InventoryEntry): void {
    const entries = current ? slice.entries.map((e) => (e === current ? entry : e)) : [...slice.entries, entry];
    const next = { ...slice, entries };
    if (this.fits(next, slice)) this.changed(next);
  }

  private without(k: string, gone: (entry: InventoryEntry) => boolean): void {
    const slice = this.slices.get(k);
    if (slice?.entries.some(gone)) this.changed({ ...slice, entries: slice.entries.filter((e) => !gone(e)) });
  }

  private entry(endpoint: ServiceEndpoint, projectId: string, at: number, change: InventoryEntry['change']): InventoryEntry {
    const e = entryOf(endpoint, projectId, at);
    const facts = e.disabledFacts && { ...e.disabledFacts, modifiedBy: this.intern.string(e.disabledFacts.modifiedBy) };
    return { ...e, type: this.intern.string(e.type), scheme: this.intern.string(e.scheme), issuer: this.intern.string(e.issuer), projectIds: this.intern.list(e.projectIds), change, disabledFacts: facts };
  }

  private fits(next: ProjectSlice, previous: ProjectSlice | undefined): boolean {
    const total = this.connections - (previous?.entries.length ?? 0) + next.entries.length;
    if (total <= this.o.maxConnections) return true;
    // Said once an hour at most: a bound hit on every refresh would flood the log.
    const now = this.o.clock.now().getTime();
    if (now - this.refusedAt > HOUR_MS) {
      this.refusedAt = now;
      this.o.logger.warn({ project: next.projectName, connections: total, max: this.o.maxConnections }, 'inventory full: this project is answered live (raise SCBOT_INVENTORY_MAX_CONNECTIONS)');
    }
    return false;
  }

  /** A changed slice: swapped in and queued for the Store. */
  private changed(slice: ProjectSlice): void {
    this.writer.changed(this.replace(slice));
  }

  /** A slice from the Store (load, sync, or a newer list another instance saved): swapped in, not saved again. */
  private take(slice: ProjectSlice): boolean {
    if (!this.fits(slice, this.slices.get(lower(slice.projectId)))) return false;
    this.replace(slice);
    return true;
  }

  private async takeStored(wanted: (header: { projectId: string; readAt: number }) => boolean): Promise<number> {
    let taken = 0;
    for (const header of await this.stored.headers()) {
      if (!wanted(header)) continue;
      const slice = await this.stored.load(header.projectId);
      if (slice && this.take(slice)) taken += 1;
    }
    return taken;
  }
}
