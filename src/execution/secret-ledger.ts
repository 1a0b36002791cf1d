/**
 * The secrets the bot created (Graph keyIds, never values) and when each is due to be retired. The bot only ever
 * removes a secret recorded here: a secret someone else made is never touched, even after a rotation replaced it.
 */
import type { Clock } from '../domain/clock';
import type { AppSecrets } from '../secrets/secret-source.port';
import type { Store } from '../store/store.port';

export const BOT_SECRETS_COLLECTION = 'bot-secrets';
export const CONNECTION_SECRETS_COLLECTION = 'connection-secrets';

export interface BotSecret {
  appId: string;
  keyId: string;
  endpointId: string;
  createdAt: string;
  /** Set when a newer secret replaced this one on its connection. */
  retireAt?: string;
}

export interface RetiredSecret {
  appId: string;
  keyId: string;
  /** Present when removal failed; the secret stays scheduled and is tried again next time. */
  failed?: string;
}

export class SecretLedger {
  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** Called right after addPassword, before anything else can fail, so a crash never hides a bot-made secret. */
  async recordCreated(appId: string, keyId: string, endpointId: string): Promise<void> {
    const record: BotSecret = { appId, keyId, endpointId: endpointId.toLowerCase(), createdAt: this.clock.now().toISOString() };
    const existing = await this.store.get<BotSecret>(BOT_SECRETS_COLLECTION, secretKey(appId, keyId));
    if (!existing) await this.store.put(BOT_SECRETS_COLLECTION, secretKey(appId, keyId), record);
  }

  /** The new secret was removed again (the rotation failed); nothing left to retire. */
  async forget(appId: string, keyId: string): Promise<void> {
    await this.store.delete(BOT_SECRETS_COLLECTION, secretKey(appId, keyId));
  }

  isBotMade(appId: string, keyId: string): Promise<boolean> {
    return this.store.get(BOT_SECRETS_COLLECTION, secretKey(appId, keyId)).then((r) => r !== undefined);
  }

  /**
   * The connection now uses `keyId`. The secret it used before is scheduled for retirement after `graceMs`
   * only if the bot made it; returns that previous keyId when scheduled.
   */
  async promote(endpointId: string, appId: string, keyId: string, graceMs: number): Promise<string | undefined> {
    const id = endpointId.toLowerCase();
    const current = await this.store.get<{ appId: string; keyId: string }>(CONNECTION_SECRETS_COLLECTION, id);
    await this.store.put(CONNECTION_SECRETS_COLLECTION, id, { appId, keyId }, current?.version);
    const previous = current?.value;
    if (!previous || previous.keyId === keyId) return undefined;
    const record = await this.store.get<BotSecret>(BOT_SECRETS_COLLECTION, secretKey(previous.appId, previous.keyId));
    if (!record) return undefined;
    const retireAt = new Date(this.clock.now().getTime() + graceMs).toISOString();
    await this.store.put(BOT_SECRETS_COLLECTION, secretKey(previous.appId, previous.keyId), { ...record.value, retireAt }, record.version);
    return previous.keyId;
  }

  async scheduled(): Promise<BotSecret[]> {
    return (await this.store.list<BotSecret>(BOT_SECRETS_COLLECTION)).map((r) => r.value).filter((s) => s.retireAt !== undefined);
  }

  /** Removes every bot-made secret whose grace period ended by `now`. */
  async retireDueSecrets(secrets: AppSecrets, now: Date = this.clock.now()): Promise<RetiredSecret[]> {
    const due = (await this.scheduled()).filter((s) => Date.parse(s.retireAt ?? '') <= now.getTime());
    const results: RetiredSecret[] = [];
    for (const secret of due) {
      try {
        await secrets.removePassword(secret.appId, secret.keyId);
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
