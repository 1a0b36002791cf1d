/** enable: a connection Azure DevOps disabled (unused for 100 days) is enabled again. */
import type { NoPorts, OperationDefinition } from '../operation';
import { enableCommand } from './enable.command';
import { EnableStep } from './enable.step';

export const enableOperation: OperationDefinition<'enable', NoPorts> = {
  name: 'enable',
  demo: 'enable status-page',
  commands: [enableCommand],
  effect: { destructive: false, targets: 'one' },
  wording: { verb: 'Enable', itemDone: 'enabled', titleDone: 'enabled' },
  step: () => new EnableStep(),
};
