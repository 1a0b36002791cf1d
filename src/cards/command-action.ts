/**
 * A `command` button as the templates draw it (`"data": "${data}"`, verb `command`). The data is what the bot
 * wrote, sent back untouched and read verbatim by the tap handler: the command line, and for a button about one
 * connection that connection's id (and project id), so the tap acts on it or on nothing.
 */
import { isGuid, type CommandButton } from '../domain/command-line';
import { cardText, truncate } from './format';
import { outsideText, visibleText } from './outside-text';

/**
 * Characters of a pinned button's command: the whole name is needed (the tap checks it), and a longer one is cut
 * and then refused. The tap handler refuses more than 1,200 (bot/invoke-responses.ts).
 */
export const PINNED_COMMAND_MAX = 600;
/** Other buttons resend a command typed or suggested; only an absurd one is cut. */
const COMMAND_MAX = 300;
const TITLE_MAX = 60;

export interface CommandData {
  command: string;
  connectionId?: string;
  projectId?: string;
}

export interface CardAction {
  /** Plain text (a button title is never markdown), hidden characters made visible. */
  title: string;
  /** The command the button sends, exactly. */
  command: string;
  /** The command as a TextBlock shows it ("Tap: …"): literal. */
  commandText: string;
  data: CommandData;
}

export function commandAction(button: CommandButton): CardAction {
  // A pinned command is never cleaned: it must name the connection exactly (an absurd one is cut, then refused).
  const command = !button.target ? cardText(button.command, COMMAND_MAX)
    : button.command.length > PINNED_COMMAND_MAX ? truncate(button.command, PINNED_COMMAND_MAX) : button.command;
  // A project known only by name (no reference on the connection) is left to the command line's `in <project>`.
  const projectId = button.target?.projectId !== undefined && isGuid(button.target.projectId) ? { projectId: button.target.projectId } : {};
  const pin = button.target ? { connectionId: button.target.connectionId, ...projectId } : {};
  return { title: visibleText(button.title, TITLE_MAX), command, commandText: outsideText(command, 300), data: { command, ...pin } };
}
