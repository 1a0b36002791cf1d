import { AzureDevOpsPipelineAccess } from './azure-devops-pipeline-access';
import type { AzureDevOpsServiceEndpoints } from './azure-devops-service-endpoints';
import type { Lane } from './call-gate';
import type { PipelineAccess } from './pipeline-access.port';
import type { ServiceEndpoints } from './service-endpoints.port';

/** Both Azure DevOps ports of one adapter in a priority lane: same token, discovery and rate-limit budget. */
export function azureDevOpsLanes(adapter: AzureDevOpsServiceEndpoints): (lane: Lane) => { devops: ServiceEndpoints; pipelines: PipelineAccess } {
  return (lane) => {
    const view = adapter.inLane(lane);
    return { devops: view, pipelines: new AzureDevOpsPipelineAccess(view) };
  };
}
