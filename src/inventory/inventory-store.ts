/**
 * The inventory in the Store, one project at a time: a header per project (`inventory/project/<id>`: its name,
 * when it was listed, which parts) and its connections as parts of at most PART_BUDGET characters in
 * `inventory-parts` (src/store/record-parts.ts), so any project fits Azure Tables' 1 MiB entity and 64 KiB string
 * property. One project's save writes one part per ~400 connections and its header; the header is a
 * compare-and-swap, so two instances listing the same project keep the newer read. Rows are stored as tuples:
 * ~150 characters a connection.
 */
import type { OutsideChange } from '../domain/connection-change';
import type { ConnectionState } from '../domain/endpoint';
import type { InventoryEntry } from '../domain/inventory';
import { packBySize, RecordParts, type PartsRef } from '../store/record-parts';
import { VersionConflictError, type Store } from '../store/store.port';
import type { Interner } from './interner';
import type { FailureFix } from '../domain/failure';

export const INVENTORY_COLLECTION = 'inventory';
export const INVENTORY_PARTS_COLLECTION = 'inventory-parts';
/** Headers are `project/<id>`; their parts `<id>/<generation>/<index>` (src/retention/orphan-parts.ts joins them). */
export const INVENTORY_HEADER_PREFIX = 'project/';
const HEADER_PREFIX = INVENTORY_HEADER_PREFIX;
/** The stored format; a header of another version is ignored (that project is read again). */
const FORMAT = 1;

/** What the inventory holds of one project: everything a full list of it returned. */
export interface ProjectSlice {
  projectId: string;
  projectName: string;
  /** When the project was listed, in ms. */
  readAt: number;
  entries: InventoryEntry[];
}

interface Header {
  v: number;
  projectId: string;
  projectName: string;
  readAt: number;
  entries: number;
  parts: PartsRef;
}

type StoredChange = [action: OutsideChange['action'], by: OutsideChange['by'], name: string | null, atSeconds: number, portal: 0 | 1];
/** flags: 1 ready, 2 disabled; mode: A(utomatic), M(anual) or ''; projectIds: 0 when only this project. */
type Row = [id: string, name: string, type: string, scheme: string, state: ConnectionState, flags: number, mode: string, issuer: string, projectIds: string[] | 0, readAtSeconds: number, change: StoredChange | 0, failure?: [reason: string, fix: FailureFix['fix']] | 0];

export type SaveOutcome = { kind: 'saved' } | { kind: 'newer'; stored: ProjectSlice };

const headerKey = (projectId: string) => `${HEADER_PREFIX}${projectId.toLowerCase()}`;
const partsPrefix = (projectId: string) => `${projectId.toLowerCase()}/`;
const seconds = (ms: number) => Math.floor(ms / 1000);
/** Conflicts in a row before a save gives up (another instance saving the same project at the same moment). */
const MAX_CONFLICTS = 3;

function toRow(entry: InventoryEntry, projectId: string): Row {
  const only = entry.projectIds.length === 1 && entry.projectIds[0]?.toLowerCase() === projectId.toLowerCase();
  const c = entry.change;
  return [
    entry.id, entry.name, entry.type, entry.scheme, entry.state, (entry.ready ? 1 : 0) | (entry.disabled ? 2 : 0),
    entry.creationMode?.[0] ?? '', entry.issuer ?? '', only ? 0 : [...entry.projectIds], seconds(entry.readAt),
    c ? [c.action, c.by, c.name ?? null, seconds(c.at), c.portal ? 1 : 0] : 0,
    entry.failure ? [entry.failure.reason, entry.failure.fix] : 0,
  ];
}

function fromRow(row: Row, projectId: string, intern: Interner): InventoryEntry {
  // A row saved before failures were kept has no 12th field: no reason until the next list.
  const [id, name, type, scheme, state, flags, mode, issuer, projectIds, readAt, change, failure] = row;
  return {
    id, name, type: intern.string(type), scheme: intern.string(scheme), state, ready: (flags & 1) === 1, disabled: (flags & 2) === 2,
    creationMode: mode === 'A' ? 'Automatic' : mode === 'M' ? 'Manual' : undefined,
    issuer: issuer ? intern.string(issuer) : undefined,
    projectIds: intern.list(projectIds === 0 ? [projectId] : projectIds),
    readAt: readAt * 1000,
    change: change === 0 ? undefined : { action: change[0], by: change[1], name: change[2] ?? undefined, at: change[3] * 1000, portal: change[4] === 1 },
    failure: failure ? { reason: failure[0], fix: failure[1] } : undefined,
  };
}

