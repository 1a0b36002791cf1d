import { federationIssuer, type ServiceEndpoint } from '../../domain/endpoint';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import { entraIssuer, FEDERATION_AUDIENCE, isEntraIssuer, param } from '../../domain/issuer';
import type { IssuerItem, IssuerMovePlan } from './migrate-issuer.payload';
import type { FederationMigration, MigrationAnswer } from '../../devops/federation-migration.port';
import type { AppRegistrations, ManagedIdentities } from '../../azure/federated-identities.port';
import type { StepProgress } from '../../execution/run-report';
import { confirmReady, done, failed, isReadyNow, type Step, type StepContext, type StepOutcome } from '../../execution/step';

export interface MigrateIssuerStepOptions {
  migration: FederationMigration;
  apps: AppRegistrations;
  managedIdentities: ManagedIdentities;
}

type Credential = NonNullable<StepProgress['credential']>;
type Required = Extract<MigrationAnswer, { kind: 'credential-required' }>;

/**
 * migrate issuer (connection-lifecycle facts §1): ask Azure DevOps to move the connection; on the manual fallback
 * create the federated credential it names — on the app (Graph) or the managed identity (ARM), exactly that issuer
 * and subject — and ask again; then read the connection back. The old credential is never touched.
 * Progress: `credential` once the bot's credential exists, `updated` once the move went through. A resume finds the
 * connection on the Entra issuer (only the verification is left), or a credential already made (only "Try again"
 * is left), or nothing done (the step runs again from the fingerprint check).
 */
export class MigrateIssuerStep implements Step {
  constructor(private readonly options: MigrateIssuerStepOptions) {}

  async run(ctx: StepContext, item: IssuerItem): Promise<StepOutcome> {
    const move = moveOf(item);
    const answer = await this.options.migration.migrateIssuer(move.oldSubject);
    if (answer.kind === 'credential-required') {
      const refused = this.refusal(item, move, answer);
      if (refused) return refused;
      const credential = await this.createCredential(item, move, answer);
      await ctx.progress({ credential });
      return this.askAgain(ctx, item, move, credential);
    }
    await ctx.progress({ updated: true });
    return this.verify(ctx, item, move, undefined);
  }

  async resume(ctx: StepContext, item: IssuerItem, current: ServiceEndpoint | null, progress: StepProgress): Promise<StepOutcome | 'restart'> {
    if (!current) return failed({ kind: 'gone' });
    // The stopped run's move went through; what is left is the verification.
    if (isEntraIssuer(federationIssuer(current))) return this.verify(ctx, item, moveOf(item), progress.credential);
    // It stopped after creating the credential: "Try again" is what is left (unless someone changed the connection).
    if (progress.credential && fingerprintEndpoint(current) === item.fingerprint) return this.askAgain(ctx, item, moveOf(item), progress.credential);
    return 'restart';
  }

  private async askAgain(ctx: StepContext, item: IssuerItem, move: IssuerMovePlan, credential: Credential): Promise<StepOutcome> {
    const answer = await this.options.migration.migrateIssuer(move.oldSubject);
    if (answer.kind === 'credential-required') return failed({ kind: 'federated-credential-required', issuer: answer.issuer, subject: answer.subject, audience: answer.audience, createdName: credential.name });
    await ctx.progress({ credential, updated: true });
    return this.verify(ctx, item, move, credential);
  }

  /** Never create trust for an issuer other than the connection's own tenant's Entra issuer, nor for another audience. */
  private refusal(item: IssuerItem, move: IssuerMovePlan, answer: Required): StepOutcome | undefined {
    const expected = entraIssuer(param(item.before, 'tenantid') ?? '');
    if (answer.issuer.toLowerCase() !== expected.toLowerCase() || answer.audience !== FEDERATION_AUDIENCE) return failed({ kind: 'migration-target-unexpected', issuer: answer.issuer });
    if (move.identity.kind === 'unknown') return failed({ kind: 'federated-credential-required', issuer: answer.issuer, subject: answer.subject, audience: answer.audience });
    return undefined;
  }

  private async createCredential(item: IssuerItem, move: IssuerMovePlan, answer: Required): Promise<Credential> {
    const credential = {
      name: move.credentialName, issuer: answer.issuer, subject: answer.subject, audiences: [answer.audience],
      description: `Created by scbot to move Azure DevOps service connection ${item.endpointId} to the Entra issuer.`,
    };
    if (move.identity.kind === 'app') {
      const result = await this.options.apps.addFederatedCredential(move.identity.appId, credential);
      return { name: credential.name, on: 'app', existed: result === 'exists' };
    }
    if (move.identity.kind !== 'managed-identity') throw new Error('no identity to put the credential on');
    await this.options.managedIdentities.putFederatedCredential(move.identity.resourceId, credential);
    return { name: credential.name, on: 'managed-identity', existed: false };
  }

  private async verify(ctx: StepContext, item: IssuerItem, move: IssuerMovePlan, credential: Credential | undefined): Promise<StepOutcome> {
    const seen = await confirmReady(ctx, item, null);
    if (!seen) return failed({ kind: 'gone' });
    if (!isEntraIssuer(federationIssuer(seen))) return failed({ kind: 'issuer-not-moved' });
    if (!isReadyNow(seen)) return failed({ kind: 'moved-not-ready' });
    return done({ kind: 'issuer-moved', oldIssuer: move.oldIssuer, oldSubject: move.oldSubject, ...(credential ? { credential } : {}) });
  }
}

function moveOf(item: IssuerItem): IssuerMovePlan {
  if (!item.issuer) throw new Error(`plan item ${item.endpointId} has no issuer move`);
  return item.issuer;
}
