/**
 * restrict / authorize: which pipelines may use a connection. restrict takes access away (open access, or the
 * pipelines not named); authorize adds one pipeline. One step: a pipelinePermissions PATCH from before to after.
 */
import type { PipelineAccess } from '../../devops/pipeline-access.port';
import type { OperationDefinition } from '../operation';
import { accessSteps, describeAccessChange } from './access.preview';
import { PipelineAccessStep } from './access.step';
import { authorizeCommand } from './authorize.command';
import { restrictCommand } from './restrict.command';

export const restrictOperation: OperationDefinition<'restrict', { pipelines: PipelineAccess }> = {
  name: 'restrict',
  demo: 'restrict sc-staging',
  commands: [restrictCommand],
  effect: { destructive: true, targets: 'one-or-many' },
  wording: { verb: 'Restrict pipeline access of', itemDone: 'restricted to the named pipelines', titleDone: 'restricted' },
  step: (ports) => new PipelineAccessStep(ports.pipelines),
  hooks: { describe: describeAccessChange, steps: accessSteps },
};

export const authorizeOperation: OperationDefinition<'authorize', { pipelines: PipelineAccess }> = {
  name: 'authorize',
  demo: 'authorize sc-dev for nightly',
  commands: [authorizeCommand],
  effect: { destructive: false, targets: 'one' },
  wording: { verb: 'Authorize a pipeline for', itemDone: 'authorized for the pipeline', titleDone: 'authorized' },
  step: (ports) => new PipelineAccessStep(ports.pipelines),
  hooks: { describe: describeAccessChange, steps: accessSteps },
};
