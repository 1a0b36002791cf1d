/** enable: a connection Azure DevOps disabled (unused for 100 days) is enabled again. */
import type { NoPorts, OperationDefinition, StepSubject } from '../operation';
import type { PlanItem } from '../../domain/plan';
import { enableCommand } from './enable.command';
import { EnableStep } from './enable.step';

/** enable in a person's words: nothing but the on switch changes. */
const enableSteps = (_item: PlanItem, subject: StepSubject): string[] => [
  `Turn ${subject.name} back on, so pipelines can use it again. Nothing else about it changes.`,
];

export const enableOperation: OperationDefinition<'enable', NoPorts> = {
  name: 'enable',
  demo: 'enable status-page',
  commands: [enableCommand],
  effect: { destructive: false, targets: 'one' },
  wording: { verb: 'Enable', itemDone: 'enabled', titleDone: 'enabled' },
  step: () => new EnableStep(),
  hooks: { steps: enableSteps },
};
