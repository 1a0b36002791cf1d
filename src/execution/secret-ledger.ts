/**
 * The secrets the bot created (Graph keyIds, never values) and when each is due to be retired. The bot only ever
 * removes a secret recorded here: a secret someone else made is never touched, even after a rotation replaced it.
 *
 * Write-ahead: before Graph addPassword, an intent (`secret-intents/<marker>`) says a secret is about to exist, and
 * the secret's displayName carries the marker (Graph keeps it). Whatever fails or crashes between addPassword and the
 * end of the rotation, the intent stays until the rotation settles it, and the reconciler
 * (src/execution/secret-reconciler.ts) finds the secret by its marker and removes it unless a connection uses it.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/time';
import { AppError } from '../domain/errors';
import type { AppSecrets } from '../azure/secret-source.port';
import type { Store } from '../store/store.port';

export const BOT_SECRETS_COLLECTION = 'bot-secrets';
export const CONNECTION_SECRETS_COLLECTION = 'connection-secrets';
export const SECRET_INTENTS_COLLECTION = 'secret-intents';

export interface BotSecret {
  appId: string;
  keyId: string;
  endpointId: string;
  createdAt: string;
  /** The write-ahead intent this secret was made under (also in its Graph displayName). */
  marker?: string;
  /** Set when a newer secret replaced this one on its connection (or a failed rotation could not remove it). */
  retireAt?: string;
}

/** A secret about to be created (or created, its rotation not yet settled). */
export interface SecretIntent {
  marker: string;
  appId: string;
  endpointId: string;
  planId: string;
  at: string;
}

/**
 * What the ledger knows a connection uses. `uncertain`: bot-made secrets a PUT carried whose answer was lost (a
 * timeout): the connection may use one of them or `keyId`. None is removed until a later rotation of the
 * connection goes through; that rotation schedules all of them.
 */
interface ConnectionSecret {
  appId: string;
  keyId?: string;
  uncertain?: string[];
}

export interface RetiredSecret {
  appId: string;
  keyId: string;
  /** Present when removal failed; the secret stays scheduled and is tried again next time. */
  failed?: string;
}

const MARKER_IN_NAME = /\[(scbot:[A-Za-z0-9._:-]{1,80})\]$/;

/** The displayName Graph keeps for a bot-made secret: the planned name and the intent's marker. */
export function markedName(displayName: string, marker: string): string {
  return `${displayName} [${marker}]`;
}

export function markerOf(displayName: string | undefined): string | undefined {
  return displayName ? MARKER_IN_NAME.exec(displayName)?.[1] : undefined;
}

/** Removes a secret; one already gone (a removal whose answer was lost, a retry) counts as removed. */
export async function removeIfPresent(secrets: AppSecrets, appId: string, keyId: string): Promise<void> {
  try {
    await secrets.removePassword(appId, keyId);
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'GRAPH.NOT_FOUND')) throw error;
  }
}

export class SecretLedger {
  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** Written before addPassword: if this fails, no secret is made; once it succeeds, no secret can hide. */
  async intend(appId: string, endpointId: string, planId: string): Promise<string> {
    const marker = `scbot:${planId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40)}:${randomBytes(6).toString('hex')}`;
    const intent: SecretIntent = { marker, appId: appId.toLowerCase(), endpointId: endpointId.toLowerCase(), planId, at: this.clock.now().toISOString() };
    await this.store.put(SECRET_INTENTS_COLLECTION, marker, intent);
    return marker;
  }

  /** The rotation that made `marker`'s secret settled it (connection promoted, or the secret removed again). */
  async settle(marker: string | undefined): Promise<void> {
    if (marker) await this.store.delete(SECRET_INTENTS_COLLECTION, marker);
  }

  async intents(): Promise<SecretIntent[]> {
    return (await this.store.list<SecretIntent>(SECRET_INTENTS_COLLECTION)).map((r) => r.value);
  }

  /** Called right after addPassword; the intent already covers a crash in between. */
  async recordCreated(appId: string, keyId: string, endpointId: string, marker?: string): Promise<void> {
    const record: BotSecret = { appId, keyId, endpointId: endpointId.toLowerCase(), createdAt: this.clock.now().toISOString(), ...(marker ? { marker } : {}) };
    const existing = await this.store.get<BotSecret>(BOT_SECRETS_COLLECTION, secretKey(appId, keyId));
    if (!existing) await this.store.put(BOT_SECRETS_COLLECTION, secretKey(appId, keyId), record);
  }

  /** The new secret was removed again (the rotation failed); nothing left to retire. */
  async forget(appId: string, keyId: string): Promise<void> {
    await this.store.delete(BOT_SECRETS_COLLECTION, secretKey(appId, keyId));
  }

  async get(appId: string, keyId: string): Promise<BotSecret | undefined> {
    return (await this.store.get<BotSecret>(BOT_SECRETS_COLLECTION, secretKey(appId, keyId)))?.value;
  }

  isBotMade(appId: string, keyId: string): Promise<boolean> {
    return this.get(appId, keyId).then((r) => r !== undefined);
  }

