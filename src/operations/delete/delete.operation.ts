/** delete: a connection goes (from one project, every project, or with its app registration: `deep`). */
import type { NoPorts, OperationDefinition } from '../operation';
import { deleteCommand } from './delete.command';
import { deleteSteps, describeDeletion } from './delete.preview';
import { DeleteStep } from './delete.step';

export const deleteOperation: OperationDefinition<'delete', NoPorts> = {
  name: 'delete',
  demo: 'delete sc-test',
  commands: [deleteCommand],
  effect: { destructive: true, targets: 'one-or-many' },
  wording: { verb: 'Delete', itemDone: 'deleted', titleDone: 'deleted', toDo: 'to delete', stepsSay: ['AUTOMATIC_TO_MANUAL'] },
  step: () => new DeleteStep(),
  hooks: { describe: describeDeletion, steps: deleteSteps },
};
