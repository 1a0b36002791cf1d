import { err, ok } from '../domain/errors';
import { buildHelpView, helpSummaryText } from '../cards/help-view';
import type { Command, Reply } from './command';
import type { CommandRegistry } from './registry';
import { usageReply } from './registry';

export interface HelpArgs {
  topic?: string;
}

/** `help` lists every registered command; `help <command>` gives one command's usage. */
export function helpCommand(registry: CommandRegistry): Command<HelpArgs> {
  return {
    id: 'help',
    aliases: ['commands'],
    usage: 'help [command]',
    summary: 'Show what I can do.',
    menuText: 'Everything I can do, grouped, with how to type each command.',
    examples: ['help', 'help list'],
    mutates: false,
    parse(tokens) {
      if (tokens.length > 1) return err({ message: 'Ask about one command at a time.' });
      return ok({ topic: tokens[0]?.value });
    },
    async run(args): Promise<Reply> {
      if (args.topic !== undefined) {
        const command = registry.find(args.topic);
        if (command) return usageReply(command, `\`${command.id}\`: ${command.summary}`);
      }
      const entries = registry.commands();
      return { kind: 'card', text: helpSummaryText(entries), view: { template: 'help', model: buildHelpView(entries) } };
    },
  };
}
