export { VersionConflictError } from './store.port';
export type { Store, Versioned } from './store.port';
export { EmbeddedStore, type EmbeddedStoreOptions } from './embedded-store';
