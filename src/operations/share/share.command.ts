import type { ServiceEndpoint } from '../../domain/endpoint';
import { err, ok, type Result } from '../../domain/errors';
import { isRefusal } from '../../domain/planning';
import { planShare, planUnshare } from './share.planner';
import { quoteArg } from '../../domain/command-line';
import { newPlanId } from '../../ids';
import { nameArg, projectArg } from '../../commands/declared-args';
import type { Command, CommandContext, Reply, ChangeCommand } from '../../commands/command';
import { parseOptions } from '../../commands/args';
import { joined, splitAt, usedLately } from '../../commands/access-reads';
import { findTarget, planReply, refusalReply } from '../../commands/mutating';
import { resolveProjects } from '../../commands/projects';
import { shareForm } from './share.form';

export interface ShareArgs {
  name: string;
  other: string;
  project?: string;
}

type Direction = 'share' | 'unshare';
const KEYWORD: Record<Direction, string> = { share: 'with', unshare: 'from' };

function parseShare(direction: Direction) {
  return (tokens: Parameters<Command['parse']>[0]): Result<ShareArgs, { message: string }> => {
    const parsed = parseOptions(tokens, ['in']);
    if (!parsed.ok) return parsed;
    const { before, after } = splitAt(parsed.value.rest, KEYWORD[direction]);
    const name = joined(before);
    const other = after ? joined(after) : '';
    if (name === '' || other === '') return err({ message: `Say which connection and which project: \`${direction} <name> ${KEYWORD[direction]} <project>\`.` });
    return ok({ name, other, project: parsed.value.options.get('in') });
  };
}

/** The project the connection is addressed in for an unshare: one it stays in, never the one it leaves. */
function homeProject(endpoint: ServiceEndpoint, found: string, otherId: string): { id: string; name: string } {
  const refs = (endpoint.serviceEndpointProjectReferences ?? []).map((r) => r.projectReference);
  const home = refs.find((r) => r.id.toLowerCase() !== otherId.toLowerCase()) ?? refs[0];
  return home ? { id: home.id, name: home.name ?? home.id } : { id: found, name: found };
}

async function run(direction: Direction, args: ShareArgs, ctx: CommandContext): Promise<Reply> {
  const line = [direction, quoteArg(args.name), KEYWORD[direction], quoteArg(args.other), ...(args.project ? ['in', quoteArg(args.project)] : [])].join(' ');
  // The other project must be one the bot looks at: it never shares into (or reads) a project outside its scope.
  // The other project is named by the command, never by a button's pin (that pins the connection's own project).
  const otherScope = await resolveProjects({ ...ctx, pinned: undefined }, args.other, (p) => `${direction} ${quoteArg(args.name)} ${KEYWORD[direction]} ${quoteArg(p)}`);
  if (!otherScope.ok) return otherScope.error;
  const visible = await ctx.endpoints.projects();
  const otherName = otherScope.value[0] ?? args.other;
  const known = visible.find((p) => p.name?.toLowerCase() === otherName.toLowerCase() || p.id.toLowerCase() === otherName.toLowerCase());
  const other = { id: known?.id ?? otherName, name: known?.name ?? otherName };
  const found = await findTarget(ctx, direction, args.name, args.project);
  if (!found.ok) return found.error;
  const { endpoint } = found.value;
  const project = homeProject(endpoint, found.value.project, other.id);
  const input = { id: newPlanId(), command: line, now: ctx.clock.now(), target: { endpoint, project }, other };
  if (direction === 'share') {
    const outcome = planShare({ ...input, otherPipelines: await ctx.pipelines.pipelines(other.id), otherUsed: [] });
    return isRefusal(outcome) ? refusalReply(outcome, 'share') : planReply(ctx, outcome, found.value);
  }
  const inOther = (endpoint.serviceEndpointProjectReferences ?? []).some((r) => r.projectReference.id.toLowerCase() === other.id.toLowerCase());
  const otherUsed = inOther ? await usedLately(ctx, other.id, endpoint.id) : [];
  const outcome = planUnshare({ ...input, otherPipelines: [], otherUsed });
  return isRefusal(outcome) ? refusalReply(outcome, 'unshare') : planReply(ctx, outcome, found.value);
}

export const shareCommand: ChangeCommand<ShareArgs> = {
  id: 'share',
  usage: 'share <name> with <project> [in <project>]',
  args: [
    nameArg(true),
    { name: 'with', kind: 'option', keyword: 'with', required: true, description: 'The project that gains the connection.', example: 'Platform' },
    projectArg(),
  ],
  summary: 'Share a connection with another project (its pipelines may then be authorized): a preview, then approval.',
  examples: ['share sc-prod with Platform', 'share acr-payments with "Data Science"'],
  mutates: true,
  // The compose-box list holds 12 commands; sharing is rare enough to be found through `help`.
  menu: false,
  parse: parseShare('share'),
  form: shareForm,
  names: (args) => args.name,
  run: (args, ctx) => run('share', args, ctx),
};

export const unshareCommand: ChangeCommand<ShareArgs> = {
  id: 'unshare',
  usage: 'unshare <name> from <project> [in <project>]',
  args: [
    nameArg(true),
    { name: 'from', kind: 'option', keyword: 'from', required: true, description: 'The project that loses the connection (never the one it was created in).', example: 'Platform' },
    projectArg(),
  ],
  summary: 'Remove a shared connection from one other project (its pipelines there lose it): a preview, then approval.',
  examples: ['unshare sc-shared-registry from Platform'],
  mutates: true,
  menu: false,
  parse: parseShare('unshare'),
  names: (args) => args.name,
  run: (args, ctx) => run('unshare', args, ctx),
};
