export type { ExecutionPage, ListFilter, ServiceEndpoints } from './service-endpoints.port';
export type { FederationMigration, MigrationAnswer } from './federation-migration.port';
export {
  AzureDevOpsServiceEndpoints,
  createAzureDevOpsServiceEndpoints,
  type AzureDevOpsDeps,
  type AzureDevOpsServiceEndpointsOptions,
} from './azure-devops-service-endpoints';
export type { PipelineAccess } from './pipeline-access.port';
export { AzureDevOpsPipelineAccess, type DevOpsRest } from './azure-devops-pipeline-access';
export type { RateLimitSnapshot } from './rate-limit';
export type { Lane } from './call-gate';
export { azureDevOpsLanes } from './devops-lanes';
export type { Sleep } from '../domain/time';
