/**
 * Durable key/value state with optimistic concurrency: every record carries a version (an eTag for Azure
 * Storage); a write names the version it read and fails with a conflict if someone wrote since.
 */
export interface Versioned<T> {
  value: T;
  version: string;
}

export class VersionConflictError extends Error {
  constructor(readonly key: string) {
    super(`version conflict on ${key}`);
    this.name = 'VersionConflictError';
  }
}

export interface Store {
  get<T>(collection: string, key: string): Promise<Versioned<T> | undefined>;
  /**
   * Write `value`. `expectedVersion`: undefined = create only (conflict if it exists); a version = replace only
   * if unchanged since (conflict otherwise).
   */
  put<T>(collection: string, key: string, value: T, expectedVersion?: string): Promise<Versioned<T>>;
  delete(collection: string, key: string, expectedVersion?: string): Promise<void>;
  list<T>(collection: string, prefix?: string): Promise<Array<{ key: string } & Versioned<T>>>;
  /** Keys only, by prefix, in key order: for sweeps over collections whose values are large (retention). */
  keys(collection: string, prefix?: string): Promise<string[]>;
}
