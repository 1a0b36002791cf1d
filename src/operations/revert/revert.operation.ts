/** revert: a converted connection goes back to its service principal secret, within the revert window. */
import type { NoPorts, OperationDefinition } from '../operation';
import { revertCommand } from './revert.command';
import { RevertStep } from './revert.step';

export const revertOperation: OperationDefinition<'revert', NoPorts> = {
  name: 'revert',
  demo: 'revert sc-converted',
  commands: [revertCommand],
  effect: { destructive: true, targets: 'one' },
  wording: { verb: 'Revert', itemDone: 'reverted to a service principal secret', titleDone: 'reverted' },
  step: () => new RevertStep(),
};
