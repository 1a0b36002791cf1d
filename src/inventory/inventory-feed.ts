/**
 * Every live read feeds the inventory, and every change the bot makes corrects it: a ServiceEndpoints in front of
 * the adapter (under the turn cache, so a cached answer is not recorded twice) that passes every call through and
 * records what the service answered. A full list of a project (failed ones included, no filter) replaces that
 * project; a single read updates the connection wherever it is listed; a create, update (convert, rename, enable)
 * or share records the service's answer; a delete or unshare removes the connection from those projects. Nothing
 * here changes what a caller gets back, and a read that fails records nothing.
 */
import type { Clock } from '../domain/time';
import type { ProjectReference, ServiceEndpoint, ServiceEndpointProjectReference } from '../domain/endpoint';
import type { ExecutionPage, ListFilter, ServiceEndpoints } from '../devops/service-endpoints.port';
import type { ConnectionInventory } from './connection-inventory';

/** A list the inventory may keep: every connection of the project, as `list failed` and name lookups need. */
export function isFullList(filter: ListFilter): boolean {
  return filter.includeFailed === true && !filter.type && !filter.authSchemes?.length && !filter.endpointIds?.length;
}

export class InventoryFeed implements ServiceEndpoints {
  constructor(
    private readonly inner: ServiceEndpoints,
    private readonly inventory: ConnectionInventory,
    private readonly clock: Clock,
  ) {}

  async projects(): Promise<ProjectReference[]> {
    const readAt = this.clock.now();
    const projects = await this.inner.projects();
    this.inventory.recordProjects(projects, readAt);
    return projects;
  }

  async list(project: string, filter: ListFilter = {}): Promise<ServiceEndpoint[]> {
    // The instant the read started: what it shows is at least this fresh.
    const readAt = this.clock.now();
    const found = await this.inner.list(project, filter);
    const ref = isFullList(filter) ? this.projectOf(project, found) : undefined;
    if (ref) this.inventory.recordProjectList(ref, found, readAt);
    return found;
  }

  async get(project: string, endpointId: string): Promise<ServiceEndpoint | null> {
    const readAt = this.clock.now();
    const found = await this.inner.get(project, endpointId);
    if (found) this.inventory.recordOne(found, readAt);
    else this.inventory.forget(endpointId, [project]);
    return found;
  }

  async getByName(project: string, name: string, options?: { includeFailed?: boolean }): Promise<ServiceEndpoint | null> {
    const readAt = this.clock.now();
    const found = await this.inner.getByName(project, name, options);
    if (found) this.inventory.recordOne(found, readAt);
    // Without failed ones a miss proves nothing: the name may be a failed connection's.
    else if (options?.includeFailed) this.inventory.forgetName(project, name);
    return found;
  }

  executionHistory(project: string, endpointId: string, options?: { top?: number; continuationToken?: string }): Promise<ExecutionPage> {
    return this.inner.executionHistory(project, endpointId, options);
  }

  async create(endpoint: ServiceEndpoint): Promise<ServiceEndpoint> {
    const readAt = this.clock.now();
    const created = await this.inner.create(endpoint);
    this.inventory.recordOne(created, readAt);
    return created;
  }

  async update(endpoint: ServiceEndpoint, operation?: string): Promise<ServiceEndpoint> {
    const readAt = this.clock.now();
    const updated = await this.inner.update(endpoint, operation);
    this.inventory.recordOne(updated, readAt);
    return updated;
  }

  async delete(endpointId: string, projectIds: string[], options?: { deep?: boolean }): Promise<void> {
    await this.inner.delete(endpointId, projectIds, options);
    this.inventory.forget(endpointId, projectIds);
  }

  async share(endpointId: string, references: ServiceEndpointProjectReference[]): Promise<void> {
    const readAt = this.clock.now();
    await this.inner.share(endpointId, references);
    this.inventory.recordShare(endpointId, references, readAt);
  }

  /** The listed project: as the inventory knows it, else as a listed connection's reference names it. */
  private projectOf(project: string, found: readonly ServiceEndpoint[]): ProjectReference | undefined {
    const known = this.inventory.projectRef(project);
    if (known) return known;
    const wanted = project.toLowerCase();
    const refs = found.flatMap((e) => e.serviceEndpointProjectReferences ?? []).map((r) => r.projectReference);
    return refs.find((r) => r.id.toLowerCase() === wanted || r.name?.toLowerCase() === wanted);
  }
}
