/**
 * create: a new workload identity federation connection (lifecycle facts §3). Its item names a connection that does
 * not exist yet, so it is not re-read or fingerprinted: the step checks the name itself (and adopts what it made),
 * and approval checks that nobody took the name since the preview.
 */
import type { OperationDefinition } from '../operation';
import { createCommand } from './create.command';
import { createSteps, describeCreation, nameTakenSincePreview } from './create.preview';
import { CreateStep, type CreateStepOptions } from './create.step';

export const createOperation: OperationDefinition<'create', CreateStepOptions> = {
  name: 'create',
  demo: 'create sc-contract in Payments subscription 2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47 identity 6c2d9e4f-8a1b-4c3d-9e5f-7a0b1c2d3e4f for payments-ci',
  commands: [createCommand],
  effect: { destructive: false, targets: 'one' },
  wording: { verb: 'Create', itemDone: 'created', titleDone: 'created', toDo: 'to create', stepsSay: ['NEW_CONNECTION', 'NEW_APP', 'ROLE_ASSIGNMENT', 'NO_ROLE', 'GAINS_ACCESS'] },
  step: (ports) => new CreateStep({ apps: ports.apps, managedIdentities: ports.managedIdentities, roles: ports.roles, pipelines: ports.pipelines, verification: ports.verification }),
  hooks: { existsBeforeRun: false, preflight: () => undefined, staleBeforeRun: nameTakenSincePreview, describe: describeCreation, steps: createSteps },
};
