/**
 * rotate (seed 000): obtain a new secret (Graph addPassword, or the current Key Vault version), prove it
 * authenticates, PUT the planned `after` with the value set only in that request, confirm it is ready from the
 * PUT's answer (a GET poll only when the answer does not settle it), then schedule the previous bot-made secret
 * for retirement. No orphan secret on an app, whatever fails or crashes:
 *   - a write-ahead intent precedes addPassword, and the secret's displayName carries its marker (secret-ledger.ts);
 *   - any failure before the PUT removes the new password again (or, if that fails too, schedules it at once);
 *   - a resumed rotation that cannot finish schedules the interrupted secret for retirement after the grace period;
 *   - whatever still slips through (a lost addPassword answer, a crash before the ledger write) the reconciler
 *     finds by its marker.
 */
import { readKey, type ServiceEndpoint } from '../../domain/endpoint';
import { AppError } from '../../domain/errors';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import type { SecretPlan } from '../../domain/plan';
import type { RotateItem } from './rotate.payload';
import type { AppSecrets, NewSecret, SecretVerifier, VaultSecrets } from '../../azure/secret-source.port';
import type { StepProgress } from '../../execution/run-report';
import { markedName, removeIfPresent, type SecretLedger } from '../../execution/secret-ledger';
import { appIdOf, keptAfterUnclearUpdate, mayHaveApplied, scrubbed, withSecret } from './rotate-request';
import { confirmReady, done, failed, isReadyNow, ResumeLaterError, type Step, type StepContext, type StepOutcome } from '../../execution/step';
import { DAY_MS, systemClock } from '../../domain/time';

export interface RotateStepOptions {
  appSecrets?: AppSecrets;
  vaultSecrets?: VaultSecrets;
  verifier: SecretVerifier;
  ledger: SecretLedger;
  /** How long the previous bot-made secret keeps working (default 24 h). */
  graceMs?: number;
  /** Verifier calls before giving up (default 1: TokenSecretVerifier already retries for Entra propagation). */
  verifyAttempts?: number;
  /** Wait between verification attempts (default 5 s); injectable sleep so tests never wait. */
  verifyDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}


/** A secret in hand; `marker` is the write-ahead intent of one the bot made. */
type Obtained = NewSecret & { marker?: string };

