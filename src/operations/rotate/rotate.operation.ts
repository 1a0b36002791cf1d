/** rotate: a ServicePrincipal connection gets a new client secret (from Graph or Key Vault), verified before it is used. */
import type { OperationDefinition } from '../operation';
import { rotateCommand } from './rotate.command';
import { describeSecretChange } from './rotate.preview';
import { RotateStep, type RotateStepOptions } from './rotate.step';

export const rotateOperation: OperationDefinition<'rotate', { rotate: RotateStepOptions }> = {
  name: 'rotate',
  demo: 'rotate sc-staging',
  commands: [rotateCommand],
  effect: { destructive: true, targets: 'one' },
  wording: { verb: 'Rotate the secret of', itemDone: 'secret rotated', titleDone: 'secret rotated' },
  step: (ports) => new RotateStep(ports.rotate),
  hooks: { describe: describeSecretChange },
};
