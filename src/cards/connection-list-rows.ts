/**
 * What a person can do from a row of the connection list: tap it to open the connection (`show`, pinned to its id),
 * and on a failed one read why it failed and press the fix that fits (Rotate when a new secret is the cure, else
 * Delete). Every button goes plan → preview → approval like a typed command.
 */
import { quoteArg } from '../domain/command-line';
import { commandAction, type CardAction, type CommandData } from './command-action';
import type { FailureFix } from '../domain/failure';
import { outsideText } from './outside-text';

export interface ListRow {
  text: string;
  /** False when the row sends nothing when tapped (no id known, or a page too large to carry its buttons). */
  tap: boolean;
  /** What a tap sends: `show <name> in <project>`, pinned to the connection. */
  data: CommandData | Record<string, never>;
  hasReason: boolean;
  reason: string;
  hasFixes: boolean;
  fixes: CardAction[];
}

/** The fields of a list row (connection-list-view.ts ConnectionRow) its buttons need. */
export interface RowTarget {
  name: string;
  project: string;
  id?: string;
  projectId?: string;
  failure?: FailureFix;
}

const FIX_TITLE = { rotate: 'Rotate', delete: 'Delete' } as const;

export function rowActions(row: RowTarget, reasonMax: number, buttons: boolean, fixes: boolean): Omit<ListRow, 'text'> {
  const reason = row.failure ? outsideText(row.failure.reason, reasonMax) : '';
  const base = { hasReason: reason !== '', reason, hasFixes: false, fixes: [] as CardAction[] };
  if (!buttons || row.id === undefined) return { ...base, tap: false, data: {} };
  const target = { connectionId: row.id, ...(row.projectId ? { projectId: row.projectId } : {}) };
  const on = `${quoteArg(row.name)} in ${quoteArg(row.project)}`;
  const show = commandAction({ title: `show ${row.name}`, command: `show ${on}`, target });
  const fix = fixes && row.failure ? [commandAction({ title: FIX_TITLE[row.failure.fix], command: `${row.failure.fix} ${on}`, target })] : [];
  return { ...base, tap: true, data: show.data, hasFixes: fix.length > 0, fixes: fix };
}
