/** share / unshare: a connection gains a project reference, or loses one (never the project it was created in). */
import type { NoPorts, OperationDefinition } from '../operation';
import { shareCommand, unshareCommand } from './share.command';
import { ShareStep, UnshareStep } from './share.step';
import { shareSteps, unshareSteps } from './share.preview';

export const shareOperation: OperationDefinition<'share', NoPorts> = {
  name: 'share',
  demo: 'share acr-payments with Platform',
  commands: [shareCommand],
  effect: { destructive: false, targets: 'one' },
  wording: { verb: 'Share', itemDone: 'shared', titleDone: 'shared' },
  step: () => new ShareStep(),
  hooks: { steps: shareSteps },
};

export const unshareOperation: OperationDefinition<'unshare', NoPorts> = {
  name: 'unshare',
  demo: 'unshare sc-shared-registry from Platform',
  commands: [unshareCommand],
  effect: { destructive: true, targets: 'one' },
  wording: { verb: 'Unshare', itemDone: 'unshared', titleDone: 'unshared' },
  step: () => new UnshareStep(),
  hooks: { steps: unshareSteps },
};
