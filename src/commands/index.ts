/** The bot's commands. Each lives in its own file; this is the one list of what is registered. */
import { accessCommand } from './access.command';
import { alertsCommand } from './alerts.command';
import { authorizeCommand } from '../operations/access/authorize.command';
import { enableCommand } from '../operations/enable/enable.command';
import { restrictCommand } from '../operations/access/restrict.command';
import { shareCommand, unshareCommand } from '../operations/share/share.command';
import { auditCommand } from './audit.command';
import { convertCommand } from '../operations/convert/convert.command';
import { createCommand } from '../operations/create/create.command';
import { deleteCommand } from '../operations/delete/delete.command';
import { helpCommand } from './help.command';
import { listCommand } from './list.command';
import { migrateIssuerCommand } from '../operations/migrate-issuer/migrate-issuer.command';
import { CommandRegistry } from './registry';
import { revertCommand } from '../operations/revert/revert.command';
import { rotateCommand } from '../operations/rotate/rotate.command';
import { showCommand } from './show.command';

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
  registry.register(listCommand);
  registry.register(showCommand);
  registry.register(auditCommand);
  registry.register(alertsCommand);
  registry.register(accessCommand);
  // Mutating commands answer with a plan preview; approval and execution arrive with the approval workflow.
  registry.register(rotateCommand);
  registry.register(deleteCommand);
  registry.register(convertCommand);
  registry.register(revertCommand);
  registry.register(enableCommand);
  registry.register(restrictCommand);
  registry.register(authorizeCommand);
  registry.register(shareCommand);
  registry.register(unshareCommand);
  registry.register(migrateIssuerCommand);
  registry.register(createCommand);
  return registry;
}
