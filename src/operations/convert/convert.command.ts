import { inProject } from '../../domain/command-line';
import type { ServiceEndpoint } from '../../domain/endpoint';
import { err, ok } from '../../domain/errors';
import { convertIneligibility, planConvert, planConvertOne } from './convert.planner';
import { isRefusal } from '../../domain/planning';
import type { CommandContext, Reply, ChangeCommand } from '../../commands/command';
import { isBareKeyword, nameOf, parseOptions } from '../../commands/args';
import { commandLine, findTarget, planReply, projectOf, recentHistory, refusalReply, withHistories } from '../../commands/mutating';
import { newPlanId } from '../../ids';
import { nameArg, projectArg } from '../../commands/declared-args';
import { resolveProjects } from '../../commands/projects';

export type ConvertArgs = { kind: 'one'; name: string; project?: string } | { kind: 'all'; project?: string };

async function convertOne(args: Extract<ConvertArgs, { kind: 'one' }>, ctx: CommandContext): Promise<Reply> {
  const found = await findTarget(ctx, 'convert', args.name, args.project);
  if (!found.ok) return found.error;
  const { project, endpoint } = found.value;
  const bare = { endpoint, project: projectOf(endpoint, project), history: [] };
  const history = convertIneligibility(bare) ? [] : await recentHistory(ctx, project, endpoint.id);
  const outcome = planConvertOne({ id: newPlanId(), command: commandLine('convert', endpoint.name, args.project), now: ctx.clock.now(), target: { ...bare, history } });
  return isRefusal(outcome) ? refusalReply(outcome, 'convert') : planReply(ctx, outcome, found.value);
}

/** Every azurerm connection once (a shared one appears in each project's list), in the first project it was seen. */
function distinct(lists: { project: string; endpoints: ServiceEndpoint[] }[]): { project: string; endpoint: ServiceEndpoint }[] {
  const byId = new Map<string, { project: string; endpoint: ServiceEndpoint }>();
  for (const { project, endpoints } of lists) for (const endpoint of endpoints) if (!byId.has(endpoint.id.toLowerCase())) byId.set(endpoint.id.toLowerCase(), { project, endpoint });
  return [...byId.values()];
}

async function convertAll(args: Extract<ConvertArgs, { kind: 'all' }>, ctx: CommandContext): Promise<Reply> {
  const scope = await resolveProjects(ctx, args.project, (p) => `convert all${inProject(p)}`);
  if (!scope.ok) return scope.error;
  // includeFailed so failed ones are listed as skipped with their reason instead of silently missing.
  const lists = await Promise.all(scope.value.map(async (project) => ({ project, endpoints: await ctx.endpoints.list(project, { includeFailed: true, type: 'azurerm' }) })));
  const found = distinct(lists);
  // History only for the eligible ones: a skipped connection needs no further call.
  const reads = found.map((f) => ({ ...f, needsHistory: convertIneligibility({ endpoint: f.endpoint, project: projectOf(f.endpoint, f.project), history: [] }) === undefined }));
  const targets = await withHistories(ctx, reads);
  const plan = planConvert({ id: newPlanId(), command: `convert all${inProject(args.project)}`, now: ctx.clock.now(), targets });
  return planReply(ctx, plan);
}

export const convertCommand: ChangeCommand<ConvertArgs> = {
  id: 'convert',
  usage: 'convert <name> [in <project>] · convert all [in <project>]',
  args: [
    nameArg(false, 'target'),
    { name: 'all', kind: 'flag', oneOf: 'target', word: 'all', agents: false, description: 'Every ServicePrincipal connection that can be converted, instead of one by name.', example: 'true' },
    projectArg(),
  ],
  summary: 'Convert Automatic ServicePrincipal connections to workload identity federation (revertible for 7 days): a preview, then approval.',
  menuText: 'Move connections from a secret to workload identity federation (undo within 7 days). Preview first, then approval.',
  examples: ['convert sc-prod', 'convert all in Payments'],
  mutates: true,

  names: (args) => (args.kind === 'one' ? args.name : undefined),
  pick: (target) => convertIneligibility(target) === undefined,
  parse(tokens) {
    const parsed = parseOptions(tokens, ['in']);
    if (!parsed.ok) return parsed;
    const { options, rest } = parsed.value;
    const project = options.get('in');
    if (isBareKeyword(rest, 'all')) return ok({ kind: 'all', project });
    const name = nameOf(rest);
    if (name === '') return err({ message: 'Which connection? Give its name, or say `convert all`.' });
    return ok({ kind: 'one', name, project });
  },

  run(args, ctx) {
    return args.kind === 'all' ? convertAll(args, ctx) : convertOne(args, ctx);
  },
};
