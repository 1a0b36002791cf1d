export type { ExecutionPage, ListFilter, ServiceEndpoints } from './service-endpoints.port';
export type { FederationMigration, MigrationAnswer } from './federation-migration.port';
export { InMemoryServiceEndpoints } from './in-memory-service-endpoints';
export {
  AzureDevOpsServiceEndpoints,
  createAzureDevOpsServiceEndpoints,
  type AzureDevOpsDeps,
  type AzureDevOpsServiceEndpointsOptions,
  type DevOpsLogger,
} from './azure-devops-service-endpoints';
export type { RateLimitSnapshot } from './rate-limit';
export type { Sleep } from './resilience';
