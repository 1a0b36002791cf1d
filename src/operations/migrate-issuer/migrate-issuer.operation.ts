/** migrate-issuer: a federated connection moves from the Azure DevOps issuer to the Entra issuer of its tenant. */
import type { OperationDefinition } from '../operation';
import { migrateIssuerCommand } from './migrate-issuer.command';
import { migrateIssuerSteps } from './migrate-issuer.preview';
import { MigrateIssuerStep, type MigrateIssuerStepOptions } from './migrate-issuer.step';

export const migrateIssuerOperation: OperationDefinition<'migrate-issuer', MigrateIssuerStepOptions> = {
  name: 'migrate-issuer',
  demo: 'migrate issuer sc-wif-legacy',
  commands: [migrateIssuerCommand],
  effect: { destructive: true, targets: 'one-or-many' },
  // The two past tenses differ on purpose: an item's line says what happened, the title what the connections are now.
  wording: { verb: 'Move to the Entra issuer:', itemDone: 'migrated', titleDone: 'moved to the Entra issuer', stepsSay: ['NEW_CREDENTIAL', 'OLD_CREDENTIAL_KEPT'] },
  step: (ports) => new MigrateIssuerStep({ migration: ports.migration, apps: ports.apps, managedIdentities: ports.managedIdentities }),
  hooks: { steps: migrateIssuerSteps },
};
