/**
 * A change or a read named no connection (`revert`, `enable`, `show`…): instead of "Which connection?", the
 * connections the command would act on now, each a button pinned to its id (as a list row's buttons are). Read
 * live through the conversation's endpoints (under a policy file, already narrowed to what it may read); the
 * command's `pick` is its planner's own test, so `revert` lists only connections inside their revert window.
 */
import type { ServiceEndpoint } from '../domain/endpoint';
import { isGuid } from '../domain/command-line';
import { messageReply, warningReply } from '../cards/message-view';
import type { Command, CommandContext, Reply } from './command';
import { commandLine, projectOf } from './mutating';
import { resolveProjects } from './projects';
import { inlineCode } from '../cards/outside-text';

/** Buttons a message card holds; the rest are counted and the person pointed at `list`. */
export const PICKS_MAX = 5;

interface Pick {
  endpoint: ServiceEndpoint;
  project: { id: string; name: string };
}

/** Every connection in scope the command would take, once each (a shared one is listed in several projects). */
async function picks(command: Command & { pick: NonNullable<Command['pick']> }, ctx: CommandContext, project: string | undefined): Promise<Pick[] | Reply> {
  const scope = await resolveProjects(ctx, project, (p) => `${command.id} in ${p}`);
  if (!scope.ok) return scope.error;
  const now = ctx.clock.now();
  const lists = await Promise.all(scope.value.map(async (p) => (await ctx.endpoints.list(p)).map((endpoint) => ({ endpoint, project: projectOf(endpoint, p) }))));
  const seen = new Set<string>();
  return lists.flat()
    .filter((p) => command.pick({ ...p, history: [] }, now))
    .filter((p) => !seen.has(p.endpoint.id.toLowerCase()) && seen.add(p.endpoint.id.toLowerCase()))
    .sort((a, b) => a.endpoint.name.localeCompare(b.endpoint.name) || a.project.name.localeCompare(b.project.name));
}

export async function pickListReply(command: Command & { pick: NonNullable<Command['pick']> }, ctx: CommandContext, project: string | undefined): Promise<Reply> {
  const found = await picks(command, ctx, project);
  if (!Array.isArray(found)) return found;
  const usage = `Or type it: ${inlineCode(command.usage, 200)}.`;
  if (found.length === 0) return warningReply(`Which connection? None I can see can take ${inlineCode(command.id, 40)} now.`, ['Say `list` to see the connections and their state.', usage]);
  const buttons = found.slice(0, PICKS_MAX).map(({ endpoint, project: p }) => ({
    title: `${endpoint.name} (${p.name})`,
    command: commandLine(command.id, endpoint.name, p.name),
    target: { connectionId: endpoint.id, ...(isGuid(p.id) ? { projectId: p.id } : {}) },
  }));
  const more = found.length > PICKS_MAX ? [`${found.length - PICKS_MAX} more can: say \`list\` to see them all, then type the one you mean.`] : [];
  return messageReply(`Which connection? ${found.length === 1 ? 'This one' : `These ${found.length}`} can take ${inlineCode(command.id, 40)} now:`, [...more, usage], buttons);
}
