export { VersionConflictError } from './store.port';
export type { Store, Versioned } from './store.port';
export { EmbeddedStore, type EmbeddedStoreOptions } from './embedded-store';
export { AzureTableStore, DEFAULT_TABLE_NAME, StoreUnavailableError } from './azure-table-store';
export { TableRecordLimitError } from './azure/table-codec';
export { createStore, describeStore, type StoreSettings } from './store-factory';
