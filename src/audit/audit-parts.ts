/**
 * Audit events of large plans in parts. A `requested` event lists every connection of its plan (2,000 long
 * Unicode names are more than one Azure Table entity holds), so its connection list is cut into parts of at
 * most PART_BUDGET characters: the first stays in the event, the rest go to `audit-parts/<event key>/<n>`, written
 * before the event itself so a reader never sees an event without its parts. Part keys start with the event's
 * key, hence with its time: retention removes them by key like the events.
 */
import type { AuditConnection, AuditEvent } from '../domain/audit';
import { packBySize } from '../store/record-parts';
import type { Store } from '../store/store.port';

export const AUDIT_PARTS_COLLECTION = 'audit-parts';

/** The event as stored: the first part of its connections, and how many parts follow. */
export type StoredAuditEvent = AuditEvent & { connectionParts?: number };

const partKey = (eventKey: string, index: number): string => `${eventKey}/${String(index).padStart(5, '0')}`;

export function splitConnections(connections: readonly AuditConnection[]): AuditConnection[][] {
  const parts = packBySize(connections, (connection) => JSON.stringify(connection).length + 1);
  return parts.length > 0 ? parts : [[]];
}

/** Writes the parts after the first (a part left by an append that died is overwritten) and returns the head. */
export async function writeParts(store: Store, eventKey: string, event: AuditEvent): Promise<StoredAuditEvent> {
  const [first = [], ...rest] = splitConnections(event.connections);
  if (rest.length === 0) return event;
  for (const [index, connections] of rest.entries()) {
    const key = partKey(eventKey, index + 1);
    const left = await store.get<AuditConnection[]>(AUDIT_PARTS_COLLECTION, key);
    await store.put(AUDIT_PARTS_COLLECTION, key, connections, left?.version);
  }
  return { ...event, connections: first, connectionParts: rest.length };
}

/** The event whole again, without the bookkeeping field. */
export async function readParts(store: Store, eventKey: string, stored: StoredAuditEvent): Promise<AuditEvent> {
  const { connectionParts = 0, ...event } = stored;
  if (connectionParts === 0) return event;
  const rest = await Promise.all(Array.from({ length: connectionParts }, (_, i) => store.get<AuditConnection[]>(AUDIT_PARTS_COLLECTION, partKey(eventKey, i + 1))));
  return { ...event, connections: [...event.connections, ...rest.flatMap((part) => part?.value ?? [])] };
}
