import type { ExecutionRecord, ProjectReference, ServiceEndpoint, ServiceEndpointProjectReference } from '../../src/domain/endpoint';
import { isFailed, nameInProject } from '../../src/domain/endpoint';
import { AppError } from '../../src/domain/errors';
import { redactEndpoint } from '../../src/domain/redaction';
import type { ExecutionPage, ListFilter, ServiceEndpoints } from '../../src/devops/service-endpoints.port';

/**
 * The ServiceEndpoints port in memory: the hand-written fake for unit tests. It keeps the service's
 * observable rules (failed ones hidden unless asked, secrets never returned, unshare vs delete) and is held
 * to them by the same contract suite as the real adapter.
 */
export class InMemoryServiceEndpoints implements ServiceEndpoints {
  private readonly endpoints = new Map<string, ServiceEndpoint>();
  private readonly history = new Map<string, ExecutionRecord[]>();

  constructor(
    private readonly projectList: ProjectReference[],
    endpoints: ServiceEndpoint[] = [],
    history: Record<string, ExecutionRecord[]> = {},
  ) {
    for (const e of endpoints) this.endpoints.set(e.id.toLowerCase(), structuredClone(e));
    for (const [id, records] of Object.entries(history)) this.history.set(id.toLowerCase(), [...records].sort((a, b) => b.id - a.id));
  }

  async projects(): Promise<ProjectReference[]> {
    return this.projectList.map((p) => ({ ...p }));
  }

  async list(project: string, filter: ListFilter = {}): Promise<ServiceEndpoint[]> {
    const projectId = this.projectId(project);
    if (!projectId) return [];
    const ids = filter.endpointIds?.map((i) => i.toLowerCase());
    const schemes = filter.authSchemes?.map((s) => s.toLowerCase());
    return [...this.endpoints.values()]
      .filter((e) => this.inProject(e, projectId))
      .filter((e) => filter.includeFailed || !isFailed(e))
      .filter((e) => !filter.type || e.type.toLowerCase() === filter.type.toLowerCase())
      .filter((e) => !schemes || schemes.includes((e.authorization?.scheme ?? '').toLowerCase()))
      .filter((e) => !ids || ids.includes(e.id.toLowerCase()))
      .map((e) => this.view(e, projectId));
  }

  async get(project: string, endpointId: string): Promise<ServiceEndpoint | null> {
    const projectId = this.projectId(project);
    const e = this.endpoints.get(endpointId.toLowerCase());
    return e && projectId && this.inProject(e, projectId) ? this.view(e, projectId) : null;
  }

  async getByName(project: string, name: string, options: { includeFailed?: boolean } = {}): Promise<ServiceEndpoint | null> {
    const projectId = this.projectId(project);
    if (!projectId) return null;
    const wanted = name.toLowerCase();
    const found = [...this.endpoints.values()].find(
      (e) => this.inProject(e, projectId) && nameInProject(e, projectId).toLowerCase() === wanted && (options.includeFailed || !isFailed(e)),
    );
    return found ? this.view(found, projectId) : null;
  }

  /** A new id, Ready at once (a Manual create), names unique per project as the service keeps them (409 otherwise). */
  async create(endpoint: ServiceEndpoint): Promise<ServiceEndpoint> {
    for (const ref of endpoint.serviceEndpointProjectReferences ?? []) {
      const projectId = this.projectId(ref.projectReference.id) ?? ref.projectReference.id.toLowerCase();
      if (await this.getByName(projectId, ref.name, { includeFailed: true })) throw new AppError('DEVOPS.CONFLICT', `A service connection named ${ref.name} already exists`, { status: 409 });
    }
    const id = `${this.projectList.length.toString(16).padStart(8, '0')}-0000-4000-8000-${(this.endpoints.size + 1).toString(16).padStart(12, '0')}`;
    const created: ServiceEndpoint = { ...structuredClone(endpoint), id, isReady: true, operationStatus: { state: 'Ready', statusMessage: '' } };
    // As the service does for workload identity federation: its issuer, and a subject only it can name.
    if ((created.authorization?.scheme ?? '').toLowerCase() === 'workloadidentityfederation') {
      const tenant = created.authorization?.parameters?.tenantid ?? '';
      created.authorization = { scheme: created.authorization?.scheme ?? '', parameters: {
        ...(created.authorization?.parameters ?? {}), workloadIdentityFederationIssuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
        workloadIdentityFederationSubject: `/eid1/c/pub/t/in-memory/sc/${id}`, workloadIdentityFederationIssuerType: 'EntraID',
      } };
    }
    this.endpoints.set(id, created);
    return redactEndpoint(structuredClone(created));
  }

  async update(endpoint: ServiceEndpoint): Promise<ServiceEndpoint> {
    const key = endpoint.id.toLowerCase();
    if (!this.endpoints.has(key)) throw new AppError('DEVOPS.NOT_FOUND', `No service connection ${endpoint.id} to update`, { status: 404 });
    this.endpoints.set(key, structuredClone(endpoint));
    return redactEndpoint(structuredClone(endpoint));
  }

  async delete(endpointId: string, projectIds: string[]): Promise<void> {
    const key = endpointId.toLowerCase();
    const e = this.endpoints.get(key);
    if (!e) return;
    const drop = new Set(projectIds.map((p) => p.toLowerCase()));
    const remaining = (e.serviceEndpointProjectReferences ?? []).filter((r) => !drop.has(r.projectReference.id.toLowerCase()));
    if (remaining.length === 0) this.endpoints.delete(key);
    else this.endpoints.set(key, { ...e, serviceEndpointProjectReferences: remaining, isShared: remaining.length > 1 });
  }

  async share(endpointId: string, references: ServiceEndpointProjectReference[]): Promise<void> {
    const key = endpointId.toLowerCase();
    const e = this.endpoints.get(key);
    if (!e) return;
    const refs = [...(e.serviceEndpointProjectReferences ?? [])];
    for (const r of references) if (!refs.some((x) => x.projectReference.id.toLowerCase() === r.projectReference.id.toLowerCase())) refs.push(structuredClone(r));
    this.endpoints.set(key, { ...e, serviceEndpointProjectReferences: refs, isShared: refs.length > 1 });
  }

  async executionHistory(_project: string, endpointId: string, options: { top?: number; continuationToken?: string } = {}): Promise<ExecutionPage> {
    const all = this.history.get(endpointId.toLowerCase()) ?? [];
    const after = options.continuationToken ? Number(options.continuationToken) : undefined;
    const rest = after === undefined ? all : all.filter((r) => r.id < after);
    const top = options.top ?? 50;
    const records = rest.slice(0, top).map((r) => ({ ...r }));
    const last = records[records.length - 1];
    return rest.length > top && last ? { records, continuationToken: String(last.id) } : { records };
  }

  private projectId(project: string): string | undefined {
    const key = project.toLowerCase();
    return this.projectList.find((p) => p.id.toLowerCase() === key || p.name?.toLowerCase() === key)?.id.toLowerCase();
  }

  private inProject(e: ServiceEndpoint, projectId: string): boolean {
    return (e.serviceEndpointProjectReferences ?? []).some((r) => r.projectReference.id.toLowerCase() === projectId);
  }

  private view(e: ServiceEndpoint, projectId: string): ServiceEndpoint {
    const ref = e.serviceEndpointProjectReferences?.find((r) => r.projectReference.id.toLowerCase() === projectId);
    const copy = redactEndpoint(structuredClone(e));
    return ref ? { ...copy, name: ref.name, description: ref.description ?? copy.description } : copy;
  }
}

