/** revert: a converted connection goes back to its service principal secret, within the revert window. */
import type { NoPorts, OperationDefinition, StepSubject } from '../operation';
import type { PlanItem } from '../../domain/plan';
import { revertCommand } from './revert.command';
import { RevertStep } from './revert.step';

/** revert in a person's words: back to the secret it had, which may have expired since. */
const revertSteps = (_item: PlanItem, subject: StepSubject): string[] => [
  `Switch ${subject.name} back to the service principal secret it used before the conversion; pipelines use that secret again.`,
  'Check it is ready. If that secret expired in the meantime, the connection will not work until you rotate it.',
];

export const revertOperation: OperationDefinition<'revert', NoPorts> = {
  name: 'revert',
  demo: 'revert sc-converted',
  commands: [revertCommand],
  effect: { destructive: true, targets: 'one' },
  wording: { verb: 'Revert', itemDone: 'reverted to a service principal secret', titleDone: 'reverted', stepsSay: ['SECRET_EXPIRY'] },
  step: () => new RevertStep(),
  hooks: { steps: revertSteps },
};