export class RotateStep implements Step {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RotateStepOptions) {
    this.sleep = options.sleep ?? systemClock.sleep;
  }

  async run(ctx: StepContext, item: RotateItem, current: ServiceEndpoint): Promise<StepOutcome> {
    if (!item.secret || !item.after) return failed({ kind: 'no-new-secret' }, 'INTERNAL');
    const secret = await this.obtain(ctx, item.secret, item.endpointId);
    let answer: ServiceEndpoint;
    try {
      await this.verify(current, secret.value);
      answer = await ctx.devops.update(withSecret(item.after, secret.value));
    } catch (error) {
      // A PUT that may have been applied must not lose its secret: the connection could be using it already.
      if (mayHaveApplied(error)) {
        // Kept, and tied to the connection: the next rotation that goes through retires it or the previous one.
        const appId = appIdOf(item.secret);
        if (appId && secret.keyId) await this.options.ledger.markUncertain(item.endpointId, appId, secret.keyId);
        await this.options.ledger.settle(secret.marker);
        return keptAfterUnclearUpdate(error, secret.keyId);
      }
      await this.discard(ctx, item, secret);
      throw scrubbed(error, secret.value);
    }
    await this.afterUpdate(ctx, { keyId: secret.keyId, appId: appIdOf(item.secret), updated: true });
    return this.finish(ctx, item, secret.keyId, answer);
  }

  /**
   * An Automatic connection whose flip is visible went through the PUT with the interrupted secret: keep it.
   * Otherwise the PUT may or may not have happened (a Manual connection looks the same either way), so rotate
   * again and then remove the interrupted secret, which is certainly unused after the new PUT.
   */
  async resume(ctx: StepContext, item: RotateItem, current: ServiceEndpoint | null, progress: StepProgress): Promise<StepOutcome | 'restart'> {
    if (!current) return failed({ kind: 'gone' });
    const flippedByUs = readKey(item.before.data ?? undefined, 'creationMode') === 'Automatic'
      && readKey(current.data ?? undefined, 'creationMode') === 'Manual';
    if (progress.updated || flippedByUs) return this.finish(ctx, item, progress.keyId, current);
    if (!progress.keyId || !progress.appId) return 'restart';
    if (fingerprintEndpoint(current) !== item.fingerprint) {
      return failed({ kind: 'changed-during-interrupted-rotation', appId: progress.appId, keyId: progress.keyId });
    }
    return this.rerun(ctx, item, current, { appId: progress.appId, keyId: progress.keyId });
  }

  /**
   * The interrupted run's PUT may or may not have gone through. After a new PUT that went through, the interrupted
   * secret is certainly unused: removed now. Otherwise it may be what the connection uses, so it is scheduled for
   * retirement after the grace period (never left without a date), and the item fails.
   */
  private async rerun(ctx: StepContext, item: RotateItem, current: ServiceEndpoint, interrupted: { appId: string; keyId: string }): Promise<StepOutcome> {
    const ledger = this.options.ledger;
    let outcome: StepOutcome;
    try {
      outcome = await this.run(ctx, item, current);
    } catch (error) {
      await ledger.retireAt(interrupted.appId, interrupted.keyId, item.endpointId, new Date(ctx.clock.now().getTime() + this.graceMs()));
      throw error;
    }
    if (outcome.reason?.kind === 'update-uncertain') {
      await ledger.retireAt(interrupted.appId, interrupted.keyId, item.endpointId, new Date(ctx.clock.now().getTime() + this.graceMs()));
      return outcome;
    }
    const record = await ledger.get(interrupted.appId, interrupted.keyId);
    if (this.options.appSecrets) await removeIfPresent(this.options.appSecrets, interrupted.appId, interrupted.keyId);
    await ledger.forget(interrupted.appId, interrupted.keyId);
    await ledger.settle(record?.marker);
    return outcome;
  }

  private async obtain(ctx: StepContext, plan: SecretPlan, endpointId: string): Promise<Obtained> {
    if (plan.source === 'keyvault') {
      if (!this.options.vaultSecrets) throw new AppError('CONFIG.INVALID', 'No Key Vault secret source is configured');
      return this.options.vaultSecrets.current(plan.vault, plan.secretName);
    }
    if (!this.options.appSecrets) throw new AppError('CONFIG.INVALID', 'No Microsoft Graph secret source is configured');
    // Write-ahead: the ledger knows a secret is about to exist, and Graph keeps the marker in its displayName.
    const marker = await this.options.ledger.intend(plan.appId, endpointId, ctx.planId);
    const created = await this.options.appSecrets.addPassword(plan.appId, { displayName: markedName(plan.displayName, marker), endDateTime: plan.expiresAt });
    const secret = { ...created, marker };
    try {
      await this.options.ledger.recordCreated(plan.appId, created.keyId, endpointId, marker);
      await ctx.progress({ keyId: created.keyId, appId: plan.appId });
    } catch (error) {
      await this.compensate(ctx, plan.appId, endpointId, secret);
      throw error;
    }
    return secret;
  }

  /** Records the PUT; if the store refuses, the item stays running and the next run resumes it from the re-read. */
  private async afterUpdate(ctx: StepContext, progress: StepProgress): Promise<void> {
    try {
      await ctx.progress(progress);
    } catch (error) {
      throw new ResumeLaterError(error);
    }
  }

  private async verify(current: ServiceEndpoint, value: string): Promise<void> {
    const params = current.authorization?.parameters ?? undefined;
    const tenantId = readKey(params, 'tenantid') ?? '';
    const clientId = readKey(params, 'serviceprincipalid') ?? '';
    const attempts = Math.max(1, this.options.verifyAttempts ?? 1);
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (await this.options.verifier.verify(tenantId, clientId, value)) return;
      if (attempt < attempts) await this.sleep(this.options.verifyDelayMs ?? 5_000);
    }
    throw new AppError('SECRET.NOT_VERIFIED', `The new secret for app ${clientId} did not authenticate after ${attempts} attempts`);
  }

  private async discard(ctx: StepContext, item: RotateItem, secret: Obtained): Promise<void> {
    if (item.secret?.source !== 'graph' || !secret.keyId) return;
    await this.compensate(ctx, item.secret.appId, item.endpointId, secret);
  }

  /**
   * The new secret is certainly unused (no PUT carried it): remove it. If Graph or the store refuses, schedule it
   * for retirement now; if even that fails, the intent stays and the reconciler removes the secret by its marker.
   */
  private async compensate(ctx: StepContext, appId: string, endpointId: string, secret: Obtained): Promise<void> {
    const ledger = this.options.ledger;
    try {
      if (this.options.appSecrets && secret.keyId) await removeIfPresent(this.options.appSecrets, appId, secret.keyId);
      if (secret.keyId) await ledger.forget(appId, secret.keyId);
      await ledger.settle(secret.marker);
    } catch {
      if (secret.keyId) await ledger.retireAt(appId, secret.keyId, endpointId, ctx.clock.now()).catch(() => undefined);
    }
  }

  /** `seen` is the PUT's answer, or the connection as re-read when resuming: no extra GET when it says ready. */
  private async finish(ctx: StepContext, item: RotateItem, keyId: string | undefined, seen: ServiceEndpoint): Promise<StepOutcome> {
    const confirmed = await confirmReady(ctx, item, seen);
    // Ready or not, the connection now holds the new secret (the PUT went through): the ledger must say so.
    const retired = await this.promote(ctx, item, keyId);
    if (!isReadyNow(confirmed)) return failed({ kind: 'new-secret-not-ready' });
    return retired ? done({ kind: 'previous-secret-retires', at: new Date(ctx.clock.now().getTime() + this.graceMs()).toISOString() }) : done();
  }

  /** Promotes and settles the intent; a store that refuses leaves the item for a later run (it repeats this). */
  private async promote(ctx: StepContext, item: RotateItem, keyId: string | undefined): Promise<string | undefined> {
    if (item.secret?.source !== 'graph' || !keyId) return undefined;
    try {
      const retired = await this.options.ledger.promote(item.endpointId, item.secret.appId, keyId, this.graceMs());
      await this.options.ledger.settle((await this.options.ledger.get(item.secret.appId, keyId))?.marker);
      return retired;
    } catch (error) {
      throw new ResumeLaterError(error);
    }
  }

  private graceMs(): number {
    return this.options.graceMs ?? DAY_MS;
  }
}
