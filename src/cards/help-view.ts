/**
 * The help card's view model, generated from the registry so it can never drift from the real commands: one line per
 * command under Look / Fix / Alerts / Audit, and how to type each one behind a single toggle (the full grammar of
 * 17 commands is a page, not a chat message).
 */
import { cardText } from './format';
import { commandAction, type CardAction } from './command-action';

const INTRO_MAX = 500;

export type HelpGroup = 'look' | 'fix' | 'alerts' | 'audit';

export interface HelpEntry {
  id: string;
  usage: string;
  summary: string;
  examples: readonly string[];
  aliases?: readonly string[];
  /** Mutating commands never become one-click quick actions. */
  mutates?: boolean;
  /** Its section; default `fix` for a mutating command, `look` otherwise (as the registry says). */
  group?: HelpGroup;
}

export interface HelpCommandRow {
  /** The verb and what it does, in a few words: "**list** · List service connections". */
  line: string;
  /** Id of the hidden block with the whole summary, usage and examples (the toggle shows them all at once). */
  syntaxId: string;
  summary: string;
  usage: string;
  examples: string;
}

export interface HelpView {
  title: string;
  intro: string;
  groups: { title: string; commands: HelpCommandRow[] }[];
  syntaxIds: string[];
  hasSyntax: boolean;
  quickActions: CardAction[];
}

const GROUPS: ReadonlyArray<{ group: HelpGroup; title: string }> = [
  { group: 'look', title: 'Look' }, { group: 'fix', title: 'Fix (a preview first, then a second person approves)' },
  { group: 'alerts', title: 'Alerts and agents' }, { group: 'audit', title: 'Audit and policy' },
];

export const groupOf = (e: Pick<HelpEntry, 'group' | 'mutates'>): HelpGroup => e.group ?? (e.mutates ? 'fix' : 'look');

/** The buttons of the welcome and help cards: what a new person most likely wants, none of them a change. */
export const WHATS_BROKEN = { title: 'What\'s broken', command: 'list failed' };
export const HEALTH = { title: 'Health', command: 'health' };
export const ALERTS_HERE = { title: 'Alerts here', command: 'alerts on' };
export const START_ACTIONS: readonly { title: string; command: string }[] = [WHATS_BROKEN, HEALTH, ALERTS_HERE];

/** Chat clients render card text as markdown that drops `<name>` as an unknown HTML tag: show ‹name›. */
const shownUsage = (usage: string): string => usage.replace(/</g, '‹').replace(/>/g, '›');

/** A summary's first clause ("Show one connection: scheme, …" → "Show one connection"): the line a list needs. */
export function leadOf(summary: string): string {
  const cut = summary.search(/[:.;](\s|$)/);
  return cut >= 12 ? summary.slice(0, cut) : summary.replace(/\.$/, '');
}

function rowOf(e: HelpEntry, index: number): HelpCommandRow {
  const also = e.aliases?.length ? ` (also: ${e.aliases.join(', ')})` : '';
  return {
    line: `**${e.id}** · ${leadOf(e.summary)}`,
    summary: `${e.summary}${also}`,
    syntaxId: `syntax-${index}`,
    usage: shownUsage(e.usage),
    examples: e.examples.length ? `e.g. ${e.examples.map((x) => `\`${x}\``).join(', ')}` : '',
  };
}

export function buildHelpView(entries: readonly HelpEntry[], intro = 'Type a command, or mention me in a channel. Tap "How to type them" for the exact words; or type `create`, `share` or `restrict` alone for a form.'): HelpView {
  const rows = entries.map((e, i) => ({ group: groupOf(e), row: rowOf(e, i) }));
  const groups = GROUPS.map(({ group, title }) => ({ title, commands: rows.filter((r) => r.group === group).map((r) => r.row) })).filter((g) => g.commands.length > 0);
  const syntaxIds = rows.map((r) => r.row.syntaxId);
  return {
    title: 'What I can do',
    intro: cardText(intro, INTRO_MAX),
    groups, syntaxIds, hasSyntax: syntaxIds.length > 0,
    quickActions: START_ACTIONS.map(commandAction),
  };
}

/** The verbs only: full usages of every command outgrow a notification preview (the card has them). */
export function helpSummaryText(entries: readonly HelpEntry[]): string {
  return `Commands: ${entries.map((e) => e.usage.split(' ')[0]).join(', ')}. Say \`help <command>\` for one.`;
}
