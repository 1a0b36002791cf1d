import type { EndpointPermissions, PermissionsChange, PipelineRef, RoleAssignment } from '../domain/pipeline-access';

/**
 * Which pipelines may use a connection, and who may manage it: pipeline definitions, pipelinePermissions and the
 * per-connection security roles of Azure DevOps. `project` is a name or id; roles need the project GUID.
 * Implementations throw AppError with a DEVOPS.* code (pipelinePermissions needs the pipeline-resources scope:
 * a token without it gets DEVOPS.FORBIDDEN).
 */
export interface PipelineAccess {
  /** Every pipeline definition of the project (one call, or a few pages): names for ids. */
  pipelines(project: string): Promise<PipelineRef[]>;
  permissions(project: string, endpointId: string): Promise<EndpointPermissions>;
  /** PATCH: pipelines the change does not name keep their authorization. Answers the permissions after it. */
  setPermissions(project: string, endpointId: string, change: PermissionsChange): Promise<EndpointPermissions>;
  /** Ids of the project's connections open to all pipelines: one call for the whole project (the radar's read). */
  openEndpoints(project: string): Promise<string[]>;
  /** Role assignments on the connection (assigned and inherited). */
  roles(projectId: string, endpointId: string): Promise<RoleAssignment[]>;
}
