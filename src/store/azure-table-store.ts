/**
 * The shared Store: one Azure Table, PartitionKey = collection, RowKey = key (both encoded, see azure/table-codec),
 * version = the entity eTag. Compare-and-swap is the service's own conditional write (If-Match / create-only), so
 * any number of bot instances can share it. Values are stored as JSON: plain data only (no Date, Map, class).
 */
import { RestError, TableClient, odata, type TableServiceClientOptions, type TableEntityResult } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { statusOf } from '../domain/errors';
import { VersionConflictError, type Store, type Versioned } from './store.port';
import { decodeKeyPart, encodeKey, prefixRange, propertiesToValue, valueToProperties } from './azure/table-codec';

export const DEFAULT_TABLE_NAME = 'scbotstate';

type Entity = TableEntityResult<Record<string, unknown>>;

/** A storage failure other than a version conflict. The message names the operation and record, never credentials. */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly serviceCode: string | undefined,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

export class AzureTableStore implements Store {
  private ready: Promise<void> | undefined;

  /** Prefer the factories; this one is for callers that already built a TableClient. */
  constructor(private readonly client: TableClient) {}

  /**
   * Shared-key access from a storage connection string (local Azurite, or an account key where managed identity
   * is not available). Transient failures are retried by the SDK pipeline; `options.retryOptions` tunes that.
   */
  static fromConnectionString(
    connectionString: string, table = DEFAULT_TABLE_NAME, options: TableServiceClientOptions = {},
  ): AzureTableStore {
    // Plain http is allowed only to loopback (Azurite); the SDK refuses it elsewhere.
    const allowInsecureConnection = isLoopback(connectionString);
    return new AzureTableStore(TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection, ...options }));
  }

  /**
   * Production: the account's table endpoint (`https://<account>.table.core.windows.net`) and a TokenCredential,
   * e.g. the bot's managed identity from src/identity. The identity needs the "Storage Table Data Contributor"
   * role on the account; the table is created on first use.
   */
  static fromAccountUrl(
    accountUrl: string, credential: TokenCredential, table = DEFAULT_TABLE_NAME, options: TableServiceClientOptions = {},
  ): AzureTableStore {
    return new AzureTableStore(new TableClient(accountUrl, table, credential, options));
  }

  async get<T>(collection: string, key: string): Promise<Versioned<T> | undefined> {
    const where = recordName(collection, key);
    const [pk, rk] = [encodeKey(collection, `collection ${collection}`), encodeKey(key, `key ${where}`)];
    const entity = await this.call('read', where, async () => {
      try {
        return await this.client.getEntity<Record<string, unknown>>(pk, rk);
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    });
    return entity && { value: propertiesToValue(entity, where) as T, version: versionOf(entity, where) };
  }

  async put<T>(collection: string, key: string, value: T, expectedVersion?: string): Promise<Versioned<T>> {
    const where = recordName(collection, key);
    const entity = {
      partitionKey: encodeKey(collection, `collection ${collection}`),
      rowKey: encodeKey(key, `key ${where}`),
      ...valueToProperties(value, where),
    };
    // 409: it exists (create-only); 412: changed since `expectedVersion`; 404: deleted since.
    const conflicts = expectedVersion === undefined ? [409] : [404, 412];
    const response = await this.call('write', where, () =>
      expectedVersion === undefined
        ? this.client.createEntity(entity)
        : this.client.updateEntity(entity, 'Replace', { etag: expectedVersion }),
      conflicts);
    if (!response.etag) throw new StoreUnavailableError(`Azure Table storage returned no eTag for ${where}`, undefined, undefined);
    return { value, version: response.etag };
  }

  async delete(collection: string, key: string, expectedVersion?: string): Promise<void> {
    const where = recordName(collection, key);
    const [pk, rk] = [encodeKey(collection, `collection ${collection}`), encodeKey(key, `key ${where}`)];
    await this.call('delete', where, async () => {
      try {
        await this.client.deleteEntity(pk, rk, { etag: expectedVersion ?? '*' });
      } catch (error) {
        // Already gone is what the caller wanted, as in the embedded store.
        if (statusOf(error) !== 404) throw error;
      }
    }, [412]);
  }

  async list<T>(collection: string, prefix = ''): Promise<Array<{ key: string } & Versioned<T>>> {
    const entities = await this.query(collection, prefix);
    return entities
      .map((entity) => {
        const key = decodeKeyPart(entity.rowKey ?? '');
        const where = recordName(collection, key);
        return { key, value: propertiesToValue(entity, where) as T, version: versionOf(entity, where) };
      })
      // Same order as the embedded store (UTF-16 code units of the decoded key), not the encoded RowKey order.
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async keys(collection: string, prefix = ''): Promise<string[]> {
    // RowKey only: the service sends no value properties back.
    const entities = await this.query(collection, prefix, ['RowKey']);
    return entities.map((e) => decodeKeyPart(e.rowKey ?? '')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private query(collection: string, prefix: string, select?: string[]): Promise<Entity[]> {
    const pk = encodeKey(collection, `collection ${collection}`);
    const { low, high } = prefixRange(prefix);
    const filter = prefix === ''
      ? odata`PartitionKey eq ${pk}`
      : odata`PartitionKey eq ${pk} and RowKey ge ${low} and RowKey lt ${high}`;
    return this.call('list', `collection ${collection}`, async () => {
      const found: Entity[] = [];
      for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter, ...(select ? { select } : {}) } })) found.push(entity);
      return found;
    });
  }

  /** Creates the table once per instance (concurrent first calls share one attempt; a failed attempt is retried). */
  private ensureTable(): Promise<void> {
    if (!this.ready) {
      this.ready = this.client.createTable().catch((error: unknown) => {
        this.ready = undefined;
        throw error;
      });
    }
    return this.ready;
  }

  /** Runs one operation: table ensured, listed statuses → VersionConflictError, anything else → StoreUnavailableError. */
  private async call<R>(operation: string, where: string, work: () => Promise<R>, conflicts: number[] = []): Promise<R> {
    try {
      await this.ensureTable();
      return await work();
    } catch (error) {
      const status = statusOf(error);
      if (status !== undefined && conflicts.includes(status)) throw new VersionConflictError(where);
      throw unavailable(operation, where, error);
    }
  }
}

