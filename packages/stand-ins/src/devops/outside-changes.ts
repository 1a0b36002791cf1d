/**
 * Changes made outside any client under test, as they reach the service: a person editing a connection in the
 * portal (the connection changes in place and the audit log names the person, with a browser's user agent), or
 * another app calling the API. For tests, seeds and benches ("Ivo disabled it in the portal an hour ago").
 */
import type { ServiceEndpoint } from '../wire/service-endpoint';
import type { AuditActor } from './audit-trail';
import type { EmulatorState } from './state';

export { appActor, personActor, type OutsidePerson } from './audit-actors';

/**
 * As `actor` would in a project's settings page: the patch applied in place (a new name is that project's name for
 * it), modifiedBy stamped, and the change written to the audit log as the service writes it.
 */
export function changeAsOutsider(state: EmulatorState, endpointId: string, patch: Partial<ServiceEndpoint>, actor: AuditActor, projectId?: string): ServiceEndpoint {
  const before = state.endpoint(endpointId);
  if (!before) throw new Error(`No endpoint ${endpointId} in the emulator`);
  const project = projectId ?? before.serviceEndpointProjectReferences?.[0]?.projectReference.id;
  const refs = (before.serviceEndpointProjectReferences ?? []).map((r) =>
    (patch.name && r.projectReference.id.toLowerCase() === project?.toLowerCase() ? { ...r, name: patch.name } : r));
  const after: ServiceEndpoint = {
    ...before, ...patch, serviceEndpointProjectReferences: refs,
    modifiedBy: { id: actor.userId, displayName: actor.displayName, uniqueName: actor.upn ?? '' }, modificationDate: state.now().toISOString(),
  };
  state.put(after);
  state.endpointAudit.updated(actor, before, after, project);
  return after;
}
