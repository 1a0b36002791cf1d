/**
 * The audit action catalogue (`GET _apis/audit/actions[?areaName=]`): the service-connection actions of the
 * auditing-events reference (ADO docs audit-events.md, 2024-11, with Library.ServiceConnectionPropertyChanged for
 * the 100-day disable), a few neighbours of the same area, and the actions the log's own sample shows. Each
 * action's detail text is the reference's template.
 */
export interface AuditAction {
  actionId: string;
  area: string;
  category: 'create' | 'modify' | 'remove' | 'access' | 'execute';
  /** The reference's message, `{Name}` filled from the entry's data. */
  template: string;
}

export const AUDIT_ACTIONS: readonly AuditAction[] = [
  { actionId: 'Library.ServiceConnectionCreated', area: 'Library', category: 'create', template: 'Created Service Connection "{ConnectionName}" of type {ConnectionType}.' },
  { actionId: 'Library.ServiceConnectionCreatedForMultipleProjects', area: 'Library', category: 'create', template: 'Created Service Connection "{ConnectionName}" of type {ConnectionType} for multiple projects.' },
  { actionId: 'Library.ServiceConnectionDeleted', area: 'Library', category: 'remove', template: 'Deleted Service Connection "{ConnectionName}" of type {ConnectionType} from project {ProjectName}.' },
  { actionId: 'Library.ServiceConnectionDeletedFromMultipleProjects', area: 'Library', category: 'remove', template: 'Deleted Service Connection "{ConnectionName}" of type {ConnectionType} from multiple projects.' },
  { actionId: 'Library.ServiceConnectionExecuted', area: 'Library', category: 'execute', template: 'Service Connection "{ConnectionName}" of type {ConnectionType} executed in project {ProjectName}.' },
  { actionId: 'Library.ServiceConnectionForProjectModified', area: 'Library', category: 'modify', template: 'Modified Service Connection "{ConnectionName}" in project {ProjectName}.' },
  { actionId: 'Library.ServiceConnectionModified', area: 'Library', category: 'modify', template: 'Modified Service Connection "{ConnectionName}" of type {ConnectionType}.' },
  { actionId: 'Library.ServiceConnectionPropertyChanged', area: 'Library', category: 'modify', template: 'One or more properties of Service Connection "{ConnectionName}" of type {ConnectionType} were changed: IsDisabled = {IsDisabled}.' },
  { actionId: 'Library.ServiceConnectionShared', area: 'Library', category: 'modify', template: 'Shared Service Connection "{ConnectionName}" of type {ConnectionType} with project {ProjectName}.' },
  { actionId: 'Library.ServiceConnectionSharedWithMultipleProjects', area: 'Library', category: 'modify', template: 'Shared Service Connection "{ConnectionName}" of type {ConnectionType} with multiple projects.' },
  { actionId: 'Library.VariableGroupCreated', area: 'Library', category: 'create', template: 'Created Variable Group "{VariableGroupName}".' },
  { actionId: 'Library.VariableGroupModified', area: 'Library', category: 'modify', template: 'Modified Variable Group "{VariableGroupName}".' },
  { actionId: 'AuditLog.AccessLog', area: 'Auditing', category: 'access', template: 'Accessed the audit log' },
  { actionId: 'Project.CreateCompleted', area: 'Project', category: 'create', template: '{ProjectName} project was created successfully' },
];

export function auditAction(actionId: string): AuditAction {
  return AUDIT_ACTIONS.find((a) => a.actionId.toLowerCase() === actionId.toLowerCase()) ?? { actionId, area: actionId.split('.')[0] ?? 'Unknown', category: 'modify', template: actionId };
}

/** The reference's message with the entry's data filled in. */
export function detailsOf(actionId: string, data: Record<string, unknown>): string {
  return auditAction(actionId).template.replace(/\{(\w+)\}/g, (_all, name: string) => String(data[name] ?? ''));
}
