/** convert: a ServicePrincipal connection moves to workload identity federation (revertible for 7 days). */
import type { NoPorts, OperationDefinition } from '../operation';
import { convertCommand } from './convert.command';
import { convertAfterDone, convertSteps } from './convert.preview';
import { ConvertStep } from './convert.step';

export const convertOperation: OperationDefinition<'convert', NoPorts> = {
  name: 'convert',
  demo: 'convert sc-dev',
  commands: [convertCommand],
  effect: { destructive: true, targets: 'one-or-many' },
  wording: { verb: 'Convert', itemDone: 'converted to workload identity federation', titleDone: 'converted' },
  step: () => new ConvertStep(),
  hooks: { steps: convertSteps, afterDone: convertAfterDone },
};
