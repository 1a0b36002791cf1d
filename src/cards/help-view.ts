/** The help card's view model, generated from the registry so it can never drift from the real commands. */
import { cardText } from './format';
import { commandAction, type CardAction } from './command-action';

const INTRO_MAX = 500;
export interface HelpEntry {
  id: string;
  usage: string;
  summary: string;
  examples: readonly string[];
  aliases?: readonly string[];
  /** Mutating commands never become one-click quick actions. */
  mutates?: boolean;
}

export interface HelpView {
  title: string;
  intro: string;
  commands: { usage: string; summary: string; examples: string }[];
  quickActions: CardAction[];
}

export function buildHelpView(entries: readonly HelpEntry[], intro = 'Type a command, or mention me in a channel.'): HelpView {
  return {
    title: 'What I can do',
    intro: cardText(intro, INTRO_MAX),
    commands: entries.map((e) => ({
      // Chat clients render card text as markdown that drops `<name>` as an unknown HTML tag: show ‹name›.
      usage: e.usage.replace(/</g, '‹').replace(/>/g, '›'),
      summary: e.aliases?.length ? `${e.summary} (also: ${e.aliases.join(', ')})` : e.summary,
      examples: e.examples.length ? `e.g. ${e.examples.map((x) => `\`${x}\``).join(', ')}` : '',
    })),
    // The first example of each read-only command doubles as a button, so a new user can try one with a click.
    quickActions: entries.filter((e) => e.examples[0] !== undefined && e.id !== 'help' && !e.mutates).slice(0, 4).map((e) => commandAction({ title: e.examples[0] as string, command: e.examples[0] as string })),
  };
}

/** The verbs only: full usages of every command outgrow a notification preview (the card has them). */
export function helpSummaryText(entries: readonly HelpEntry[]): string {
  return `Commands: ${entries.map((e) => e.usage.split(' ')[0]).join(', ')}. Say \`help <command>\` for one.`;
}
