import { createBody, madeByPlan, plannedClientId } from '../../domain/create-connection';
import { connectionState, type ServiceEndpoint } from '../../domain/endpoint';
import { param } from '../../domain/issuer';
import type { CreatePlan, PlanItem } from '../../domain/plan';
import type { ConnectionVerification } from '../../devops/connection-verification.port';
import type { PipelineAccess } from '../../devops/pipeline-access.port';
import type { AppRegistrations, ManagedIdentities, RoleAssignments } from '../../secrets/federated-identities.port';
import type { CreateProgress, CreateStage, StepProgress } from '../run-report';
import { cleanUp } from './create-cleanup';
import { VersionConflictError } from '../../store/store.port';
import { done, failed, ResumeLaterError, skipped, type Step, type StepContext, type StepOutcome } from './step';

export interface CreateStepOptions {
  apps: AppRegistrations;
  managedIdentities: ManagedIdentities;
  roles: RoleAssignments;
  pipelines: PipelineAccess;
  verification: ConnectionVerification;
}

/** A step of the sequence that cannot go on: its stage, and what to tell the user. */
class StageFailure extends Error {
  constructor(readonly stage: CreateStage, readonly detail?: string, readonly underlying?: unknown) {
    super(`create stopped at ${stage}`);
  }
}

/**
 * create (connection-lifecycle facts §3): [new app: Graph app + service principal] → POST the connection (Manual,
 * WorkloadIdentityFederation) → wait until Ready → the federated credential with exactly the issuer and subject the
 * answer names → [role assignment] → [authorize the named pipelines] → Verify. Each stage is recorded before the
 * next, and each is idempotent or guarded: the POST is made only when no connection of that name carries this
 * plan's marker, so a resumed run adopts what a crashed one made. A failure removes what was made, in reverse.
 */
export class CreateStep implements Step {
  constructor(private readonly o: CreateStepOptions) {}

  run(ctx: StepContext, item: PlanItem): Promise<StepOutcome> {
    return this.go(ctx, item, {});
  }

  /** Every stage is safe to repeat from what the progress says; the lookup by marker guards the one POST. */
  resume(ctx: StepContext, item: PlanItem, _current: ServiceEndpoint | null, progress: StepProgress): Promise<StepOutcome> {
    return this.go(ctx, item, progress.create ?? {});
  }

  private async go(ctx: StepContext, item: PlanItem, start: CreateProgress): Promise<StepOutcome> {
    const plan = createOf(item);
    const state: CreateProgress = { ...start };
    const save = async (next: Partial<CreateProgress>) => {
      Object.assign(state, next);
      await ctx.progress({ create: { ...state } });
    };
    try {
      const existing = await ctx.devops.getByName(item.projectId, plan.name, { includeFailed: true });
      if (existing && !madeByPlan(existing, ctx.planId)) {
        // Someone else's connection: nothing of ours is on it. An app this plan made before is removed again.
        return state.app ? this.undo(ctx, item, state, new StageFailure('connection', 'a connection of that name appeared meanwhile')) : skipped({ kind: 'name-taken' });
      }
      const clientId = plannedClientId(plan) ?? (await this.newApp(plan, state, save)).appId;
      const endpoint = existing ?? (await this.post(ctx, item, plan, clientId, state, save));
      if (!state.endpointId) await save({ endpointId: endpoint.id });
      const ready = await this.ready(ctx, item, endpoint);
      const federation = federationOf(plan, ready);
      await this.credential(plan, clientId, federation, state, save);
      if (plan.role && !state.role) await this.role(plan, state, save);
      if (plan.pipelines.length && !state.pipelines) await this.authorize(item, plan, ready.id, save);
      await this.verify(ctx, item, ready.id);
      return done({
        kind: 'created', endpointId: ready.id, credentialName: plan.credential.name, pipelines: plan.pipelines.map((p) => p.name),
        ...(plan.role ? { role: plan.role.name } : {}), ...(state.app ? { app: state.app.appId } : {}),
      });
    } catch (error) {
      // Another run holds the item now (our progress write lost the race): what exists is its to finish, not ours to undo.
      if (error instanceof VersionConflictError || error instanceof ResumeLaterError) throw error;
      return this.undo(ctx, item, state, error);
    }
  }

  /** Intent first: the app's display name carries the plan id, so a crash between Graph's answer and the record is found again. */
  private async newApp(plan: CreatePlan, state: CreateProgress, save: (p: Partial<CreateProgress>) => Promise<void>): Promise<{ appId: string }> {
    if (state.app?.servicePrincipalId) return state.app;
    if (plan.identity.kind !== 'new-app') throw new StageFailure('app', 'the plan names no identity');
    const displayName = plan.identity.displayName;
    const app = await this.stage('app', async () => (await this.o.apps.findByDisplayName(displayName)) ?? this.o.apps.createApp(displayName));
    await save({ app });
    if (app.servicePrincipalId) return app;
    // Found after a crash between the app and its service principal: create the principal now.
    const servicePrincipalId = await this.stage('app', () => this.o.apps.ensureServicePrincipal(app.appId));
    await save({ app: { ...app, servicePrincipalId } });
    return app;
  }

  private async post(ctx: StepContext, item: PlanItem, plan: CreatePlan, clientId: string, state: CreateProgress, save: (p: Partial<CreateProgress>) => Promise<void>): Promise<ServiceEndpoint> {
    if (!state.posting) await save({ posting: true });
    return this.stage('connection', () => ctx.devops.create(createBody(plan, { id: item.projectId, name: item.projectName }, clientId)));
  }

