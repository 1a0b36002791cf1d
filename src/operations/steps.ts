import type { Operation } from '../domain/plan';
import type { PipelineAccess } from '../devops/pipeline-access.port';
import { ConvertStep } from './convert/convert.step';
import { CreateStep, type CreateStepOptions } from './create/create.step';
import { DeleteStep } from './delete/delete.step';
import { EnableStep } from './enable/enable.step';
import { PipelineAccessStep } from './access/access.step';
import { MigrateIssuerStep, type MigrateIssuerStepOptions } from './migrate-issuer/migrate-issuer.step';
import { RevertStep } from './revert/revert.step';
import { RotateStep, type RotateStepOptions } from './rotate/rotate.step';
import { ShareStep, UnshareStep } from './share/share.step';
import type { Step } from '../execution/step';

export type { Step, StepContext, StepOutcome } from '../execution/step';
export { ConvertStep, CreateStep, DeleteStep, EnableStep, MigrateIssuerStep, PipelineAccessStep, RevertStep, RotateStep, ShareStep, UnshareStep };
export type { CreateStepOptions, MigrateIssuerStepOptions, RotateStepOptions };

/** What the steps need besides the rotate options and the executor's devops port: restrict/authorize the pipelines port, migrate issuer the identities. */
export interface StepPorts extends MigrateIssuerStepOptions, Omit<CreateStepOptions, 'apps' | 'pipelines'> {
  pipelines: PipelineAccess;
}

/** One step per operation; rotate needs the secret sources, the verifier and the ledger; restrict/authorize the pipelines port; migrate issuer the identities. */
export function createSteps(rotate: RotateStepOptions, ports: StepPorts): Record<Operation, Step> {
  const pipelineAccess = new PipelineAccessStep(ports.pipelines);
  return {
    rotate: new RotateStep(rotate), delete: new DeleteStep(), convert: new ConvertStep(), revert: new RevertStep(),
    enable: new EnableStep(), restrict: pipelineAccess, authorize: pipelineAccess, share: new ShareStep(), unshare: new UnshareStep(),
    'migrate-issuer': new MigrateIssuerStep({ migration: ports.migration, apps: ports.apps, managedIdentities: ports.managedIdentities }),
    create: new CreateStep({ apps: ports.apps, managedIdentities: ports.managedIdentities, roles: ports.roles, pipelines: ports.pipelines, verification: ports.verification }),
  };
}
