import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureTableStore, DEFAULT_TABLE_NAME, StoreUnavailableError } from '../../src/store/azure-table-store';
import { VersionConflictError } from '../../src/store/store.port';
import { TableRecordLimitError } from '../../src/store/azure/table-codec';
import { generateLocalhostCertificate, type TlsCertificate } from '@scbot/stand-ins';
import { startAzuriteTables, tableConnectionString, type AzuriteTables } from '../support/azurite';
import { describeStoreContract } from './store.contract';

let azurite: AzuriteTables;
beforeAll(async () => {
  azurite = await startAzuriteTables();
});
afterAll(async () => {
  await azurite?.stop();
});

/** Each test gets its own table, so tests never see each other's records; a second instance on it = a reopen. */
const freshTable = (): string => `t${randomUUID().replace(/-/g, '')}`;
/** The SDK itself, to look at what the adapter actually stored. */
const rawClient = (table: string): TableClient =>
  TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
const open = (table: string): AzureTableStore => AzureTableStore.fromConnectionString(azurite.connectionString, table);

describeStoreContract('AzureTableStore on Azurite', async () => {
  const table = freshTable();
  return { store: open(table), reopen: async () => open(table) };
});

describe('AzureTableStore on Azurite: several instances on one table', () => {
  it('uses the table "scbotstate" unless told otherwise, creating it on first use', async () => {
    const store = AzureTableStore.fromConnectionString(azurite.connectionString);
    await store.put('plans', 'p1', { id: 'p1' });
    const raw = await rawClient(DEFAULT_TABLE_NAME).getEntity('plans', 'p1');
    expect(raw.v0).toBe('{"id":"p1"}');
  });

  it('two instances creating the same key concurrently: exactly one wins', async () => {
    const table = freshTable();
    const [a, b] = [open(table), open(table)];
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.allSettled([a.put('plans', `p${round}`, 'a'), b.put('plans', `p${round}`, 'b')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(lost?.reason).toBeInstanceOf(VersionConflictError);
    }
  });

  it('two instances replacing the same version concurrently: exactly one wins, the other sees its write', async () => {
    const table = freshTable();
    const [a, b] = [open(table), open(table)];
    let current = await a.put<{ by: number | string }>('runs', 'r', { by: 'none' });
    for (let round = 0; round < 5; round += 1) {
      const writers = [a, b, a, b].map((store, i) => store.put('runs', 'r', { by: i }, current.version));
      const results = await Promise.allSettled(writers);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      current = (won[0] as PromiseFulfilledResult<typeof current>).value;
      expect(await b.get('runs', 'r')).toEqual(current);
      expect(await a.get('runs', 'r')).toEqual(current);
    }
  });
});

describe('AzureTableStore on Azurite: keys and values the Table service would refuse as they are', () => {
  const tricky = [
    'a/b\\c#d?e%f', '%2F', '%u0041', 'tab\there\nnewline\u0000nul\u007fdel\u0085', 'ünïcödé/日本語/emoji 😀',
    'lone \ud800 surrogate', '~tilde~', '', ' ', '.', '..', 'x'.repeat(500), 'sc-prod',
  ];

  it('round-trips every tricky key through put, get, list and delete', async () => {
    const store = open(freshTable());
    for (const key of tricky) await store.put('odd', key, { key });
    for (const key of tricky) expect((await store.get<{ key: string }>('odd', key))?.value.key).toBe(key);
    const listed = await store.list<{ key: string }>('odd');
    expect(listed.map((r) => r.key)).toEqual([...tricky].sort());
    for (const r of listed) expect(r.value.key).toBe(r.key);
    for (const key of tricky) await store.delete('odd', key);
    expect(await store.list('odd')).toEqual([]);
  });

  it('lists by prefixes containing escaped characters, exactly', async () => {
    const store = open(freshTable());
    const keys = ['a/1', 'a/2', 'a%2F3', 'a0', 'a/', 'a', 'a\u00ff', 'a\u0100', 'a😀x', 'a😁', 'b/1', 'a~', 'a}'];
    for (const key of keys) await store.put('p', key, key);
    for (const prefix of ['', 'a', 'a/', 'a%', 'a%2F', 'a\u00ff', 'a😀', 'a~', 'a}', 'zzz']) {
      const expected = keys.filter((k) => k.startsWith(prefix)).sort();
      expect((await store.list<string>('p', prefix)).map((r) => r.key), `prefix ${JSON.stringify(prefix)}`).toEqual(expected);
    }
  });

  it('lists past the service page size (1,000 entities) by following continuation tokens', async () => {
    const store = open(freshTable());
    const keys = Array.from({ length: 1_050 }, (_, i) => `run/${String(i).padStart(4, '0')}`);
    for (let start = 0; start < keys.length; start += 50) {
      await Promise.all(keys.slice(start, start + 50).map((key) => store.put('items', key, { key })));
    }
    const listed = await store.list<{ key: string }>('items', 'run/');
    expect(listed.map((r) => r.key)).toEqual(keys);
    expect(await store.list('items', 'run/1')).toHaveLength(50);
  });

  it('keeps collections with tricky names apart', async () => {
    const store = open(freshTable());
    await store.put('plans/a', 'k', 1);
    await store.put('plans#a', 'k', 2);
    expect((await store.get('plans/a', 'k'))?.value).toBe(1);
    expect((await store.list('plans#a')).map((r) => r.value)).toEqual([2]);
  });

  it('stores a 200 KB plan across properties and replaces it with a smaller one', async () => {
    const table = freshTable();
    const store = open(table);
    const items = Array.from({ length: 2000 }, (_, i) => ({ id: `sc-${i}`, note: `connection ${i} ünïcode`.padEnd(90, '.') }));
    const plan = { id: 'big', items };
    expect(JSON.stringify(plan).length).toBeGreaterThan(200_000);
    const first = await store.put('plans', 'big', plan);
    const raw = await rawClient(table).getEntity('plans', 'big');
    expect(raw.chunks).toBeGreaterThanOrEqual(7);
    for (let i = 0; i < Number(raw.chunks); i += 1) expect(String(raw[`v${i}`]).length).toBeLessThanOrEqual(32_000);
    expect((await store.get('plans', 'big'))?.value).toEqual(plan);
    const smaller = await store.put('plans', 'big', { id: 'big', items: items.slice(0, 1) }, first.version);
    expect(await open(table).get('plans', 'big')).toEqual(smaller);
  });

  it('refuses a value or key over the service limits with a clear error, before any request', async () => {
    const store = open(freshTable());
    await expect(store.put('plans', 'huge', 'x'.repeat(600_000))).rejects.toThrow(TableRecordLimitError);
    await expect(store.put('plans', 'huge', 'x'.repeat(600_000))).rejects.toThrow(/value of plans\/huge is too large/);
    await expect(store.get('plans', 'k'.repeat(600))).rejects.toThrow(/too long/);
  });

  it('stores undefined, null, strings and numbers as given', async () => {
    const store = open(freshTable());
    for (const [key, value] of [['u', undefined], ['n', null], ['s', ''], ['z', 0]] as const) {
      await store.put('values', key, value);
      expect(await store.get('values', key)).toEqual({ value, version: expect.any(String) });
    }
  });
});

describe('AzureTableStore on Azurite: failures', () => {
  it('reports a wrong account key as StoreUnavailableError without the key or the connection string', async () => {
    const wrongKey = Buffer.from('not-the-dev-account-key-but-a-secret').toString('base64');
    const store = AzureTableStore.fromConnectionString(tableConnectionString(azurite.tableEndpoint, wrongKey), freshTable());
    const error = await store.get('plans', 'p1').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ status: 403, serviceCode: 'AuthorizationFailure' });
    const text = `${String(error)} ${JSON.stringify(error)}`;
    expect(text).toContain('plans/p1');
    expect(text).not.toContain(wrongKey);
    expect(text).not.toContain('AccountKey');
  });

  it('reports an unreachable service as StoreUnavailableError (no retries configured here)', async () => {
    const closed = tableConnectionString('http://127.0.0.1:1/devstoreaccount1');
    const store = AzureTableStore.fromConnectionString(closed, freshTable(), { retryOptions: { maxRetries: 0 } });
    const error = await store.list('plans').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(String(error)).toMatch(/Azure Table storage list of collection plans failed: no response, ECONNREFUSED/);
    expect(String(error)).not.toContain('AccountKey');
  });

  it('refuses plain http to a host other than loopback, before sending anything', async () => {
    const remote = tableConnectionString('http://storage.example.invalid/devstoreaccount1');
    const error = await AzureTableStore.fromConnectionString(remote, freshTable()).get('plans', 'p1').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(String(error)).toMatch(/allowInsecureConnection/);
    expect(String(error)).not.toContain('AccountKey');
  });
});