  /** The keyId the ledger says a connection uses (after its last completed rotation). */
  async currentFor(endpointId: string): Promise<{ appId: string; keyId: string } | undefined> {
    const record = (await this.store.get<ConnectionSecret>(CONNECTION_SECRETS_COLLECTION, endpointId.toLowerCase()))?.value;
    return record?.keyId ? { appId: record.appId, keyId: record.keyId } : undefined;
  }

  /** Bot-made secrets a timed-out PUT carried for this connection, any of which it may use now. */
  async uncertainFor(endpointId: string): Promise<string[]> {
    return (await this.store.get<ConnectionSecret>(CONNECTION_SECRETS_COLLECTION, endpointId.toLowerCase()))?.value.uncertain ?? [];
  }

  /**
   * A PUT carrying `keyId` timed out: the connection may use it or the secret it used before. Both are kept, and
   * the next rotation of the connection that goes through schedules both for retirement (promote).
   */
  async markUncertain(endpointId: string, appId: string, keyId: string): Promise<void> {
    const id = endpointId.toLowerCase();
    const current = await this.store.get<ConnectionSecret>(CONNECTION_SECRETS_COLLECTION, id);
    const record: ConnectionSecret = current?.value ?? { appId };
    const uncertain = [...new Set([...(record.uncertain ?? []), keyId])];
    await this.store.put(CONNECTION_SECRETS_COLLECTION, id, { ...record, uncertain }, current?.version);
  }

  /** Due for removal at `at` (a crashed rotation's secret that may be in use, or one a compensation could not remove). */
  async retireAt(appId: string, keyId: string, endpointId: string, at: Date): Promise<void> {
    const key = secretKey(appId, keyId);
    const existing = await this.store.get<BotSecret>(BOT_SECRETS_COLLECTION, key);
    const base: BotSecret = existing?.value ?? { appId, keyId, endpointId: endpointId.toLowerCase(), createdAt: this.clock.now().toISOString() };
    await this.store.put(BOT_SECRETS_COLLECTION, key, { ...base, retireAt: at.toISOString() }, existing?.version);
  }

  /**
   * The connection now uses `keyId`. The secret it used before is scheduled for retirement after `graceMs` only if
   * the bot made it, BEFORE the connection's record moves on: a crash in between leaves the previous secret
   * scheduled, never forgotten. Returns that previous keyId when scheduled. Idempotent (a resumed run repeats it).
   */
  async promote(endpointId: string, appId: string, keyId: string, graceMs: number): Promise<string | undefined> {
    const id = endpointId.toLowerCase();
    const current = await this.store.get<ConnectionSecret>(CONNECTION_SECRETS_COLLECTION, id);
    const previous = current?.value;
    const retireAt = new Date(this.clock.now().getTime() + graceMs).toISOString();
    let retired: string | undefined;
    if (previous?.keyId && previous.keyId !== keyId && await this.schedule(previous.appId, previous.keyId, retireAt)) retired = previous.keyId;
    // Secrets of a timed-out PUT: the connection used one of them or the previous one until this PUT went through.
    for (const uncertain of previous?.uncertain ?? []) if (uncertain !== keyId) await this.schedule(previous?.appId ?? appId, uncertain, retireAt);
    await this.store.put<ConnectionSecret>(CONNECTION_SECRETS_COLLECTION, id, { appId, keyId }, current?.version);
    return retired;
  }

  /** Sets a bot-made secret's retirement (an earlier date wins); false when the bot did not make it. */
  private async schedule(appId: string, keyId: string, at: string): Promise<boolean> {
    const record = await this.store.get<BotSecret>(BOT_SECRETS_COLLECTION, secretKey(appId, keyId));
    if (!record) return false;
    const retireAt = record.value.retireAt ?? at;
    if (retireAt !== record.value.retireAt) await this.store.put(BOT_SECRETS_COLLECTION, secretKey(appId, keyId), { ...record.value, retireAt }, record.version);
    return true;
  }

  async scheduled(): Promise<BotSecret[]> {
    return (await this.store.list<BotSecret>(BOT_SECRETS_COLLECTION)).map((r) => r.value).filter((s) => s.retireAt !== undefined);
  }

  /** Every bot-made secret the ledger holds (the crash tests compare it with what Graph holds). */
  async all(): Promise<BotSecret[]> {
    return (await this.store.list<BotSecret>(BOT_SECRETS_COLLECTION)).map((r) => r.value);
  }

  /** Removes every bot-made secret whose grace period ended by `now`. */
  async retireDueSecrets(secrets: AppSecrets, now: Date = this.clock.now()): Promise<RetiredSecret[]> {
    const due = (await this.scheduled()).filter((s) => Date.parse(s.retireAt ?? '') <= now.getTime());
    const results: RetiredSecret[] = [];
    for (const secret of due) {
      try {
        await removeIfPresent(secrets, secret.appId, secret.keyId);
        await this.forget(secret.appId, secret.keyId);
        results.push({ appId: secret.appId, keyId: secret.keyId });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        results.push({ appId: secret.appId, keyId: secret.keyId, failed: typeof code === 'string' ? code : 'INTERNAL' });
      }
    }
    return results;
  }
}

function secretKey(appId: string, keyId: string): string {
  return `${appId.toLowerCase()}/${keyId.toLowerCase()}`;
}
