/**
 * MembershipSource over Microsoft Graph v1.0: POST /users/{id}/getMemberGroups with securityEnabledOnly=false.
 * Graph documents it as transitive and answering every group id in one reply (up to 11,000; beyond that it answers
 * 400 Directory_ResultSizeLimitExceeded), so there is no paging to follow, unlike GET transitiveMemberOf.
 * Needs User.Read.All + GroupMember.Read.All (or Directory.Read.All) as an application permission.
 */
import { graphError } from '../azure/graph-errors';
import { GraphClient, type GraphClientOptions } from '../azure/graph-client';
import type { MembershipSource } from './membership-source.port';
import { GUID } from '../domain/guid';

/** Same options as every Graph adapter; the timeout defaults to 15 s here, since a chat turn waits for it. */
export type GraphMembershipSourceOptions = GraphClientOptions;


export class GraphMembershipSource implements MembershipSource {
  private readonly graph: GraphClient;

  constructor(options: GraphMembershipSourceOptions) {
    this.graph = new GraphClient(options, 15_000);
  }

  async groupsOf(aadObjectId: string): Promise<string[]> {
    // Object ids come from activities (attacker-shaped); anything but a GUID is never spliced into a URL.
    if (!GUID.test(aadObjectId)) return [];
    const response = await this.graph.send({
      operation: 'getMemberGroups', method: 'POST', path: `/v1.0/users/${aadObjectId}/getMemberGroups`, body: { securityEnabledOnly: false },
    });
    // Unknown user: a member of nothing, which the policy then denies.
    if (response.status === 404) return [];
    if (response.status < 200 || response.status >= 300) {
      throw graphError('getMemberGroups', response.status, response.bodyAsText ?? undefined, response.headers.get('retry-after'));
    }
    const body = JSON.parse(response.bodyAsText ?? '{}') as { value?: unknown };
    if (!Array.isArray(body.value)) throw graphError('getMemberGroups', 502, undefined);
    return body.value.filter((id): id is string => typeof id === 'string');
  }
}

/** True when the policy names groups, i.e. when a MembershipSource (and Graph permissions) is needed at all. */
export function policyNamesGroups(policy: { requesters: { groups: readonly string[] }; approvers: { groups: readonly string[] } }): boolean {
  return policy.requesters.groups.length > 0 || policy.approvers.groups.length > 0;
}
