import { err, ok } from '../../domain/errors';
import { planAuthorize } from './access.planner';
import { quoteArg } from '../../domain/command-line';
import { newPlanId } from '../../ids';
import { nameArg, projectArg } from '../../commands/declared-args';
import type { ChangeCommand } from '../../commands/command';
import { parseOptions } from '../../commands/args';
import { joined, readAccessTarget, splitAt, TurnPipelines } from '../../commands/access-reads';
import { findTarget, planReply } from '../../commands/mutating';
import { resolvePipelines, unknownPipelineReply } from './restrict.command';

export interface AuthorizeArgs {
  name: string;
  pipeline: string;
  project?: string;
}

export const authorizeCommand: ChangeCommand<AuthorizeArgs> = {
  id: 'authorize',
  usage: 'authorize <name> for <pipeline> [in <project>]',
  args: [
    nameArg(true),
    { name: 'pipeline', kind: 'option', keyword: 'for', required: true, description: 'The pipeline (name or id) to authorize.', example: 'deploy-api' },
    projectArg(),
  ],
  summary: 'Authorize one more pipeline to use a connection: a preview, then approval.',
  examples: ['authorize sc-prod for nightly', 'authorize sc-staging for payments-ci in Payments'],
  mutates: true,
  // Suggested on restrict's preview and the access card; the compose-box list keeps the commoner verbs.
  menu: false,

  names: (args) => args.name,
  parse(tokens) {
    const parsed = parseOptions(tokens, ['in']);
    if (!parsed.ok) return parsed;
    const { before, after } = splitAt(parsed.value.rest, 'for');
    const name = joined(before);
    const pipeline = after ? joined(after) : '';
    if (name === '' || pipeline === '') return err({ message: 'Say which connection and which pipeline: `authorize <name> for <pipeline>`.' });
    return ok({ name, pipeline, project: parsed.value.options.get('in') });
  },

  async run(args, ctx) {
    const found = await findTarget(ctx, 'authorize', args.name, args.project);
    if (!found.ok) return found.error;
    const target = await readAccessTarget(ctx, new TurnPipelines(ctx), found.value.project, found.value.endpoint);
    const resolved = resolvePipelines([args.pipeline], target.pipelines);
    const pipelineId = resolved.ids[0];
    if (pipelineId === undefined) return unknownPipelineReply(resolved.unknown, target.pipelines, target.project.name);
    const line = ['authorize', quoteArg(target.endpoint.name), 'for', quoteArg(args.pipeline), ...(args.project ? ['in', quoteArg(args.project)] : [])].join(' ');
    return planReply(ctx, planAuthorize({ id: newPlanId(), command: line, now: ctx.clock.now(), target, pipelineId }), found.value);
  },
};