export class InventoryStore {
  /** The header version this instance last wrote or read, per project: what its next save swaps. */
  private readonly versions = new Map<string, string>();
  private readonly parts: RecordParts<Row[]>;

  constructor(private readonly store: Store, private readonly intern: Interner) {
    this.parts = new RecordParts<Row[]>(store, INVENTORY_PARTS_COLLECTION);
  }

  /** Every stored project: its id, when it was listed and which generation of parts it names. */
  async headers(): Promise<Array<{ projectId: string; readAt: number; generation: string }>> {
    const found = await this.store.list<Header>(INVENTORY_COLLECTION, HEADER_PREFIX);
    return found.filter((h) => h.value.v === FORMAT).map((h) => ({ projectId: h.value.projectId, readAt: h.value.readAt, generation: h.value.parts.generation }));
  }

  /** One project as stored, or undefined (never listed, another format, or replaced while being read). */
  async load(projectId: string): Promise<ProjectSlice | undefined> {
    const header = await this.store.get<Header>(INVENTORY_COLLECTION, headerKey(projectId));
    if (!header || header.value.v !== FORMAT) return undefined;
    const parts = await this.parts.read(partsPrefix(projectId), header.value.parts);
    if (!parts) return undefined;
    const rows = parts.flat();
    this.versions.set(projectId.toLowerCase(), header.version);
    const { projectId: id, projectName, readAt } = header.value;
    return { projectId: id, projectName, readAt, entries: rows.map((row) => fromRow(row, id, this.intern)) };
  }

  /**
   * Saves one project (new parts, then the header, then the parts it replaced). When another instance stored a
   * newer list of the project meanwhile, nothing is replaced and that list is answered instead.
   */
  async save(slice: ProjectSlice): Promise<SaveOutcome> {
    const key = slice.projectId.toLowerCase();
    const prefix = partsPrefix(slice.projectId);
    const cut = packBySize(slice.entries.map((e) => toRow(e, slice.projectId)), (row) => JSON.stringify(row).length + 1);
    const parts = RecordParts.newRef(cut.length);
    await this.parts.write(prefix, parts, cut);
    const header: Header = { v: FORMAT, projectId: slice.projectId, projectName: slice.projectName, readAt: slice.readAt, entries: slice.entries.length, parts };
    for (let conflicts = 0; ; conflicts += 1) {
      const known = this.versions.get(key);
      try {
        const previous = known === undefined ? undefined : await this.store.get<Header>(INVENTORY_COLLECTION, headerKey(key));
        const written = await this.store.put(INVENTORY_COLLECTION, headerKey(key), header, known);
        this.versions.set(key, written.version);
        if (previous && previous.version === known && previous.value.parts) await this.parts.remove(prefix, previous.value.parts);
        return { kind: 'saved' };
      } catch (error) {
        if (!(error instanceof VersionConflictError) || conflicts >= MAX_CONFLICTS) {
          await this.parts.remove(prefix, parts).catch(() => undefined);
          throw error;
        }
        const newer = await this.newerThan(slice);
        if (newer) {
          await this.parts.remove(prefix, parts);
          return { kind: 'newer', stored: newer };
        }
      }
    }
  }

  /** Forgets a project (gone from the organization): the header first, so no reader finds half of it. */
  async remove(projectId: string): Promise<void> {
    const key = projectId.toLowerCase();
    const header = await this.store.get<Header>(INVENTORY_COLLECTION, headerKey(key));
    if (!header) return;
    await this.store.delete(INVENTORY_COLLECTION, headerKey(key));
    this.versions.delete(key);
    if (header.value.parts) await this.parts.remove(partsPrefix(key), header.value.parts);
  }

  /** After a conflict: the stored list when it is newer than ours; otherwise adopts its version so ours replaces it. */
  private async newerThan(slice: ProjectSlice): Promise<ProjectSlice | undefined> {
    const key = slice.projectId.toLowerCase();
    const current = await this.store.get<Header>(INVENTORY_COLLECTION, headerKey(key));
    if (!current) {
      this.versions.delete(key);
      return undefined;
    }
    if (current.value.v === FORMAT && current.value.readAt > slice.readAt) return this.load(key);
    this.versions.set(key, current.version);
    return undefined;
  }
}
