/** The bot's commands. Each lives in its own file; this is the one list of what is registered. */
import { accessCommand } from './access.command';
import { alertsCommand } from './alerts.command';
import { agentsCommand } from './agents.command';
import { auditCommand } from './audit.command';
import { helpCommand } from './help.command';
import { listCommand } from './list.command';
import { CommandRegistry } from './registry';
import { operationCommands } from '../operations/operations';
import { showCommand } from './show.command';
import { policyCommand } from './policy.command';
import { welcomeCommand } from './welcome.command';
import { healthCommand } from './health.command';

export type { Command, CommandContext, CommandServices, ChangeSettings, Reply, Turn, UsageError } from './command';
export type { CardJson } from '../cards/card';
export { DEFAULT_CHANGE_SETTINGS } from './command';
export { CommandRegistry } from './registry';
export { tokenize, normalizeText, echo, type Token, type TokenizeOptions } from './tokenizer';
export { errorText, ERROR_TEXT } from '../cards/error-text';
export { replyForError } from './error-reply';

export function createCommandRegistry(): CommandRegistry {
  const registry = new CommandRegistry();
  registry.register(helpCommand(registry));
  registry.register(welcomeCommand);
  registry.register(listCommand);
  registry.register(showCommand);
  registry.register(auditCommand);
  registry.register(healthCommand);
  registry.register(alertsCommand);
  registry.register(agentsCommand);
  registry.register(accessCommand);
  // Change commands answer with a plan preview and go through approval: one per operation, in the list's order.
  for (const command of operationCommands()) registry.register(command);
  registry.register(policyCommand);
  return registry;
}
