import type { ExecutionRecord, ProjectReference, ServiceEndpoint, ServiceEndpointProjectReference } from '../domain/endpoint';

export interface ListFilter {
  /** Endpoint type, e.g. "azurerm" (case-insensitive). */
  type?: string;
  authSchemes?: string[];
  endpointIds?: string[];
  /** Failed connections are hidden by the service unless asked for. */
  includeFailed?: boolean;
}

export interface ExecutionPage {
  records: ExecutionRecord[];
  /** Present when there are more records; pass it back to get the next page. */
  continuationToken?: string;
}

/**
 * Azure DevOps service connections, as the bot needs them. `project` is a project name or id.
 * Implementations throw AppError with a DEVOPS.* code; a missing connection is `null`, never an error.
 */
export interface ServiceEndpoints {
  /** Every project of the organization the bot's identity can see. */
  projects(): Promise<ProjectReference[]>;
  list(project: string, filter?: ListFilter): Promise<ServiceEndpoint[]>;
  get(project: string, endpointId: string): Promise<ServiceEndpoint | null>;
  getByName(project: string, name: string, options?: { includeFailed?: boolean }): Promise<ServiceEndpoint | null>;
  /**
   * Create a connection (org-scoped POST). Not retried on a lost answer: a caller that must not make it twice looks
   * it up by name first (create marks its own connections in the description).
   */
  create(endpoint: ServiceEndpoint): Promise<ServiceEndpoint>;
  /** Replace a connection (org-scoped PUT); `operation` e.g. "ConvertAuthenticationScheme". */
  update(endpoint: ServiceEndpoint, operation?: string): Promise<ServiceEndpoint>;
  /** Delete from the given projects (unshares when other projects remain); `deep` also removes the app registration. */
  delete(endpointId: string, projectIds: string[], options?: { deep?: boolean }): Promise<void>;
  /** Share with more projects (adds project references). */
  share(endpointId: string, references: ServiceEndpointProjectReference[]): Promise<void>;
  /** Newest first. */
  executionHistory(project: string, endpointId: string, options?: { top?: number; continuationToken?: string }): Promise<ExecutionPage>;
}
