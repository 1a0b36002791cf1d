import type { ServiceEndpoint } from '../../domain/endpoint';
import { err, ok } from '../../domain/errors';
import type { PipelineRef } from '../../domain/pipeline-access';
import { planRestrict, type AccessTarget } from './access.planner';
import { warningReply } from '../../cards/message-view';
import { inlineCode, outsideText } from '../../cards/outside-text';
import { quoteArg, inProject } from '../../domain/command-line';
import { newPlanId } from '../../ids';
import { nameArg, projectArg } from '../../commands/declared-args';
import type { CommandContext, Reply, ChangeCommand } from '../../commands/command';
import { isBareKeyword, parseOptions } from '../../commands/args';
import { commaList, joined, readAccessTarget, splitAt, TurnPipelines } from '../../commands/access-reads';
import { closestMatches } from '../../commands/closest';
import { echoArg } from '../../commands/echo-arg';
import { findTarget, planReply } from '../../commands/mutating';
import { resolveProjects } from '../../commands/projects';
import PQueue from 'p-queue';
import { restrictForm } from './restrict.form';

export type RestrictArgs =
  | { kind: 'one'; name: string; project?: string; to?: string[] }
  | { kind: 'all'; project?: string };

function restrictLine(name: string, project?: string, to?: readonly string[]): string {
  return ['restrict', quoteArg(name), ...(to?.length ? ['to', to.join(', ')] : []), ...(project ? ['in', quoteArg(project)] : [])].join(' ');
}

/** Pipeline names → ids in the connection's project; an unknown name is answered, never silently dropped. */
export function resolvePipelines(names: readonly string[], pipelines: readonly PipelineRef[]): { ids: number[]; unknown: string[] } {
  const ids: number[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const found = pipelines.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (found) ids.push(found.id);
    else unknown.push(name);
  }
  return { ids, unknown };
}

export function unknownPipelineReply(unknown: readonly string[], pipelines: readonly PipelineRef[], project: string): Reply {
  const suggestions = closestMatches(unknown[0] ?? '', pipelines.map((p) => p.name));
  const hint = suggestions.length ? `Did you mean ${suggestions.map((s) => inlineCode(s, 80)).join(' or ')}?` : `Pipelines in ${outsideText(project, 80)}: ${outsideText(pipelines.slice(0, 15).map((p) => p.name).join(', '), 1_000) || 'none'}.`;
  return warningReply(`${outsideText(project, 80)} has no pipeline called ${unknown.map((u) => `"${echoArg(u)}"`).join(', ')}.`, [hint]);
}

async function restrictOne(args: Extract<RestrictArgs, { kind: 'one' }>, ctx: CommandContext): Promise<Reply> {
  const found = await findTarget(ctx, 'restrict', args.name, args.project);
  if (!found.ok) return found.error;
  const target = await readAccessTarget(ctx, new TurnPipelines(ctx), found.value.project, found.value.endpoint);
  let to: number[] | undefined;
  if (args.to) {
    const resolved = resolvePipelines(args.to, target.pipelines);
    if (resolved.unknown.length) return unknownPipelineReply(resolved.unknown, target.pipelines, target.project.name);
    to = resolved.ids;
  }
  const plan = planRestrict({ id: newPlanId(), command: restrictLine(target.endpoint.name, args.project, args.to), now: ctx.clock.now(), targets: [target], ...(to ? { to } : {}) });
  return planReply(ctx, plan, found.value);
}

/**
 * Every connection open to all pipelines: per project one list, one authorized-resources read (which ones are
 * open) and one pipelines read; then only the open ones' permissions and history, with bounded concurrency.
 */
async function restrictAll(args: Extract<RestrictArgs, { kind: 'all' }>, ctx: CommandContext): Promise<Reply> {
  const scope = await resolveProjects(ctx, args.project, (p) => `restrict all${inProject(p)}`);
  if (!scope.ok) return scope.error;
  const lists = await Promise.all(scope.value.map(async (project) => {
    const [endpoints, open] = await Promise.all([ctx.endpoints.list(project), ctx.pipelines.openEndpoints(project)]);
    const ids = new Set(open.map((id) => id.toLowerCase()));
    return { project, endpoints: endpoints.filter((e) => ids.has(e.id.toLowerCase())) };
  }));
  const pipelines = new TurnPipelines(ctx);
  const queue = new PQueue({ concurrency: ctx.changes.historyConcurrency });
  const candidates: { project: string; endpoint: ServiceEndpoint }[] = lists.flatMap(({ project, endpoints }) => endpoints.map((endpoint) => ({ project, endpoint })));
  const targets: AccessTarget[] = await Promise.all(candidates.map((c) => queue.add(() => readAccessTarget(ctx, pipelines, c.project, c.endpoint), { throwOnTimeout: true })));
  const line = `restrict all${inProject(args.project)}`;
  return planReply(ctx, planRestrict({ id: newPlanId(), command: line, now: ctx.clock.now(), targets }));
}

export const restrictCommand: ChangeCommand<RestrictArgs> = {
  id: 'restrict',
  usage: 'restrict <name> [in <project>] [to <pipeline>[, <pipeline>…]] · restrict all [in <project>]',
  args: [
    nameArg(false, 'target'),
    { name: 'all', kind: 'flag', oneOf: 'target', word: 'all', agents: false, description: 'Every connection open to all pipelines, instead of one by name.', example: 'true' },
    { name: 'to', kind: 'option', keyword: 'to', required: false, list: true, description: 'The pipelines that keep access (default: the ones that used it lately).', example: 'deploy-api' },
    projectArg(),
  ],
  summary: 'Close "open to all pipelines" and authorize exactly the named pipelines, or the ones that used it in the last 90 days: a preview, then approval.',
  examples: ['restrict sc-staging', 'restrict all in Payments', 'restrict sc-staging to payments-ci, nightly'],
  mutates: true,
  // Suggested on the access card (its Restrict button) and the open-to-all alert; the compose-box list, 12 at most,
  // keeps the commoner verbs and migrate (issue 14's deadline).
  menu: false,

  names: (args) => (args.kind === 'one' ? args.name : undefined),
  form: restrictForm,
  parse(tokens) {
    const parsed = parseOptions(tokens, ['in']);
    if (!parsed.ok) return parsed;
    const project = parsed.value.options.get('in');
    const { before, after } = splitAt(parsed.value.rest, 'to');
    if (isBareKeyword(before, 'all')) {
      if (after) return err({ message: '`restrict all` keeps the pipelines that used each connection: `to` applies to one named connection.' });
      return ok({ kind: 'all', project });
    }
    const name = joined(before);
    if (name === '') return err({ message: 'Which connection? Give its name, or say `restrict all`.' });
    if (after !== undefined) {
      const to = commaList(after);
      if (to.length === 0) return err({ message: '`to` needs pipeline names, separated by commas.' });
      return ok({ kind: 'one', name, project, to });
    }
    return ok({ kind: 'one', name, project });
  },

  run(args, ctx) {
    return args.kind === 'all' ? restrictAll(args, ctx) : restrictOne(args, ctx);
  },
};
