import type { Operation } from '../../domain/plan';
import type { PipelineAccess } from '../../devops/pipeline-access.port';
import { ConvertStep } from './convert.step';
import { DeleteStep } from './delete.step';
import { EnableStep } from './enable.step';
import { PipelineAccessStep } from './pipeline-access.step';
import { RevertStep } from './revert.step';
import { RotateStep, type RotateStepOptions } from './rotate.step';
import { ShareStep, UnshareStep } from './share.step';
import type { Step } from './step';

export type { Step, StepContext, StepOutcome } from './step';
export { ConvertStep, DeleteStep, EnableStep, PipelineAccessStep, RevertStep, RotateStep, ShareStep, UnshareStep };
export type { RotateStepOptions };

/** What the pipeline-access steps need besides the executor's devops port. */
export interface AccessStepOptions {
  pipelines: PipelineAccess;
}

/** One step per operation; rotate needs the secret sources, the verifier and the ledger; restrict/authorize the pipelines port. */
export function createSteps(rotate: RotateStepOptions, access: AccessStepOptions): Record<Operation, Step> {
  const pipelineAccess = new PipelineAccessStep(access.pipelines);
  return {
    rotate: new RotateStep(rotate), delete: new DeleteStep(), convert: new ConvertStep(), revert: new RevertStep(),
    enable: new EnableStep(), restrict: pipelineAccess, authorize: pipelineAccess, share: new ShareStep(), unshare: new UnshareStep(),
  };
}
