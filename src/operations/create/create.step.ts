import { randomBytes } from 'node:crypto';
import { createBody, createMismatch, plannedClientId } from './create-connection';
import { connectionState, type ServiceEndpoint } from '../../domain/endpoint';
import type { CreateItem, CreatePlan } from './create.payload';
import type { ConnectionVerification } from '../../devops/connection-verification.port';
import type { PipelineAccess } from '../../devops/pipeline-access.port';
import type { AppRegistrations, ManagedIdentities, RoleAssignments } from '../../azure/federated-identities.port';
import type { CreateProgress, CreateStage, CreateUndoing, StepProgress } from '../../execution/run-report';
import { appRefusal, createOf, federationOf, ownConnection, sentAnything, StageFailure, surelyRefused } from './create-checks';
import { cleanUp } from './create-cleanup';
import { VersionConflictError } from '../../store/store.port';
import { done, failed, ResumeLaterError, skipped, type Step, type StepContext, type StepOutcome } from '../../execution/step';

export interface CreateStepOptions {
  apps: AppRegistrations;
  managedIdentities: ManagedIdentities;
  roles: RoleAssignments;
  pipelines: PipelineAccess;
  verification: ConnectionVerification;
  /** The run's secret key (default: 128 random bits as hex); a test may fix it. */
  newKey?: () => string;
}

type Save = (next: Partial<CreateProgress>) => Promise<void>;
type SentMark = 'posting' | 'credentialSent' | 'roleSent';

const newKey = (): string => randomBytes(16).toString('hex');

/**
 * create (connection-lifecycle facts §3): [new app: Graph app + service principal] → POST the connection (Manual,
 * WorkloadIdentityFederation) → wait until Ready → the federated credential with exactly the issuer and subject the
 * answer names → [role assignment] → [authorize the named pipelines] → Verify. Before the first write the run
 * records a secret key; the new app is registered under it and the connection's description carries it, so a resumed
 * run adopts only what this run made — never an app or connection someone made with the name or marker the card
 * shows. Each write is recorded as sent before it is made: a failure removes, in reverse, everything that may exist.
 */
export class CreateStep implements Step {
  constructor(private readonly o: CreateStepOptions) {}

  run(ctx: StepContext, item: CreateItem): Promise<StepOutcome> {
    return this.go(ctx, item, {});
  }

  /** Every stage is safe to repeat from what the progress says; the lookup by the run's key guards the one POST. */
  resume(ctx: StepContext, item: CreateItem, _current: ServiceEndpoint | null, progress: StepProgress): Promise<StepOutcome> {
    return this.go(ctx, item, progress.create ?? {});
  }

