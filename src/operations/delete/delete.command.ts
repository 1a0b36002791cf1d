import { inProject } from '../../domain/command-line';
import type { ServiceEndpoint } from '../../domain/endpoint';
import { isFailed } from '../../domain/endpoint';
import { err, ok } from '../../domain/errors';
import type { DeleteTarget } from './delete.planner';
import { planDelete, planDeleteFailed } from './delete.planner';
import type { CommandContext, Reply, ChangeCommand } from '../../commands/command';
import { isBareKeyword, nameOf, parseOptions } from '../../commands/args';
import { commandLine, findTarget, planReply, projectOf, recentHistory, withHistories } from '../../commands/mutating';
import { newPlanId } from '../../ids';
import { nameArg, projectArg } from '../../commands/declared-args';
import { resolveProjects } from '../../commands/projects';

export type DeleteArgs =
  | { kind: 'one'; name: string; project?: string; everywhere: boolean; deep: boolean }
  | { kind: 'failed'; project?: string };

const FLAGS = ['everywhere', 'deep'];

async function deleteOne(args: Extract<DeleteArgs, { kind: 'one' }>, ctx: CommandContext): Promise<Reply> {
  const found = await findTarget(ctx, 'delete', args.name, args.project);
  if (!found.ok) return found.error;
  const { project, endpoint } = found.value;
  const history = await recentHistory(ctx, project, endpoint.id);
  const flags = FLAGS.filter((f) => (f === 'deep' ? args.deep : args.everywhere));
  const plan = planDelete({
    id: newPlanId(), command: commandLine('delete', endpoint.name, args.project, flags), now: ctx.clock.now(),
    targets: [{ endpoint, project: projectOf(endpoint, project), history }], options: { everywhere: args.everywhere, deep: args.deep },
  });
  return planReply(ctx, plan, found.value);
}

/** Failed connections of every addressed project, one entry per connection with every project it was seen in. */
function collectFailed(lists: { project: string; endpoints: ServiceEndpoint[] }[]): { project: string; endpoint: ServiceEndpoint; inProjects: string[] }[] {
  const byId = new Map<string, { project: string; endpoint: ServiceEndpoint; inProjects: string[] }>();
  for (const { project, endpoints } of lists) {
    for (const endpoint of endpoints.filter(isFailed)) {
      const key = endpoint.id.toLowerCase();
      const seen = byId.get(key) ?? { project, endpoint, inProjects: [] };
      seen.inProjects.push(projectOf(endpoint, project).id);
      byId.set(key, seen);
    }
  }
  return [...byId.values()];
}

async function deleteFailed(args: Extract<DeleteArgs, { kind: 'failed' }>, ctx: CommandContext): Promise<Reply> {
  const line = `delete failed${inProject(args.project)}`;
  const scope = await resolveProjects(ctx, args.project, (p) => `delete failed${inProject(p)}`);
  if (!scope.ok) return scope.error;
  // Failed connections are hidden unless asked for (facts §7.2): one list per project with includeFailed.
  const lists = await Promise.all(scope.value.map(async (project) => ({ project, endpoints: await ctx.endpoints.list(project, { includeFailed: true }) })));
  const failed = collectFailed(lists);
  const read = await withHistories(ctx, failed.map((f) => ({ ...f, needsHistory: true })));
  const targets: DeleteTarget[] = read.map((t, i) => ({ ...t, inProjects: failed[i]?.inProjects ?? [] }));
  return planReply(ctx, planDeleteFailed({ id: newPlanId(), command: line, now: ctx.clock.now(), targets }));
}

export const deleteCommand: ChangeCommand<DeleteArgs> = {
  id: 'delete',
  aliases: ['remove'],
  usage: 'delete <name> [in <project>] [everywhere] [deep] · delete failed [in <project>]',
  args: [
    nameArg(false, 'target'),
    { name: 'failed', kind: 'flag', oneOf: 'target', word: 'failed', agents: false, description: 'Every failed connection instead of one by name.', example: 'true' },
    { name: 'everywhere', kind: 'flag', word: 'everywhere', agents: false, description: 'Delete it from every project it is shared with.', example: 'true' },
    { name: 'deep', kind: 'flag', word: 'deep', agents: false, description: 'Also delete the app registration Azure DevOps created for it.', example: 'true' },
    projectArg(),
  ],
  summary: 'Delete a connection (unshared from this project only, unless `everywhere`), or every failed one: a preview, then approval.',
  menuText: 'Delete a connection, or every failed one. You see a preview first; a second person approves.',
  examples: ['delete failed', 'delete sc-old in Payments', 'delete sc-shared everywhere'],
  mutates: true,

  names: (args) => (args.kind === 'one' ? args.name : undefined),
  // Any connection can be deleted (the preview warns about recent use and sharing).
  pick: () => true,
  parse(tokens) {
    const parsed = parseOptions(tokens, ['in']);
    if (!parsed.ok) return parsed;
    const { options, rest } = parsed.value;
    const isFlag = (t: { value: string; quoted: boolean }) => !t.quoted && FLAGS.includes(t.value.toLowerCase());
    const flags = new Set(rest.filter(isFlag).map((t) => t.value.toLowerCase()));
    const words = rest.filter((t) => !isFlag(t));
    const project = options.get('in');
    if (isBareKeyword(words, 'failed')) {
      if (flags.size > 0) return err({ message: '`delete failed` only unshares failed connections from the projects you address: `everywhere` and `deep` apply to one named connection.' });
      return ok({ kind: 'failed', project });
    }
    const name = nameOf(words);
    if (name === '') return err({ message: 'Which connection? Give its name, or say `delete failed`.' });
    return ok({ kind: 'one', name, project, everywhere: flags.has('everywhere'), deep: flags.has('deep') });
  },

  run(args, ctx) {
    return args.kind === 'failed' ? deleteFailed(args, ctx) : deleteOne(args, ctx);
  },
};
