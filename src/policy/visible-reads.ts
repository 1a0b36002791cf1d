/**
 * What a conversation may read under a policy file: only connections (and projects) some `read` rule gives it.
 * Commands read Azure DevOps and the audit trail through these views, so `list`, `show`, `access`, `audit`, the
 * name lookup of every mutating command and its "did you mean" all answer for an unseen connection exactly as for a
 * missing one: there is no existence oracle, and no command has to remember to filter.
 */
import type { AuditEvent } from '../domain/audit';
import type { ProjectReference, ServiceEndpoint } from '../domain/endpoint';
import { canSee, grantsRead, listsConversation, matchesOperation, matchesProject, READ, type Policy, type ProjectRef, type Target } from '../domain/policy-rules';
import type { AuditLog, AuditQuery } from '../audit/audit-log.port';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';

/** The project a connection was read in (by name or id), as its own project references name it. */
export function projectRefOf(endpoint: ServiceEndpoint, project: string): ProjectRef {
  const key = project.toLowerCase();
  const ref = (endpoint.serviceEndpointProjectReferences ?? []).find(
    (r) => r.projectReference.id.toLowerCase() === key || r.projectReference.name?.toLowerCase() === key,
  );
  return ref ? { id: ref.projectReference.id, name: ref.projectReference.name ?? project } : { name: project };
}

export const targetOf = (endpoint: ServiceEndpoint, project: string): Target => ({ project: projectRefOf(endpoint, project), connection: { name: endpoint.name, id: endpoint.id } });

/** A project is seen when some read rule for this conversation covers it (whatever its connection globs). */
export function seesProject(policy: Policy, conversationId: string, project: ProjectRef): boolean {
  return policy.rules.some((r) => grantsRead(r) && matchesOperation(r.operations, READ) && matchesProject(r.projects, project)
    && listsConversation(r.conversations, conversationId));
}

/** Reads narrowed to what the conversation may see; writes are not a command's to make and pass through unchanged. */
export function visibleEndpoints(inner: ServiceEndpoints, policy: Policy, conversationId: string): ServiceEndpoints {
  const sees = (endpoint: ServiceEndpoint | null, project: string) => (endpoint && canSee(policy, conversationId, targetOf(endpoint, project)) ? endpoint : null);
  return {
    projects: async () => (await inner.projects()).filter((p: ProjectReference) => seesProject(policy, conversationId, { id: p.id, name: p.name ?? p.id })),
    list: async (project, filter) => (await inner.list(project, filter)).filter((e) => sees(e, project) !== null),
    get: async (project, id) => sees(await inner.get(project, id), project),
    getByName: async (project, name, options) => sees(await inner.getByName(project, name, options), project),
    executionHistory: (project, id, options) => inner.executionHistory(project, id, options),
    create: (endpoint) => inner.create(endpoint),
    update: (endpoint, operation) => inner.update(endpoint, operation),
    delete: (id, projectIds, options) => inner.delete(id, projectIds, options),
    share: (id, references) => inner.share(id, references),
  };
}

/**
 * Audit events about connections this conversation cannot see are left out (an event keeps only the connections it
 * may show); an event about no connection (a refusal before any plan) is shown only where it happened.
 */
export function visibleEvent(policy: Policy, conversationId: string, event: AuditEvent): AuditEvent | undefined {
  if (event.connections.length === 0) return event.conversation.id === conversationId ? event : undefined;
  const seen = event.connections.filter((c) => canSee(policy, conversationId, { project: { name: c.project }, connection: { name: c.name, id: c.endpointId } }));
  if (seen.length === 0) return undefined;
  return seen.length === event.connections.length ? event : { ...event, connections: seen };
}

export function visibleAudit(inner: AuditLog, policy: Policy, conversationId: string): AuditLog {
  return {
    append: (event) => inner.append(event),
    countRefusal: (refusal) => inner.countRefusal(refusal),
    // The narrowing is a `select`, applied before `last` counts: hidden events must not eat the page, and a
    // `last N` read still stops once it holds N visible events.
    query: (query?: AuditQuery) => {
      const asked = query?.select ?? ((e: AuditEvent) => e);
      return inner.query({ ...query, select: (e) => {
        const event = asked(e);
        return event && visibleEvent(policy, conversationId, event);
      } });
    },
  };
}
