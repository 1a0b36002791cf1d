/**
 * What the service writes to the audit log when a connection changes (auditing-events reference; the server's
 * choice between the project and the organization variant follows how many projects the change touched): created,
 * modified (a project-scoped PUT: ForProjectModified; an organization-level one: Modified), enabled or disabled
 * (PropertyChanged, IsDisabled), deleted or unshared, shared; and the 100-day automatic disable, by Azure DevOps
 * itself at the moment the connection became due. Data carries ConnectionId, ConnectionName, ConnectionType.
 */
import type { ServiceEndpoint } from '../wire/service-endpoint';
import { detailsOf } from './audit-actions';
import { AZURE_DEVOPS_SERVICE, type AuditActor, type AuditTrail } from './audit-trail';

type ProjectLookup = (idOrName: string) => { id: string; name: string } | undefined;

const refsOf = (e: ServiceEndpoint | undefined) => e?.serviceEndpointProjectReferences ?? [];
const ids = (e: ServiceEndpoint | undefined) => new Set(refsOf(e).map((r) => r.projectReference.id.toLowerCase()));

export class EndpointAudit {
  constructor(private readonly trail: AuditTrail, private readonly project: ProjectLookup) {}

  created(actor: AuditActor, created: ServiceEndpoint): void {
    const refs = refsOf(created).map((r) => r.projectReference.id);
    if (refs.length === 1) this.write(actor, 'Library.ServiceConnectionCreated', created, { projectId: refs[0] });
    else this.write(actor, 'Library.ServiceConnectionCreatedForMultipleProjects', created, { extra: { ProjectIds: refs } });
  }

  /** A PUT: enabling or disabling is a property change; anything else a modification, per project when the URL named one. */
  updated(actor: AuditActor, before: ServiceEndpoint, after: ServiceEndpoint, projectId: string | undefined): void {
    if ((before.isDisabled === true) !== (after.isDisabled === true)) {
      this.write(actor, 'Library.ServiceConnectionPropertyChanged', after, { extra: { IsDisabled: after.isDisabled === true } });
    } else if (projectId) this.write(actor, 'Library.ServiceConnectionForProjectModified', after, { projectId });
    else this.write(actor, 'Library.ServiceConnectionModified', after, {});
  }

  /** A DELETE from some projects (unshare) or the last one. */
  deleted(actor: AuditActor, before: ServiceEndpoint, after: ServiceEndpoint | undefined): void {
    const remaining = ids(after);
    const removed = refsOf(before).map((r) => r.projectReference.id).filter((id) => !remaining.has(id.toLowerCase()));
    if (removed.length === 1) this.write(actor, 'Library.ServiceConnectionDeleted', before, { projectId: removed[0] });
    else if (removed.length > 1) this.write(actor, 'Library.ServiceConnectionDeletedFromMultipleProjects', before, { extra: { ProjectIds: removed } });
  }

  shared(actor: AuditActor, before: ServiceEndpoint, after: ServiceEndpoint): void {
    const had = ids(before);
    const added = refsOf(after).map((r) => r.projectReference.id).filter((id) => !had.has(id.toLowerCase()));
    if (added.length === 1) this.write(actor, 'Library.ServiceConnectionShared', after, { projectId: added[0] });
    else if (added.length > 1) this.write(actor, 'Library.ServiceConnectionSharedWithMultipleProjects', after, { extra: { ProjectIds: added } });
  }

  /** The service's own sweep disabled it: logged at the moment it became due, not when someone next looked. */
  autoDisabled(endpoint: ServiceEndpoint, at: Date): void {
    this.write(AZURE_DEVOPS_SERVICE, 'Library.ServiceConnectionPropertyChanged', endpoint, { extra: { IsDisabled: true }, at });
  }

  private write(actor: AuditActor, actionId: string, endpoint: ServiceEndpoint, how: { projectId?: string | undefined; extra?: Record<string, unknown>; at?: Date }): void {
    const project = how.projectId ? this.project(how.projectId) : undefined;
    const data = {
      ConnectionId: endpoint.id, ConnectionName: endpoint.name, ConnectionType: endpoint.type,
      ...(project ? { ProjectId: project.id, ProjectName: project.name } : {}), ...how.extra,
    };
    this.trail.record({
      actionId, actor, data, details: detailsOf(actionId, data),
      ...(project ? { projectId: project.id, projectName: project.name } : {}), ...(how.at ? { at: how.at } : {}),
    });
  }
}
