import { buildDetailView, DETAIL_EXECUTIONS, detailSummaryText } from '../cards/connection-detail-view';
import { quoteArg } from '../cards/format';
import { warningReply } from '../cards/message-view';
import type { Command, CommandContext, Reply } from './command';
import { parseConnectionName } from './args';
import { echoArg } from './echo-arg';
import type { Lookup } from './find-connection';
import { findConnection } from './find-connection';
import { resolveProjects } from './projects';

export interface ShowArgs {
  name: string;
  project?: string;
}

const showLine = (name: string, project?: string): string => `show ${quoteArg(name)}${project ? ` in ${quoteArg(project)}` : ''}`;

function ambiguousReply(name: string, lookup: Extract<Lookup, { kind: 'ambiguous' }>): Reply {
  const projects = [...new Set(lookup.matches.map((m) => m.project))];
  const commands = projects.map((p) => showLine(name, p));
  return warningReply(`"${echoArg(name)}" exists in ${projects.length} projects: which one?`, [`Projects: ${projects.join(', ')}.`, `Say \`${commands[0]}\`.`], commands.map((c) => ({ title: c, command: c })));
}

function missingReply(name: string, suggestions: string[], project?: string): Reply {
  const where = project ? ` in ${echoArg(project)}` : '';
  const hint = suggestions.length ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` : 'Say `list` to see the connections.';
  const commands = suggestions.map((s) => showLine(s, project));
  return warningReply(`I can't find a connection called "${echoArg(name)}"${where}.`, [hint], commands.map((c) => ({ title: c, command: c })));
}

async function detailReply(ctx: CommandContext, lookup: Extract<Lookup, { kind: 'found' }>): Promise<Reply> {
  const history = await ctx.endpoints.executionHistory(lookup.project, lookup.endpoint.id, { top: DETAIL_EXECUTIONS });
  const view = buildDetailView({ endpoint: lookup.endpoint, project: lookup.project, executions: history.records, now: ctx.clock.now() });
  return { kind: 'card', text: detailSummaryText(view), view: { template: 'connection-detail', model: view } };
}

export const showCommand: Command<ShowArgs> = {
  id: 'show',
  aliases: ['get', 'describe'],
  usage: 'show <name> [in <project>]',
  summary: 'Show one connection: scheme, identity, state and why it failed, sharing, recent runs.',
  examples: ['show sc-prod', 'show "my connection" in Payments'],
  mutates: false,

  parse(tokens) {
    return parseConnectionName(tokens, 'Which connection? Give its name.');
  },

  async run(args, ctx) {
    const scope = await resolveProjects(ctx, args.project, (p) => showLine(args.name, p));
    if (!scope.ok) return scope.error;
    const lookup = await findConnection(ctx, scope.value, args.name);
    if (lookup.kind === 'ambiguous') return ambiguousReply(args.name, lookup);
    if (lookup.kind === 'missing') return missingReply(args.name, lookup.suggestions, args.project);
    return detailReply(ctx, lookup);
  },
};
