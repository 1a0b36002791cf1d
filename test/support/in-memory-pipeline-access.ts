/**
 * PipelineAccess in memory, for unit tests and the command tests: pipelines per project, permissions per project
 * and endpoint, roles per `{projectId}_{endpointId}`. A PATCH behaves as the service's: unnamed pipelines stay.
 * `calls` counts reads by kind so tests can hold the bot to one pipelines read per project per turn.
 */
import type { EndpointPermissions, PermissionsChange, PipelineRef, RoleAssignment } from '../../src/domain/pipeline-access';
import type { PipelineAccess } from '../../src/devops/pipeline-access.port';

export interface InMemoryPipelineAccessSeed {
  pipelines?: Record<string, PipelineRef[]>;
  /** Key: `${project}|${endpointId}` (project as the caller names it). */
  permissions?: Record<string, EndpointPermissions>;
  /** Key: `${projectId}_${endpointId}`. */
  roles?: Record<string, RoleAssignment[]>;
}

const key = (project: string, endpointId: string): string => `${project.toLowerCase()}|${endpointId.toLowerCase()}`;

export class InMemoryPipelineAccess implements PipelineAccess {
  readonly calls = { pipelines: 0, permissions: 0, setPermissions: 0, roles: 0, openEndpoints: 0 };
  private readonly pipelineLists = new Map<string, PipelineRef[]>();
  private readonly grants = new Map<string, EndpointPermissions>();
  private readonly roleLists = new Map<string, RoleAssignment[]>();

  constructor(seed: InMemoryPipelineAccessSeed = {}, private readonly now: () => Date = () => new Date()) {
    for (const [project, list] of Object.entries(seed.pipelines ?? {})) this.pipelineLists.set(project.toLowerCase(), structuredClone(list));
    for (const [k, p] of Object.entries(seed.permissions ?? {})) {
      const [project = '', id = ''] = k.split('|');
      this.grants.set(key(project, id), structuredClone(p));
    }
    for (const [k, r] of Object.entries(seed.roles ?? {})) this.roleLists.set(k.toLowerCase(), structuredClone(r));
  }

  async pipelines(project: string): Promise<PipelineRef[]> {
    this.calls.pipelines += 1;
    return structuredClone(this.pipelineLists.get(project.toLowerCase()) ?? []);
  }

  async permissions(project: string, endpointId: string): Promise<EndpointPermissions> {
    this.calls.permissions += 1;
    return structuredClone(this.grants.get(key(project, endpointId)) ?? { allPipelines: false, pipelines: [] });
  }

  async setPermissions(project: string, endpointId: string, change: PermissionsChange): Promise<EndpointPermissions> {
    this.calls.setPermissions += 1;
    const current = this.grants.get(key(project, endpointId)) ?? { allPipelines: false, pipelines: [] };
    const on = this.now().toISOString();
    const next: EndpointPermissions = structuredClone(current);
    if (change.allPipelines !== undefined) {
      next.allPipelines = change.allPipelines;
      if (change.allPipelines) next.allPipelinesGrant = { by: 'scbot', on };
      else delete next.allPipelinesGrant;
    }
    for (const p of change.pipelines ?? []) {
      next.pipelines = next.pipelines.filter((g) => g.id !== p.id);
      if (p.authorized) next.pipelines.push({ id: p.id, by: 'scbot', on });
    }
    next.pipelines.sort((a, b) => a.id - b.id);
    this.grants.set(key(project, endpointId), next);
    return structuredClone(next);
  }

  async openEndpoints(project: string): Promise<string[]> {
    this.calls.openEndpoints += 1;
    const prefix = `${project.toLowerCase()}|`;
    return [...this.grants].filter(([k, p]) => k.startsWith(prefix) && p.allPipelines).map(([k]) => k.slice(prefix.length));
  }

  async roles(projectId: string, endpointId: string): Promise<RoleAssignment[]> {
    this.calls.roles += 1;
    return structuredClone(this.roleLists.get(`${projectId}_${endpointId}`.toLowerCase()) ?? []);
  }
}
