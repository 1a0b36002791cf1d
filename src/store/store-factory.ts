/**
 * Picks the Store from configuration: the shared Azure Table store when one is configured (several instances),
 * otherwise the embedded store (one instance; a directory, or memory when none is given).
 */
import type { TokenCredential } from '@azure/identity';
import type { StorageConfig } from '../config';
import { AzureTableStore } from './azure-table-store';
import { EmbeddedStore } from './embedded-store';
import type { Store } from './store.port';

export interface StoreSettings {
  storage?: Readonly<StorageConfig>;
  stateDir?: string;
}

export function createStore(settings: StoreSettings, credential: TokenCredential): Store {
  const storage = settings.storage;
  if (storage?.kind === 'connection-string') return AzureTableStore.fromConnectionString(storage.connectionString, storage.table);
  if (storage?.kind === 'account-url') return AzureTableStore.fromAccountUrl(storage.accountUrl, credential, storage.table);
  return new EmbeddedStore(settings.stateDir ? { dir: settings.stateDir } : {});
}

/** Where state lives, for logs and the banner: never the connection string itself. */
export function describeStore(settings: StoreSettings): string {
  if (settings.storage?.kind === 'connection-string') return `Azure Table "${settings.storage.table}" (connection string)`;
  if (settings.storage?.kind === 'account-url') return `Azure Table "${settings.storage.table}" at ${settings.storage.accountUrl}`;
  return settings.stateDir ? `embedded store in ${settings.stateDir}` : 'embedded store in memory';
}
