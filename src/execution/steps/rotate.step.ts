/**
 * rotate (seed 000): obtain a new secret (Graph addPassword, or the current Key Vault version), prove it
 * authenticates, PUT the planned `after` with the value set only in that request, confirm it is ready from the
 * PUT's answer (a GET poll only when the answer does not settle it), then schedule the previous bot-made secret
 * for retirement. Once addPassword succeeded, any failure before the PUT removes the new password again: the bot
 * never leaves an orphan secret on an app.
 */
import { readKey, type ServiceEndpoint } from '../../domain/endpoint';
import { AppError } from '../../domain/errors';
import { fingerprintEndpoint } from '../../domain/fingerprint';
import type { PlanItem, SecretPlan } from '../../domain/plan';
import { setParams } from '../../domain/planners/common';
import { scrubText } from '../../domain/redaction';
import type { AppSecrets, NewSecret, SecretVerifier, VaultSecrets } from '../../secrets/secret-source.port';
import type { StepProgress } from '../run-report';
import type { SecretLedger } from '../secret-ledger';
import { confirmReady, done, failed, isReadyNow, type Step, type StepContext, type StepOutcome } from './step';

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

const DAY_MS = 86_400_000;

export class RotateStep implements Step {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RotateStepOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async run(ctx: StepContext, item: PlanItem, current: ServiceEndpoint): Promise<StepOutcome> {
    if (!item.secret || !item.after) return failed({ kind: 'no-new-secret' }, 'INTERNAL');
    const secret = await this.obtain(ctx, item.secret, item.endpointId);
    let answer: ServiceEndpoint;
    try {
      await this.verify(current, secret.value);
      answer = await ctx.devops.update(withSecret(item.after, secret.value));
    } catch (error) {
      // A PUT that may have been applied must not lose its secret: the connection could be using it already.
      if (mayHaveApplied(error)) return keptAfterUnclearUpdate(error, secret.keyId);
      await this.discard(item.secret, secret);
      throw scrubbed(error, secret.value);
    }
    await ctx.progress({ keyId: secret.keyId, appId: appIdOf(item.secret), updated: true });
    return this.finish(ctx, item, secret.keyId, answer);
  }

  /**
   * An Automatic connection whose flip is visible went through the PUT with the interrupted secret: keep it.
   * Otherwise the PUT may or may not have happened (a Manual connection looks the same either way), so rotate
   * again and then remove the interrupted secret, which is certainly unused after the new PUT.
   */
  async resume(ctx: StepContext, item: PlanItem, current: ServiceEndpoint | null, progress: StepProgress): Promise<StepOutcome | 'restart'> {
    if (!current) return failed({ kind: 'gone' });
    const flippedByUs = readKey(item.before.data ?? undefined, 'creationMode') === 'Automatic'
      && readKey(current.data ?? undefined, 'creationMode') === 'Manual';
    if (progress.updated || flippedByUs) return this.finish(ctx, item, progress.keyId, current);
    if (!progress.keyId || !progress.appId) return 'restart';
    if (fingerprintEndpoint(current) !== item.fingerprint) {
      return failed({ kind: 'changed-during-interrupted-rotation', appId: progress.appId, keyId: progress.keyId });
    }
    const outcome = await this.run(ctx, item, current);
    await this.options.appSecrets?.removePassword(progress.appId, progress.keyId);
    await this.options.ledger.forget(progress.appId, progress.keyId);
    return outcome;
  }

  private async obtain(ctx: StepContext, plan: SecretPlan, endpointId: string): Promise<NewSecret> {
    if (plan.source === 'keyvault') {
      if (!this.options.vaultSecrets) throw new AppError('CONFIG.INVALID', 'No Key Vault secret source is configured');
      return this.options.vaultSecrets.current(plan.vault, plan.secretName);
    }
    if (!this.options.appSecrets) throw new AppError('CONFIG.INVALID', 'No Microsoft Graph secret source is configured');
    const created = await this.options.appSecrets.addPassword(plan.appId, { displayName: plan.displayName, endDateTime: plan.expiresAt });
    // Recorded before anything else can fail: a crash must never hide a secret the bot made.
    await this.options.ledger.recordCreated(plan.appId, created.keyId, endpointId);
    await ctx.progress({ keyId: created.keyId, appId: plan.appId });
    return created;
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

  private async discard(plan: SecretPlan, secret: NewSecret): Promise<void> {
    if (plan.source !== 'graph' || !secret.keyId || !this.options.appSecrets) return;
    await this.options.appSecrets.removePassword(plan.appId, secret.keyId);
    await this.options.ledger.forget(plan.appId, secret.keyId);
  }

  /** `seen` is the PUT's answer, or the connection as re-read when resuming: no extra GET when it says ready. */
  private async finish(ctx: StepContext, item: PlanItem, keyId: string | undefined, seen: ServiceEndpoint): Promise<StepOutcome> {
    const confirmed = await confirmReady(ctx, item, seen);
    if (!isReadyNow(confirmed)) {
      return failed({ kind: 'new-secret-not-ready' });
    }
    if (item.secret?.source !== 'graph' || !keyId) return done();
    const graceMs = this.options.graceMs ?? DAY_MS;
    const retired = await this.options.ledger.promote(item.endpointId, item.secret.appId, keyId, graceMs);
    return retired ? done({ kind: 'previous-secret-retires', at: new Date(ctx.clock.now().getTime() + graceMs).toISOString() }) : done();
  }
}

/** A timeout or a dropped connection after the request went out: the service may have applied it. */
function mayHaveApplied(error: unknown): error is AppError {
  return error instanceof AppError && (error.code === 'DEVOPS.TIMEOUT' || (error.code === 'DEVOPS.UNAVAILABLE' && error.status === undefined));
}

function keptAfterUnclearUpdate(error: AppError, keyId: string | undefined): StepOutcome {
  return failed({ kind: 'update-uncertain', ...(keyId ? { keptKeyId: keyId } : {}) }, error.code);
}

function appIdOf(plan: SecretPlan): string | undefined {
  return plan.source === 'graph' ? plan.appId : undefined;
}

/** The planned connection with the secret set; this object lives only for the PUT request. */
function withSecret(after: ServiceEndpoint, value: string): ServiceEndpoint {
  const authorization = after.authorization ?? { scheme: 'ServicePrincipal', parameters: {} };
  return { ...after, authorization: { ...authorization, parameters: setParams(authorization.parameters, { serviceprincipalkey: value, authenticationType: 'spnKey' }) } };
}

/** An error that might quote the request body loses the value before anyone logs or stores it. */
function scrubbed(error: unknown, value: string): unknown {
  if (!(error instanceof Error) || !error.message.includes(value)) return error;
  if (error instanceof AppError) return new AppError(error.code, scrubText(error.message, [value]), { status: error.status, retryAfterMs: error.retryAfterMs });
  return new Error(scrubText(error.message, [value]));
}
