import type { ConnectionState, ServiceEndpoint } from '../domain/endpoint';
import { authScheme, connectionState, creationMode, isSharedEndpoint, projectsOf } from '../domain/endpoint';
import { failureFix, type FailureFix } from '../domain/failure';
import { cardText, plural, TONE_ICON } from './format';
import { outsideText } from './outside-text';
import { ageLine, ageShort, type InventoryAge } from './inventory-age';
import { rowActions, type ListRow } from './connection-list-rows';
import { commandAction, type CardAction } from './command-action';

/** Rows per card: 40 rows of long names stay well under Teams' ~28 KB message limit and fit one screen of scrolling. */
export const LIST_PAGE_SIZE = 40;
/** Failed rows carry their reason and a fix button: fewer per page, so the card stays about one screen. */
export const FAILED_PAGE_SIZE = 10;
/**
 * How much of each field a row shows. Real names fit the first; a page of absurdly long or 4-byte-character
 * names falls back to the next, until the page fits its byte budget (paging itself never changes).
 */
const ROW_LIMITS = [
  { name: 100, field: 40, project: 60 },
  { name: 40, field: 20, project: 30 },
  { name: 20, field: 10, project: 16 },
] as const;
type RowLimits = (typeof ROW_LIMITS)[number];
/** UTF-8 bytes the groups of one page may take, leaving room for the template and the activity around it. */
const PAGE_BUDGET = 20_000;
/** Paging buttons resend the command; only an absurd project name would be cut. */
const COMMAND_MAX = 300;

export type ListFilterKind = 'usable' | 'failed' | 'disabled' | 'all';

export interface ConnectionRow {
  project: string;
  name: string;
  type: string;
  scheme: string;
  mode: string;
  state: ConnectionState;
  sharedWith: number;
  /** Disabled connections are listed (pipelines using them fail) and marked. */
  disabled?: boolean;
  /** Who disabled it, when known (`list disabled` reads it). */
  note?: string;
  /**
   * The connection's id and its project's: a row with them opens `show` when tapped, pinned to that connection (the
   * MCP tool list_connections returns the id too; the card shows names).
   */
  id?: string;
  projectId?: string;
  /** A failed connection's reason and the fix that fits (src/domain/failure.ts). */
  failure?: FailureFix;
}

export interface ListViewInput {
  rows: readonly ConnectionRow[];
  filter: ListFilterKind;
  /** Failed connections left out of a `list` (the service hides them too); told so the user can ask. */
  hiddenFailed: number;
  projectCount: number;
  /** 1-based; clamped to the available pages. */
  page: number;
  /** The command that produced this list without its page, e.g. `list failed in Payments`. */
  command: string;
  /** `delete failed [in <project>]` for the same connections: the card's "Delete all failed" button. */
  deleteAllCommand?: string;
  pageSize?: number;
  /** The answer came from the inventory: how old it is (absent: read live just now). */
  age?: InventoryAge;
}

export interface ListView {
  title: string;
  summary: string;
  /** How old an answer from the inventory is (empty for a live read). */
  age: string;
  hasAge: boolean;
  /** The same, short, for the summary text. */
  ageShort: string;
  empty: boolean;
  emptyText: string;
  groups: { heading: string; rows: ListRow[] }[];
  page: number;
  pageCount: number;
  pageLabel: string;
  showPageLabel: boolean;
  /** The page asked for does not exist (the last one is shown). */
  pastEnd: boolean;
  hasNext: boolean;
  nextCommand: string;
  hasPrevious: boolean;
  previousCommand: string;
  /** Beside the paging buttons: "Delete all failed" on a list of failed connections. */
  actions: CardAction[];
}

/** The id of the project the row is listed under, when the connection's references name it. */
function projectIdOf(endpoint: ServiceEndpoint, project: string): { projectId?: string } {
  const ref = (endpoint.serviceEndpointProjectReferences ?? []).find((r) => r.projectReference.name === project || r.projectReference.id === project);
  return ref?.projectReference.id ? { projectId: ref.projectReference.id } : {};
}

export function toConnectionRow(project: string, endpoint: ServiceEndpoint): ConnectionRow {
  const failure = failureFix(endpoint, project);
  return {
    project,
    name: endpoint.name,
    type: endpoint.type,
    scheme: authScheme(endpoint),
    mode: creationMode(endpoint) ?? '-',
    state: connectionState(endpoint),
    sharedWith: isSharedEndpoint(endpoint) ? Math.max(2, projectsOf(endpoint).length) : 1,
    disabled: endpoint.isDisabled === true,
    id: endpoint.id,
    ...projectIdOf(endpoint, project),
    ...(failure ? { failure } : {}),
  };
}

const STATE_ICON: Record<ConnectionState, string> = { Ready: '', Failed: `${TONE_ICON.attention} `, InProgress: `${TONE_ICON.pending} `, NotReady: `${TONE_ICON.warning} ` };
const TITLES: Record<ListFilterKind, string> = { usable: 'Service connections', failed: 'Failed service connections', disabled: 'Disabled service connections', all: 'All service connections' };

