/**
 * A change or a read named no connection (`revert`, `enable`, `show`…): instead of "Which connection?", the
 * connections the command would act on now, each a button pinned to its id (as a list row's buttons are). Read
 * live through the conversation's endpoints (under a policy file, already narrowed to what it may read); the
 * command's `pick` is its planner's own test, so `revert` lists only connections inside their revert window.
 */
import { inProject, isGuid } from '../domain/command-line';
import { messageReply, warningReply } from '../cards/message-view';
import type { Command, CommandContext, Reply } from './command';
import { commandLine } from './mutating';
import { scopedConnections, type ScopedConnection } from './form-choices';
import { inlineCode } from '../cards/outside-text';
import { chatText } from '../cards/presenter';

/** Buttons a message card holds; the rest are counted and the person pointed at `list`. */
export const PICKS_MAX = 5;

/** Every connection in scope the command would take now, failed ones included (rotate and delete fix those). */
async function picks(command: Command & { pick: NonNullable<Command['pick']> }, ctx: CommandContext, project: string | undefined): Promise<ScopedConnection[] | Reply> {
  // `rotate in <project>` with a project the bot does not look at: the usual answer, its retry keeping the verb.
  const found = await scopedConnections(ctx, project, { includeFailed: true, retry: (p) => `${verbOf(command)}${inProject(p)}` });
  if (!found.ok) return found.error;
  const now = ctx.clock.now();
  return found.value.filter((c) => command.pick({ ...c, history: [] }, now));
}

/** The words a command line starts with: `migrate issuer`, not `migrate`, which alone would not parse. */
const verbOf = (command: Command): string => command.verb ?? command.id;

export async function pickListReply(command: Command & { pick: NonNullable<Command['pick']> }, ctx: CommandContext, project: string | undefined): Promise<Reply> {
  const found = await picks(command, ctx, project);
  if (!Array.isArray(found)) return found;
  // A card's markdown drops `<name>` as an unknown HTML tag: placeholders are shown as ‹name›, as on the help card.
  const usage = `Or type it: ${inlineCode(chatText(command.usage), 200)}.`;
  const verb = verbOf(command);
  if (found.length === 0) return warningReply(`Which connection? None I can see can take ${inlineCode(verb, 40)} now.`, ['Say `list` to see the connections and their state.', usage]);
  const buttons = found.slice(0, PICKS_MAX).map(({ endpoint, project: p }) => ({
    title: `${endpoint.name} (${p.name})`,
    command: commandLine(verb, endpoint.name, p.name),
    target: { connectionId: endpoint.id, ...(isGuid(p.id) ? { projectId: p.id } : {}) },
  }));
  const more = found.length > PICKS_MAX ? [`${found.length - PICKS_MAX} more can: say \`list\` to see them all, then type the one you mean.`] : [];
  return messageReply(`Which connection? ${found.length === 1 ? 'This one' : `These ${found.length}`} can take ${inlineCode(verb, 40)} now:`, [...more, usage], buttons);
}
