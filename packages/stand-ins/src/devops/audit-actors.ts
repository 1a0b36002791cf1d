/** Who acts from outside in the audit log: a person in the portal, or another app calling the API. */
import { createHash } from 'node:crypto';
import type { AuditActor } from './audit-trail';

export interface OutsidePerson {
  displayName: string;
  upn?: string;
}

const PORTAL_USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

/** A stable GUID-shaped id from a name, so the same person is the same actor in every run. */
function idOf(kind: string, name: string): string {
  const hex = createHash('sha256').update(`${kind}:${name.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A person signed in to the portal (a browser). */
export function personActor(person: OutsidePerson): AuditActor {
  return {
    userId: idOf('user', person.displayName), cuid: idOf('cuid', person.displayName), displayName: person.displayName,
    upn: person.upn ?? '', userAgent: PORTAL_USER_AGENT, authenticationMechanism: 'AAD_Cookie',
  };
}

/** A service principal (a pipeline, a script) calling the REST API. */
export function appActor(displayName: string, clientId = idOf('app', displayName)): AuditActor {
  return { userId: idOf('sp', clientId), clientId, displayName, userAgent: 'azure-devops-node-api', authenticationMechanism: 'AAD_Bearer' };
}