  /** A Manual create answers Ready at once; otherwise a bounded poll, as for any write that did not settle it. */
  private async ready(ctx: StepContext, item: PlanItem, answer: ServiceEndpoint): Promise<ServiceEndpoint> {
    let seen: ServiceEndpoint | null = answer;
    for (let poll = 0; seen && connectionState(seen) === 'InProgress' && poll < ctx.readiness.attempts; poll += 1) {
      await ctx.sleep(ctx.readiness.delayMs);
      seen = await ctx.devops.get(item.projectId, answer.id);
    }
    if (!seen) throw new StageFailure('not-ready', 'the connection disappeared');
    const state = connectionState(seen);
    if (state !== 'Ready') throw new StageFailure('not-ready', state === 'Failed' ? String(seen.operationStatus?.statusMessage ?? '').slice(0, 300) || 'Failed' : state);
    return seen;
  }

  private async credential(plan: CreatePlan, clientId: string, federation: { issuer: string; subject: string }, state: CreateProgress, save: (p: Partial<CreateProgress>) => Promise<void>): Promise<void> {
    if (state.credential) return;
    const credential = {
      name: plan.credential.name, issuer: federation.issuer, subject: federation.subject, audiences: [plan.credential.audience],
      description: `Created by scbot for Azure DevOps service connection ${plan.name} ${plan.marker}.`,
    };
    await this.stage('credential', async () => {
      if (plan.identity.kind === 'managed-identity') await this.o.managedIdentities.putFederatedCredential(plan.identity.resourceId, credential);
      else await this.o.apps.addFederatedCredential(clientId, credential);
    });
    await save({ credential: true });
  }

  private async role(plan: CreatePlan, state: CreateProgress, save: (p: Partial<CreateProgress>) => Promise<void>): Promise<void> {
    const role = plan.role;
    if (!role) return;
    const principalId = await this.stage('role', () => this.principalOf(plan, state));
    await this.stage('role', () => this.o.roles.assign({ scope: plan.scope, name: role.assignmentName, roleDefinitionId: role.definitionId, principalId }));
    await save({ role: true });
  }

  private async principalOf(plan: CreatePlan, state: CreateProgress): Promise<string> {
    if (plan.identity.kind === 'managed-identity' && plan.identity.principalId) return plan.identity.principalId;
    if (state.app?.servicePrincipalId) return state.app.servicePrincipalId;
    const appId = plannedClientId(plan) ?? '';
    const id = await this.o.apps.servicePrincipalId(appId);
    if (!id) throw new StageFailure('role', `app ${appId} has no service principal in this tenant`);
    return id;
  }

  private async authorize(item: PlanItem, plan: CreatePlan, endpointId: string, save: (p: Partial<CreateProgress>) => Promise<void>): Promise<void> {
    await this.stage('pipelines', () => this.o.pipelines.setPermissions(item.projectId, endpointId, { pipelines: plan.pipelines.map((p) => ({ id: p.id, authorized: true })) }));
    await save({ pipelines: true });
  }

  /**
   * Verify, asked again a few times (the readiness polling's attempts and delay): a federated credential or role just
   * made takes a moment to reach every Entra and ARM replica, and the first sign-in may fail only for that.
   */
  private async verify(ctx: StepContext, item: PlanItem, endpointId: string): Promise<void> {
    let verdict = await this.stage('verify', () => this.o.verification.verify(item.projectId, endpointId));
    for (let attempt = 1; !verdict.ok && attempt < ctx.readiness.attempts; attempt += 1) {
      await ctx.sleep(ctx.readiness.delayMs);
      verdict = await this.stage('verify', () => this.o.verification.verify(item.projectId, endpointId));
    }
    if (!verdict.ok) throw new StageFailure('verify', verdict.message);
  }

  /** An error thrown inside a stage is that stage's failure (its code and reference id are reported with it). */
  private async stage<T>(stage: CreateStage, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof StageFailure) throw error;
      throw new StageFailure(stage, undefined, error);
    }
  }

  private async undo(ctx: StepContext, item: PlanItem, state: CreateProgress, error: unknown): Promise<StepOutcome> {
    const failure = error instanceof StageFailure ? error : new StageFailure('connection', undefined, error);
    const reported = failure.underlying === undefined ? undefined : ctx.fail(failure.underlying);
    const leftovers = await cleanUp(ctx, item, createOf(item), state, this.o);
    await ctx.progress({ create: { ...state, endpointId: undefined, credential: false, role: false, app: undefined, posting: false } });
    return failed({
      kind: 'create-undone', stage: failure.stage, leftovers,
      ...(failure.detail ? { detail: failure.detail } : {}), ...(reported ? { referenceId: reported.referenceId } : {}),
    }, reported?.code);
  }
}

/** The issuer and subject the service named; never created for an issuer other than the tenant's Entra one. */
function federationOf(plan: CreatePlan, endpoint: ServiceEndpoint): { issuer: string; subject: string } {
  const issuer = param(endpoint, 'workloadIdentityFederationIssuer') ?? '';
  const subject = param(endpoint, 'workloadIdentityFederationSubject') ?? '';
  if (!subject) throw new StageFailure('issuer', 'Azure DevOps named no federation subject');
  if (issuer.toLowerCase() !== plan.credential.issuer.toLowerCase()) throw new StageFailure('issuer', `Azure DevOps named the issuer ${issuer || '(none)'}, not ${plan.credential.issuer}`);
  return { issuer, subject };
}

function createOf(item: PlanItem): CreatePlan {
  if (!item.create) throw new Error(`plan item ${item.endpointId} has no connection to create`);
  return item.create;
}
