/** The bot's commands. Each lives in its own file; this is the one list of what is registered. */
import { helpCommand } from './help.command';
import { listCommand } from './list.command';
import { CommandRegistry } from './registry';
import { showCommand } from './show.command';

export type { Command, CommandContext, CardJson, Reply, UsageError } from './command';
export { CommandRegistry } from './registry';
export { tokenize, normalizeText, echo, type Token, type TokenizeOptions } from './tokenizer';
export { errorText, replyForError, ERROR_TEXT } from './error-text';

export function createCommandRegistry(): CommandRegistry {
  const registry = new CommandRegistry();
  registry.register(helpCommand(registry));
  registry.register(listCommand);
  registry.register(showCommand);
  return registry;
}
