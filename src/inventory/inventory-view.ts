/**
 * The read side of the inventory: one slice per listed project, the name → projects and id → projects indexes,
 * and the age of each project's list. Subclasses change it only through `replace` / `remove`, which keep the
 * indexes and the count in step with the slices.
 */
import type { ProjectReference } from '../domain/endpoint';
import type { InventoryEntry } from '../domain/inventory';
import type { ProjectSlice } from './inventory-store';
import { Interner } from './interner';
import { ProjectKeys } from './project-keys';

export interface NameMatch {
  projectId: string;
  projectName: string;
  entry: InventoryEntry;
}

export interface InventoryAge {
  /** The oldest and newest list among the projects asked about (ms); undefined when none is known. */
  oldestReadAt: number | undefined;
  newestReadAt: number | undefined;
  /** Projects asked about that the inventory has never listed (as asked: name or id). */
  missing: string[];
}

export const lower = (value: string): string => value.toLowerCase();

export class InventoryView {
  protected readonly slices = new Map<string, ProjectSlice>();
  /** Project id or name (lower case) → the project, as the organization's project list or a list named it. */
  protected readonly directory = new Map<string, ProjectReference>();
  protected readonly intern = new Interner();
  private readonly names = new ProjectKeys();
  private readonly ids = new ProjectKeys();
  private count = 0;

  /** Connections held, counted once per project they are listed in. */
  get connections(): number {
    return this.count;
  }

  /** Every listed project: id, name, when it was listed, how many connections. */
  projects(): Array<{ projectId: string; projectName: string; readAt: number; connections: number }> {
    return [...this.slices.values()].map((s) => ({ projectId: s.projectId, projectName: s.projectName, readAt: s.readAt, connections: s.entries.length }));
  }

  /** One project's last list, by id or name (case-insensitive). */
  project(idOrName: string): ProjectSlice | undefined {
    const k = lower(this.directory.get(lower(idOrName))?.id ?? idOrName);
    return this.slices.get(k) ?? [...this.slices.values()].find((s) => lower(s.projectName) === lower(idOrName));
  }

  /** A project by id or name, as the organization's project list (or a project's list) named it. */
  projectRef(idOrName: string): ProjectReference | undefined {
    const known = this.directory.get(lower(idOrName));
    if (known) return known;
    const slice = this.project(idOrName);
    return slice && { id: slice.projectId, name: slice.projectName };
  }

  /** Where a name is known: one match per listed project that has a connection of that name. */
  lookup(name: string): NameMatch[] {
    const wanted = lower(name);
    return this.matches(this.names.projects(name), (e) => e.name.length === wanted.length && lower(e.name) === wanted);
  }

  /** A connection by id, in every listed project it is in. */
  connection(id: string): NameMatch[] {
    const wanted = lower(id);
    return this.matches(this.ids.projects(id), (e) => lower(e.id) === wanted);
  }

  /** Every known name, lower-cased (for "did you mean"). */
  knownNames(): IterableIterator<string> {
    return this.names.keys();
  }

  /** How old the lists of these projects (names or ids; every listed project when absent) are. */
  age(projects?: readonly string[]): InventoryAge {
    const asked = projects ?? [...this.slices.values()].map((s) => s.projectId);
    const age: InventoryAge = { oldestReadAt: undefined, newestReadAt: undefined, missing: [] };
    for (const p of asked) {
      const slice = this.project(p);
      if (!slice) {
        age.missing.push(p);
        continue;
      }
      age.oldestReadAt = Math.min(age.oldestReadAt ?? slice.readAt, slice.readAt);
      age.newestReadAt = Math.max(age.newestReadAt ?? slice.readAt, slice.readAt);
    }
    return age;
  }

  /** Project keys a connection id is listed in. */
  protected projectsOf(id: string): readonly string[] {
    return this.ids.projects(id);
  }

  /** Swaps a project's slice and its index entries. */
  protected replace(slice: ProjectSlice): string {
    const k = lower(slice.projectId);
    const previous = this.slices.get(k);
    const projectKey = previous ? k : this.intern.string(k);
    this.unindex(previous, projectKey);
    for (const e of slice.entries) {
      this.names.add(e.name, projectKey);
      this.ids.add(e.id, projectKey);
    }
    this.count += slice.entries.length;
    this.slices.set(projectKey, slice);
    if (!this.directory.has(projectKey)) this.directory.set(projectKey, { id: slice.projectId, name: slice.projectName });
    return projectKey;
  }

  protected remove(projectKey: string): boolean {
    const slice = this.slices.get(projectKey);
    this.unindex(slice, projectKey);
    return this.slices.delete(projectKey);
  }

  private unindex(slice: ProjectSlice | undefined, projectKey: string): void {
    for (const e of slice?.entries ?? []) {
      this.names.remove(e.name, projectKey);
      this.ids.remove(e.id, projectKey);
    }
    this.count -= slice?.entries.length ?? 0;
  }

  private matches(projectKeys: readonly string[], test: (entry: InventoryEntry) => boolean): NameMatch[] {
    return projectKeys.flatMap((k) => {
      const slice = this.slices.get(k);
      const entry = slice?.entries.find(test);
      return slice && entry ? [{ projectId: slice.projectId, projectName: slice.projectName, entry }] : [];
    });
  }
}
