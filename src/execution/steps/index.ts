import type { Operation } from '../../domain/plan';
import { ConvertStep } from './convert.step';
import { DeleteStep } from './delete.step';
import { RevertStep } from './revert.step';
import { RotateStep, type RotateStepOptions } from './rotate.step';
import type { Step } from './step';

export type { Step, StepContext, StepOutcome } from './step';
export { ConvertStep, DeleteStep, RevertStep, RotateStep };
export type { RotateStepOptions };

/** One step per operation; rotate needs the secret sources, the verifier and the ledger. */
export function createSteps(rotate: RotateStepOptions): Record<Operation, Step> {
  return { rotate: new RotateStep(rotate), delete: new DeleteStep(), convert: new ConvertStep(), revert: new RevertStep() };
}
