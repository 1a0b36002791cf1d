/**
 * MembershipSource over Microsoft Graph v1.0: POST /users/{id}/getMemberGroups with securityEnabledOnly=false.
 * Graph documents it as transitive and answering every group id in one reply (up to 11,000; beyond that it answers
 * 400 Directory_ResultSizeLimitExceeded), so there is no paging to follow, unlike GET transitiveMemberOf.
 * Needs User.Read.All + GroupMember.Read.All (or Directory.Read.All) as an application permission.
 */
import {
  createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest,
  type HttpClient, type Pipeline, type PipelineResponse,
} from '@azure/core-rest-pipeline';
import type { AccessTokenSource } from '../identity/access-token-source.port';
import type { Logger } from '../logging';
import { graphError, graphTransportError } from '../secrets/graph-errors';
import { GRAPH_URL } from '../secrets/graph-app-secrets';
import { trustAgent } from '../secrets/trust-agent';
import type { MembershipSource } from './membership-source.port';

export interface GraphMembershipSourceOptions {
  /** A token source for https://graph.microsoft.com/.default. */
  tokens: AccessTokenSource;
  /** Default https://graph.microsoft.com; the local cloud's Graph stand-in in local mode. */
  graphUrl?: string;
  trust?: { caCertificatePem: string };
  maxRetries?: number;
  timeoutMs?: number;
  logger?: Logger;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class GraphMembershipSource implements MembershipSource {
  private readonly pipeline: Pipeline;
  private readonly client: HttpClient = createDefaultHttpClient();
  private readonly graphUrl: string;

  constructor(private readonly options: GraphMembershipSourceOptions) {
    this.graphUrl = (options.graphUrl ?? GRAPH_URL).replace(/\/+$/, '');
    this.pipeline = createPipelineFromOptions({
      agent: trustAgent(options.trust),
      retryOptions: { maxRetries: options.maxRetries ?? 3 },
      userAgentOptions: { userAgentPrefix: 'scbot' },
    });
  }

  async groupsOf(aadObjectId: string): Promise<string[]> {
    // Object ids come from activities (attacker-shaped); anything but a GUID is never spliced into a URL.
    if (!GUID.test(aadObjectId)) return [];
    const response = await this.send(`/v1.0/users/${aadObjectId}/getMemberGroups`, { securityEnabledOnly: false });
    // Unknown user: a member of nothing, which the policy then denies.
    if (response.status === 404) return [];
    if (response.status < 200 || response.status >= 300) {
      throw graphError('getMemberGroups', response.status, response.bodyAsText ?? undefined, response.headers.get('retry-after'));
    }
    const body = JSON.parse(response.bodyAsText ?? '{}') as { value?: unknown };
    if (!Array.isArray(body.value)) throw graphError('getMemberGroups', 502, undefined);
    return body.value.filter((id): id is string => typeof id === 'string');
  }

  private async send(path: string, body: unknown): Promise<PipelineResponse> {
    try {
      const token = await this.options.tokens.getToken();
      const request = createPipelineRequest({
        url: `${this.graphUrl}${path}`,
        method: 'POST',
        headers: createHttpHeaders({ authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' }),
        body: JSON.stringify(body),
        timeout: this.options.timeoutMs ?? 15_000,
      });
      const response = await this.pipeline.sendRequest(this.client, request);
      this.options.logger?.debug({ operation: 'getMemberGroups', status: response.status }, 'graph call');
      return response;
    } catch (error) {
      throw graphTransportError('getMemberGroups', error);
    }
  }
}

/** True when the policy names groups, i.e. when a MembershipSource (and Graph permissions) is needed at all. */
export function policyNamesGroups(policy: { requesters: { groups: readonly string[] }; approvers: { groups: readonly string[] } }): boolean {
  return policy.requesters.groups.length > 0 || policy.approvers.groups.length > 0;
}
