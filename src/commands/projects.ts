import type { Result } from '../domain/errors';
import { err, ok } from '../domain/errors';
import { buildMessageView } from '../cards/message-view';
import { quoteArg } from '../cards/format';
import type { CommandContext, Reply } from './command';
import { closestMatches } from './closest';
import { echoArg } from './echo-arg';

/**
 * Which projects a command looks at: the configured ones (or every visible project when none are configured),
 * narrowed to one when the user says `in <project>`. A project outside the configured set is refused, so the
 * bot never reads beyond what its operators chose.
 */
export async function resolveProjects(ctx: CommandContext, requested: string | undefined, retry: (project: string) => string): Promise<Result<string[], Reply>> {
  if (requested === undefined && ctx.projects.length > 0) return ok([...ctx.projects]);
  const visible = await ctx.endpoints.projects();
  const configured = ctx.projects.map((p) => p.toLowerCase());
  const allowed = configured.length === 0
    ? visible.map((p) => ({ id: p.id, name: p.name ?? p.id }))
    : ctx.projects.map((p) => {
      const known = visible.find((v) => v.id.toLowerCase() === p.toLowerCase() || v.name?.toLowerCase() === p.toLowerCase());
      return { id: known?.id ?? p, name: known?.name ?? p };
    });
  if (requested === undefined) return ok(allowed.map((p) => p.name));
  const wanted = requested.toLowerCase();
  const match = allowed.find((p) => p.name.toLowerCase() === wanted || p.id.toLowerCase() === wanted);
  if (match) return ok([match.name]);
  return err(unknownProjectReply(requested, allowed.map((p) => p.name), retry));
}

function unknownProjectReply(requested: string, names: string[], retry: (project: string) => string): Reply {
  const suggestions = closestMatches(requested, names);
  const hint = suggestions.length ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` : '';
  const known = names.length ? `Projects I look at: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}.` : 'I cannot see any project.';
  const title = `I don't look at a project called "${echoArg(requested)}".`;
  const view = buildMessageView(title, [hint, known], suggestions.map((s) => ({ title: retry(quoteArg(s)), command: retry(quoteArg(s)) })), 'warning');
  return { kind: 'card', text: [title, hint, known].filter(Boolean).join(' '), view: { template: 'message', model: view } };
}
