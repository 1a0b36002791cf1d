import type { Clock } from '../domain/time';
import type { ProjectReference, ServiceEndpoint, ServiceEndpointProjectReference } from '../domain/endpoint';
import type { ExecutionPage, ListFilter, ServiceEndpoints } from './service-endpoints.port';

interface Entry<T> {
  expiresAtMs: number;
  value: Promise<T>;
}

/**
 * A short-lived read cache in front of Azure DevOps for the views many people ask for at once (`projects`,
 * `list`). Azure DevOps budgets 200 TSTUs per identity per 5 minutes, and one bot identity serves a whole
 * organization: a channel where ten people type `list` should cost one call, not ten.
 *
 * Only lists and the project list are cached; `get`, `getByName` and history always read through, and every
 * write made through this instance empties the cache. Changes made elsewhere (the portal) show up within the
 * TTL; mutations never rely on a cached read alone, since execution re-reads each connection and compares its
 * fingerprint. Concurrent identical reads share one request. A failed read is not cached.
 */
export class CachingServiceEndpoints implements ServiceEndpoints {
  private readonly entries = new Map<string, Entry<unknown>>();

  constructor(
    private readonly inner: ServiceEndpoints,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  projects(): Promise<ProjectReference[]> {
    return this.cached('projects', () => this.inner.projects());
  }

  list(project: string, filter: ListFilter = {}): Promise<ServiceEndpoint[]> {
    // A read of named ids is execution's fingerprint check: it must see the service as it is now.
    if (filter.endpointIds && filter.endpointIds.length > 0) return this.inner.list(project, filter);
    return this.cached(`list:${project.toLowerCase()}:${filterKey(filter)}`, () => this.inner.list(project, filter));
  }

  get(project: string, endpointId: string): Promise<ServiceEndpoint | null> {
    return this.inner.get(project, endpointId);
  }

  getByName(project: string, name: string, options?: { includeFailed?: boolean }): Promise<ServiceEndpoint | null> {
    return this.inner.getByName(project, name, options);
  }

  executionHistory(project: string, endpointId: string, options?: { top?: number; continuationToken?: string }): Promise<ExecutionPage> {
    return this.inner.executionHistory(project, endpointId, options);
  }

  async create(endpoint: ServiceEndpoint): Promise<ServiceEndpoint> {
    try {
      return await this.inner.create(endpoint);
    } finally {
      this.entries.clear();
    }
  }

  async update(endpoint: ServiceEndpoint, operation?: string): Promise<ServiceEndpoint> {
    try {
      return await this.inner.update(endpoint, operation);
    } finally {
      this.entries.clear();
    }
  }

  async delete(endpointId: string, projectIds: string[], options?: { deep?: boolean }): Promise<void> {
    try {
      await this.inner.delete(endpointId, projectIds, options);
    } finally {
      this.entries.clear();
    }
  }

  async share(endpointId: string, references: ServiceEndpointProjectReference[]): Promise<void> {
    try {
      await this.inner.share(endpointId, references);
    } finally {
      this.entries.clear();
    }
  }

  /** Results are shared between callers, so they are frozen: an accidental edit throws instead of leaking. */
  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = this.clock.now().getTime();
    let entry = this.entries.get(key) as Entry<T> | undefined;
    if (!entry || entry.expiresAtMs <= now) {
      const value = load().then(deepFreeze);
      entry = { expiresAtMs: now + this.ttlMs, value };
      this.entries.set(key, entry);
      const stored = entry;
      value.catch(() => {
        if (this.entries.get(key) === stored) this.entries.delete(key);
      });
    }
    return entry.value;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function filterKey(filter: ListFilter): string {
  const list = (values?: string[]) => (values ?? []).map((v) => v.toLowerCase()).sort().join(',');
  return [filter.type?.toLowerCase() ?? '', list(filter.authSchemes), list(filter.endpointIds), filter.includeFailed ? 'f' : ''].join('|');
}
