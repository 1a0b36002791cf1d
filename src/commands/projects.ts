import type { Result } from '../domain/errors';
import { err, ok } from '../domain/errors';
import { buildMessageView } from '../cards/message-view';
import type { CommandContext, Reply } from './command';
import { closestMatches } from './closest';
import { echoArg } from './echo-arg';
import { unpinnedReply } from './find-connection';
import { inlineCode, outsideText } from '../cards/outside-text';

/**
 * Which projects a command looks at: the configured ones (or every visible project when none are configured),
 * narrowed to one when the user says `in <project>`. A project outside the configured set is refused, so the
 * bot never reads beyond what its operators chose.
 */
export async function resolveProjects(ctx: CommandContext, requested: string | undefined, retry: (project: string) => string): Promise<Result<string[], Reply>> {
  const pinnedProject = ctx.pinned?.projectId;
  if (requested === undefined && ctx.projects.length > 0 && pinnedProject === undefined) return ok([...ctx.projects]);
  const visible = await ctx.endpoints.projects();
  const configured = ctx.projects.map((p) => p.toLowerCase());
  const allowed = configured.length === 0
    ? visible.map((p) => ({ id: p.id, name: p.name ?? p.id }))
    : ctx.projects.map((p) => {
      const known = visible.find((v) => v.id.toLowerCase() === p.toLowerCase() || v.name?.toLowerCase() === p.toLowerCase());
      return { id: known?.id ?? p, name: known?.name ?? p };
    });
  if (ctx.pinned && pinnedProject !== undefined) return pinnedScope(allowed, ctx.pinned.connectionId, pinnedProject, requested);
  if (requested === undefined) return ok(allowed.map((p) => p.name));
  const match = allowed.find((p) => sameProject(p, requested));
  if (match) return ok([match.name]);
  return err(unknownProjectReply(requested, allowed.map((p) => p.name), retry));
}

const sameProject = (p: { id: string; name: string }, wanted: string): boolean => p.name.toLowerCase() === wanted.toLowerCase() || p.id.toLowerCase() === wanted.toLowerCase();

/** A button pinned to a project: that project (one the bot looks at, and the one its command names), or nothing. */
function pinnedScope(allowed: readonly { id: string; name: string }[], connectionId: string, projectId: string, requested: string | undefined): Result<string[], Reply> {
  const match = allowed.find((p) => p.id.toLowerCase() === projectId.toLowerCase());
  return match && (requested === undefined || sameProject(match, requested)) ? ok([match.name]) : err(unpinnedReply(connectionId));
}

function unknownProjectReply(requested: string, names: string[], retry: (project: string) => string): Reply {
  const suggestions = closestMatches(requested, names);
  const hint = suggestions.length ? `Did you mean ${suggestions.map((s) => inlineCode(s, 80)).join(' or ')}?` : '';
  const known = names.length ? `Projects I look at: ${outsideText(names.slice(0, 20).join(', '), 1_000)}${names.length > 20 ? ', …' : ''}.` : 'I cannot see any project.';
  const title = `I don't look at a project called "${echoArg(requested)}".`;
  const view = buildMessageView(title, [hint, known], suggestions.map((s) => ({ title: retry(s), command: retry(s) })), 'warning');
  return { kind: 'card', text: [title, hint, known].filter(Boolean).join(' '), view: { template: 'message', model: view } };
}
