/**
 * Org-wide answers from the inventory, for the commands to present (issue 24 §2, §3): `list` / `list failed` /
 * `list disabled` across projects with the age of what they show, and which listed projects hold a name. Rows are
 * the list card's rows (src/cards/connection-list-view.ts ConnectionRow), so a command passes them on.
 * Never for plans: a plan reads its targets live.
 */
import { outsideChangeText } from '../domain/connection-change';
import type { ConnectionRow } from '../cards/connection-list-view';
import { entryIsFailed, entryIsShared, type InventoryEntry } from '../domain/inventory';
import type { InventoryView, NameMatch } from './inventory-view';

export type InventoryListFilter = 'usable' | 'failed' | 'disabled' | 'all';

/** A row of the list card (the same shape: a command passes it on); `note` says who disabled or changed it outside the bot. */
export type InventoryRow = ConnectionRow & { disabled: boolean };

export interface InventoryListAnswer {
  rows: InventoryRow[];
  /** Failed connections left out of a `usable` list. */
  hiddenFailed: number;
  /** The oldest list the rows come from (ms): the age to show. */
  oldestReadAt: number | undefined;
  /** Projects asked about that the inventory has never listed: their part must be read live. */
  missing: string[];
}

function rowOf(project: string, projectId: string, entry: InventoryEntry, now: Date): InventoryRow {
  return {
    id: entry.id, projectId, ...(entry.failure ? { failure: entry.failure } : {}), project, name: entry.name, type: entry.type, scheme: entry.scheme, mode: entry.creationMode ?? '-', state: entry.state,
    sharedWith: entryIsShared(entry) ? entry.projectIds.length : 1, disabled: entry.disabled,
    ...(entry.change ? { note: outsideChangeText(entry.change, now) } : {}),
  };
}

function wanted(entry: InventoryEntry, filter: InventoryListFilter, type: string | undefined): boolean {
  if (type && entry.type.toLowerCase() !== type.toLowerCase()) return false;
  if (filter === 'failed') return entryIsFailed(entry);
  if (filter === 'disabled') return entry.disabled;
  return filter === 'all' || !entryIsFailed(entry);
}

/** Which connections an answer may hold (a policy's read rule): the project and the connection as the inventory names them. */
export type Keep = (target: { project: { id?: string | undefined; name: string }; connection: { name: string; id: string } }) => boolean;

/** The list across `projects` (names or ids) as the inventory holds it, sorted by project then name. */
export function listFromInventory(inventory: InventoryView, projects: readonly string[], filter: InventoryListFilter, now: Date, type?: string, keep: Keep = () => true): InventoryListAnswer {
  const rows: InventoryRow[] = [];
  let hiddenFailed = 0;
  for (const p of projects) {
    const slice = inventory.project(p);
    for (const entry of slice?.entries ?? []) {
      if (!keep({ project: { id: slice?.projectId, name: slice?.projectName ?? p }, connection: { name: entry.name, id: entry.id } })) continue;
      if (filter === 'usable' && entryIsFailed(entry) && (!type || entry.type.toLowerCase() === type.toLowerCase())) hiddenFailed += 1;
      if (slice && wanted(entry, filter, type)) rows.push(rowOf(slice.projectName, slice.projectId, entry, now));
    }
  }
  rows.sort((a, b) => a.project.localeCompare(b.project) || a.name.localeCompare(b.name));
  const age = inventory.age(projects);
  return { rows, hiddenFailed, oldestReadAt: age.oldestReadAt, missing: age.missing };
}

/**
 * Where a name is, among `projects` (names or ids; all listed projects when empty): the matches to read live, one
 * per project. `unknown` when no listed project has it — the caller then searches as before (and says it took
 * longer), since the name may be newer than the inventory or in a project it never listed.
 */
export function locateName(inventory: InventoryView, name: string, projects: readonly string[]): { kind: 'known'; matches: NameMatch[] } | { kind: 'unknown' } {
  const allowed = projects.length > 0 ? new Set(projects.map((p) => inventory.project(p)?.projectId.toLowerCase() ?? p.toLowerCase())) : undefined;
  const matches = inventory.lookup(name).filter((m) => !allowed || allowed.has(m.projectId.toLowerCase()));
  return matches.length > 0 ? { kind: 'known', matches } : { kind: 'unknown' };
}