describe('AzureTableStore on Azurite over https with a TokenCredential (the managed-identity path)', () => {
  let secure: AzuriteTables;
  let certificate: TlsCertificate;
  beforeAll(async () => {
    certificate = await generateLocalhostCertificate();
    secure = await startAzuriteTables({ certificate });
  });
  afterAll(async () => {
    await secure?.stop();
  });

  /** Stands in for ManagedIdentityCredential: an unsigned token Azurite's `--oauth basic` accepts if claims fit. */
  const credential = (audience: string, scopes: string[] = []): TokenCredential => ({
    getToken: async (scope) => {
      scopes.push(...[scope].flat());
      const token = await new UnsecuredJWT({}).setIssuer('https://sts.windows.net/00000000-0000-0000-0000-000000000001/')
        .setAudience(audience).setIssuedAt().setNotBefore('-1m').setExpirationTime('1h').encode();
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  });
  const trustLocal = () => ({ tlsOptions: { ca: certificate.certPem } });

  it('asks the credential for the storage scope and shares state with a second instance', async () => {
    const scopes: string[] = [];
    const table = freshTable();
    const store = AzureTableStore.fromAccountUrl(secure.tableEndpoint, credential('https://storage.azure.com', scopes), table, trustLocal());
    const first = await store.put('plans', 'p/1', { id: 'p/1' });
    expect(scopes).toContain('https://storage.azure.com/.default');
    const other = AzureTableStore.fromAccountUrl(secure.tableEndpoint, credential('https://storage.azure.com'), table, trustLocal());
    expect(await other.list('plans', 'p/')).toEqual([{ key: 'p/1', ...first }]);
    await expect(other.put('plans', 'p/1', {}, 'W/"datetime\'2000-01-01T00%3A00%3A00Z\'"')).rejects.toBeInstanceOf(VersionConflictError);
  });

  it('reports a token the service refuses as StoreUnavailableError with its status', async () => {
    const store = AzureTableStore.fromAccountUrl(secure.tableEndpoint, credential('https://vault.azure.net'), freshTable(), trustLocal());
    const error = await store.get('plans', 'p1').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    // Azurite answers 403 AuthenticationFailed for a wrong audience.
    expect(error).toMatchObject({ status: 403, serviceCode: 'AuthenticationFailed' });
  });
});
