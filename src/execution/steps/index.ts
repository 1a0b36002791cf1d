import type { Operation } from '../../domain/plan';
import { ConvertStep } from './convert.step';
import { DeleteStep } from './delete.step';
import { MigrateIssuerStep, type MigrateIssuerStepOptions } from './migrate-issuer.step';
import { RevertStep } from './revert.step';
import { RotateStep, type RotateStepOptions } from './rotate.step';
import type { Step } from './step';

export type { Step, StepContext, StepOutcome } from './step';
export { ConvertStep, DeleteStep, MigrateIssuerStep, RevertStep, RotateStep };
export type { MigrateIssuerStepOptions, RotateStepOptions };

/** One step per operation; rotate needs the secret sources, the verifier and the ledger; migrate issuer the identities. */
export function createSteps(rotate: RotateStepOptions, migrate: MigrateIssuerStepOptions): Record<Operation, Step> {
  return { rotate: new RotateStep(rotate), delete: new DeleteStep(), convert: new ConvertStep(), revert: new RevertStep(), 'migrate-issuer': new MigrateIssuerStep(migrate) };
}