const recordName = (collection: string, key: string): string => `${collection}/${key}`;

function isLoopback(connectionString: string): boolean {
  const endpoint = /(?:^|;)\s*TableEndpoint\s*=\s*([^;]+)/i.exec(connectionString)?.[1];
  if (endpoint) return /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i.test(endpoint.trim());
  return /(?:^|;)\s*UseDevelopmentStorage\s*=\s*true/i.test(connectionString);
}

function versionOf(entity: Entity, where: string): string {
  if (!entity.etag) throw new StoreUnavailableError(`Azure Table storage returned no eTag for ${where}`, undefined, undefined);
  return entity.etag;
}

/**
 * Keeps the status and the service's error code (e.g. AuthorizationFailure) but drops the RestError itself: it
 * carries the request, whose headers (Authorization) must never reach a log.
 */
function unavailable(operation: string, where: string, error: unknown): Error {
  if (!(error instanceof RestError)) {
    // Raised by the SDK or the credential before any response (e.g. plain http to a remote host): no request attached.
    const reason = error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : 'unknown error';
    return new StoreUnavailableError(`Azure Table storage ${operation} of ${where} failed (${reason})`, undefined, undefined);
  }
  // The service's code is in x-ms-error-code; without a response, `code` holds the network error (ECONNREFUSED).
  const code = error.response?.headers.get('x-ms-error-code') ?? error.code;
  const status = error.statusCode === undefined ? 'no response' : `HTTP ${error.statusCode}`;
  return new StoreUnavailableError(
    `Azure Table storage ${operation} of ${where} failed: ${status}, ${code ?? 'no error code'}`, error.statusCode, code);
}