  private async go(ctx: StepContext, item: CreateItem, start: CreateProgress): Promise<StepOutcome> {
    const plan = createOf(item);
    const state: CreateProgress = { ...start };
    const save: Save = async (next) => {
      Object.assign(state, next);
      await ctx.progress({ create: { ...state } });
    };
    // A clean-up was under way: finish it and report its failure; never create again.
    if (state.undoing) return this.finishUndo(ctx, item, state, state.undoing);
    try {
      if (!state.key) await save({ key: (this.o.newKey ?? newKey)() });
      const existing = await ctx.devops.getByName(item.projectId, plan.name, { includeFailed: true });
      if (existing && !ownConnection(existing, ctx.planId, state)) {
        // Someone else's connection: never touched. What this run may have made is removed again.
        return sentAnything(state) ? this.undo(ctx, item, state, new StageFailure('connection', 'a connection of that name appeared meanwhile')) : skipped({ kind: 'name-taken' });
      }
      const clientId = plannedClientId(plan) ?? (await this.newApp(plan, state, save)).appId;
      if (existing) await this.adoptable(item, plan, existing, clientId);
      const endpoint = existing ?? (await this.post(ctx, item, plan, clientId, state, save));
      // A connection made again (the recorded one was deleted meanwhile) replaces the record: clean-up must find it.
      if (state.endpointId !== endpoint.id) await save({ endpointId: endpoint.id });
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

  /**
   * The app is registered under the run's key (an upsert: repeating it after a lost answer or a crash makes no second
   * app) and used only when Graph holds it under that key, single tenant, owned by the bot alone. It is recorded
   * before it is checked (clean-up removes it either way), with its service principal only once it passed.
   */
  private async newApp(plan: CreatePlan, state: CreateProgress, save: Save): Promise<{ appId: string }> {
    if (state.app?.servicePrincipalId) return state.app;
    if (plan.identity.kind !== 'new-app') throw new StageFailure('app', 'the plan names no identity');
    const displayName = plan.identity.displayName;
    const key = state.key ?? '';
    // Not unmarked on a refusal: the upsert reads the app back, and a refused read says nothing about the write.
    if (!state.appSent) await save({ appSent: true });
    const app = await this.stage('app', () => this.o.apps.registerApp({ displayName, key }));
    await save({ app: { appId: app.appId, objectId: app.objectId, servicePrincipalId: null } });
    const refusal = appRefusal(app, key);
    if (refusal) throw new StageFailure('app', refusal);
    // A principal made before a crash is found (ensureServicePrincipal reads first).
    const servicePrincipalId = app.servicePrincipalId ?? (await this.stage('app', () => this.o.apps.ensureServicePrincipal(app.appId)));
    await save({ app: { appId: app.appId, objectId: app.objectId, servicePrincipalId } });
    return app;
  }

  private async post(ctx: StepContext, item: CreateItem, plan: CreatePlan, clientId: string, state: CreateProgress, save: Save): Promise<ServiceEndpoint> {
    return this.sent('connection', 'posting', state, save, () => ctx.devops.create(createBody(plan, { id: item.projectId, name: item.projectName }, clientId, state.key)));
  }

  /** A connection this run made, found again: used only while it is exactly what the approver was shown. */
  private async adoptable(item: CreateItem, plan: CreatePlan, existing: ServiceEndpoint, clientId: string): Promise<void> {
    const open = async () => ((await this.o.pipelines.permissions(item.projectId, existing.id)).allPipelines ? 'it is open to all pipelines' : undefined);
    const mismatch = createMismatch(existing, plan, item.projectId, clientId) ?? (await this.stage('connection', open));
    if (mismatch) throw new StageFailure('changed', mismatch, undefined, true);
  }

  /** A Manual create answers Ready at once; otherwise a bounded poll, as for any write that did not settle it. */
  private async ready(ctx: StepContext, item: CreateItem, answer: ServiceEndpoint): Promise<ServiceEndpoint> {
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

  private async credential(plan: CreatePlan, clientId: string, federation: { issuer: string; subject: string }, state: CreateProgress, save: Save): Promise<void> {
    if (state.credential) return;
    const credential = {
      name: plan.credential.name, issuer: federation.issuer, subject: federation.subject, audiences: [plan.credential.audience],
      description: `Created by scbot for Azure DevOps service connection ${plan.name} ${plan.marker}.`,
    };
    await this.sent('credential', 'credentialSent', state, save, async () => {
      if (plan.identity.kind === 'managed-identity') await this.o.managedIdentities.putFederatedCredential(plan.identity.resourceId, credential);
      else await this.o.apps.addFederatedCredential(clientId, credential);
    });
    await save({ credential: true });
  }

  private async role(plan: CreatePlan, state: CreateProgress, save: Save): Promise<void> {
    const role = plan.role;
    if (!role) return;
    const principalId = await this.stage('role', () => this.principalOf(plan, state));
    await this.sent('role', 'roleSent', state, save, () => this.o.roles.assign({ scope: plan.scope, name: role.assignmentName, roleDefinitionId: role.definitionId, principalId }));
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

  private async authorize(item: CreateItem, plan: CreatePlan, endpointId: string, save: Save): Promise<void> {
    await this.stage('pipelines', () => this.o.pipelines.setPermissions(item.projectId, endpointId, { pipelines: plan.pipelines.map((p) => ({ id: p.id, authorized: true })) }));
    await save({ pipelines: true });
  }

  /**
   * Verify, asked again a few times (the readiness polling's attempts and delay): a federated credential or role just
   * made takes a moment to reach every Entra and ARM replica, and the first sign-in may fail only for that.
   */
  private async verify(ctx: StepContext, item: CreateItem, endpointId: string): Promise<void> {
    let verdict = await this.stage('verify', () => this.o.verification.verify(item.projectId, endpointId));
    for (let attempt = 1; !verdict.ok && attempt < ctx.readiness.attempts; attempt += 1) {
      await ctx.sleep(ctx.readiness.delayMs);
      verdict = await this.stage('verify', () => this.o.verification.verify(item.projectId, endpointId));
    }
    if (!verdict.ok) throw new StageFailure('verify', verdict.message);
  }

  /**
   * A write, marked as sent before it goes out (durably: a crash or a lost answer right after it leaves the mark for
   * clean-up), and unmarked when the service surely refused it.
   */
  private async sent<T>(stage: CreateStage, mark: SentMark, state: CreateProgress, save: Save, write: () => Promise<T>): Promise<T> {
    if (!state[mark]) await save({ [mark]: true });
    try {
      return await this.stage(stage, write);
    } catch (error) {
      if (surelyRefused(error)) await save({ [mark]: false });
      throw error;
    }
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

  /** The failure is recorded before the clean-up, so a run resumed after a crash mid-way finishes it (and only it). */
  private async undo(ctx: StepContext, item: CreateItem, state: CreateProgress, error: unknown): Promise<StepOutcome> {
    const failure = error instanceof StageFailure ? error : new StageFailure('connection', undefined, error);
    const reported = failure.underlying === undefined ? undefined : ctx.fail(failure.underlying);
    const undoing: CreateUndoing = {
      stage: failure.stage, ...(failure.detail ? { detail: failure.detail } : {}), ...(reported ? { referenceId: reported.referenceId, code: reported.code } : {}),
      ...(failure.keep ? { keptConnection: true } : {}),
    };
    await ctx.progress({ create: { ...state, undoing } });
    return this.finishUndo(ctx, item, state, undoing);
  }

  private async finishUndo(ctx: StepContext, item: CreateItem, state: CreateProgress, undoing: CreateUndoing): Promise<StepOutcome> {
    const leftovers = await cleanUp(ctx, item, createOf(item), state, this.o, undoing.keptConnection);
    return failed({
      kind: 'create-undone', stage: undoing.stage, leftovers, ...(undoing.keptConnection ? { keptConnection: true } : {}),
      ...(undoing.detail ? { detail: undoing.detail } : {}), ...(undoing.referenceId ? { referenceId: undoing.referenceId } : {}),
    }, undoing.code);
  }
}
