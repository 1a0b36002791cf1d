/** rotate: a ServicePrincipal connection gets a new client secret (from Graph or Key Vault), verified before it is used. */
import type { OperationDefinition } from '../operation';
import { rotateCommand } from './rotate.command';
import { describeSecretChange, rotateAfterDone, rotateSteps, rotateSuggestion } from './rotate.preview';
import { RotateStep, type RotateStepOptions } from './rotate.step';

export const rotateOperation: OperationDefinition<'rotate', { rotate: RotateStepOptions }> = {
  name: 'rotate',
  demo: 'rotate sc-staging',
  commands: [rotateCommand],
  effect: { destructive: true, targets: 'one' },
  wording: { verb: 'Rotate the secret of', itemDone: 'secret rotated', titleDone: 'secret rotated', stepsSay: ['AUTOMATIC_TO_MANUAL', 'SECRET_EXPIRY'] },
  step: (ports) => new RotateStep(ports.rotate),
  hooks: { describe: describeSecretChange, steps: rotateSteps, suggest: rotateSuggestion, afterDone: rotateAfterDone },
};