function rowText(row: ConnectionRow, max: RowLimits): string {
  const shared = row.sharedWith > 1 ? ` · shared (${row.sharedWith} projects)` : '';
  const field = (value: string) => outsideText(value, max.field);
  const disabled = row.disabled ? ` · ⛔ Disabled${row.note ? ` (${outsideText(row.note, max.project)})` : ''}` : '';
  return `**${outsideText(row.name, max.name)}** · ${field(row.type)} · ${field(row.scheme)} · ${field(row.mode)} · ${STATE_ICON[row.state]}${row.state}${disabled}${shared}`;
}

function summaryOf(input: ListViewInput): string {
  const where = plural(input.projectCount, 'project');
  // A connection shared by several of the listed projects is a row in each: say so, or the counts look wrong.
  const seen = new Set<string>();
  const repeated = input.rows.filter((r) => r.sharedWith > 1 && (seen.has(r.name) || !seen.add(r.name))).length;
  const note = repeated > 0 ? ` (${repeated === 1 ? 'one shared connection is' : `${repeated} shared connections are`} listed under each of its projects)` : '';
  const parts = [`${plural(input.rows.length, 'connection')} in ${where}${note}`];
  if (input.filter === 'usable' && input.hiddenFailed > 0) {
    parts.push(`${plural(input.hiddenFailed, 'failed connection')} not shown (say \`list failed\`)`);
  }
  if (input.filter === 'all') {
    const failed = input.rows.filter((r) => r.state === 'Failed').length;
    parts.push(`${failed} failed`);
  }
  return parts.join(' · ');
}

/** Group one page of rows by project, keeping the order the rows came in (sorted by the caller). */
function groupPage(rows: readonly ConnectionRow[], max: RowLimits, buttons: boolean, fixes: boolean): ListView['groups'] {
  const groups = new Map<string, ListRow[]>();
  for (const row of rows) {
    const list = groups.get(row.project) ?? [];
    list.push({ text: rowText(row, max), ...rowActions(row, max.field * 4, buttons, fixes) });
    groups.set(row.project, list);
  }
  return [...groups.entries()].map(([project, items]) => ({ heading: `${outsideText(project, max.project)} (${items.length})`, rows: items }));
}

const bytes = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

/**
 * The page's groups with the longest field limits that fit the page budget. Rows keep their buttons (each carries
 * the whole name, so the tap finds it); a page of absurd names that fits no other way is drawn without them.
 */
function fittedGroups(rows: readonly ConnectionRow[], fixes: boolean): ListView['groups'] {
  for (const buttons of [true, false]) {
    for (const max of ROW_LIMITS) {
      const groups = groupPage(rows, max, buttons, fixes && buttons);
      if (bytes(groups) <= PAGE_BUDGET) return groups;
    }
  }
  return groupPage(rows, ROW_LIMITS[ROW_LIMITS.length - 1] as RowLimits, false, false);
}

export function buildListView(input: ListViewInput): ListView {
  const failedOnly = input.filter === 'failed';
  const size = input.pageSize ?? (failedOnly ? FAILED_PAGE_SIZE : LIST_PAGE_SIZE);
  const pageCount = Math.max(1, Math.ceil(input.rows.length / size));
  const page = Math.min(Math.max(1, Math.floor(input.page)), pageCount);
  // Asked past the end: say so (and show the last page) rather than silently show another one.
  const pastEnd = Math.floor(input.page) > pageCount;
  const slice = input.rows.slice((page - 1) * size, page * size);
  const emptyText = input.filter === 'failed' ? 'No failed connections. 🎉' : input.filter === 'disabled' ? 'No disabled connections. 🎉' : 'No connections match.';
  return {
    title: TITLES[input.filter],
    summary: summaryOf(input),
    age: input.age ? ageLine(input.age) : '',
    hasAge: input.age !== undefined,
    ageShort: input.age ? ageShort(input.age) : '',
    empty: input.rows.length === 0,
    emptyText,
    groups: fittedGroups(slice, failedOnly),
    page,
    pageCount,
    pageLabel: pastEnd ? `There ${pageCount === 1 ? 'is only 1 page' : `are only ${pageCount} pages`}: this is page ${page} of ${pageCount}.` : `Page ${page} of ${pageCount}`,
    showPageLabel: pageCount > 1 || pastEnd,
    pastEnd,
    hasNext: page < pageCount,
    nextCommand: `${cardText(input.command, COMMAND_MAX)} page ${page + 1}`,
    hasPrevious: page > 1,
    previousCommand: `${cardText(input.command, COMMAND_MAX)} page ${page - 1}`,
    actions: input.deleteAllCommand && input.rows.length > 0 ? [commandAction({ title: 'Delete all failed', command: input.deleteAllCommand })] : [],
  };
}

/** One-line fallback text, also what a notification preview shows. */
export function listSummaryText(view: ListView): string {
  const page = view.pastEnd ? ` (${view.pageLabel.replace(/\.$/, '')})` : view.pageCount > 1 ? ` (page ${view.page} of ${view.pageCount})` : '';
  return `${view.title}: ${view.summary}${page}${view.hasAge ? ` · ${view.ageShort}` : ''}`;
}
