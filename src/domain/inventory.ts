/**
 * What the bot last read of a connection, per project it is in: enough to answer `list` across projects and to
 * find which project a name is in, and nothing secret (no authorization parameter but the federation issuer, a
 * public URL `show` prints too). Plans never use it: they are built from live reads of their targets.
 * Pure: an endpoint read in, an entry out; the store and the in-memory index live in src/inventory.
 */
import type { OutsideChange } from './connection-change';
import { authScheme, connectionState, creationMode, federationIssuer, type ConnectionState, type ServiceEndpoint } from './endpoint';
import { failureFix, type FailureFix } from './failure';

/**
 * One connection as read in one project. Every field is always present (undefined when unknown), so every entry
 * has the same shape and V8 stores them compactly; strings repeated across entries are shared (src/inventory).
 */
export interface InventoryEntry {
  readonly id: string;
  /** Its name in this project (a shared connection may have another name elsewhere). */
  readonly name: string;
  readonly type: string;
  readonly scheme: string;
  readonly state: ConnectionState;
  /** isReady as read: `failed` needs both (endpoint.ts isFailed). */
  readonly ready: boolean;
  readonly disabled: boolean;
  readonly creationMode: 'Automatic' | 'Manual' | undefined;
  readonly issuer: string | undefined;
  /** Every project the connection is in, by id, this one included. */
  readonly projectIds: readonly string[];
  /** When it was read, in ms. */
  readonly readAt: number;
  readonly change: OutsideChange | undefined;
  /** A failed connection's reason and the fix that fits (failure.ts): `list failed` draws them from here too. */
  readonly failure?: FailureFix | undefined;
}

/** Longest name, type or issuer kept: the service's own limits are shorter; a longer value is cut, never stored whole. */
export const MAX_FIELD_LENGTH = 512;

const bounded = (value: string): string => (value.length > MAX_FIELD_LENGTH ? value.slice(0, MAX_FIELD_LENGTH) : value);

/** The project's name for the connection, else the connection's own. */
function nameIn(endpoint: ServiceEndpoint, projectId: string): string {
  const key = projectId.toLowerCase();
  return endpoint.serviceEndpointProjectReferences?.find((r) => r.projectReference.id.toLowerCase() === key)?.name ?? endpoint.name;
}

function failureOf(endpoint: ServiceEndpoint, projectId: string): FailureFix | undefined {
  const found = failureFix(endpoint, projectId);
  return found && { reason: bounded(found.reason), fix: found.fix };
}

/** The entry for `endpoint` as listed in `projectId` at `readAt` (ms). */
export function entryOf(endpoint: ServiceEndpoint, projectId: string, readAt: number): InventoryEntry {
  const ids = (endpoint.serviceEndpointProjectReferences ?? []).map((r) => r.projectReference.id);
  const issuer = federationIssuer(endpoint);
  return {
    id: endpoint.id,
    name: bounded(nameIn(endpoint, projectId)),
    type: bounded(endpoint.type),
    scheme: bounded(authScheme(endpoint)),
    state: connectionState(endpoint),
    ready: endpoint.isReady !== false,
    disabled: endpoint.isDisabled === true,
    creationMode: creationMode(endpoint),
    issuer: issuer ? bounded(issuer) : undefined,
    projectIds: ids.some((id) => id.toLowerCase() === projectId.toLowerCase()) ? ids : [projectId, ...ids],
    readAt,
    change: undefined,
    failure: failureOf(endpoint, projectId),
  };
}

/** Failed as `list failed` means it (endpoint.ts isFailed): not ready and the last operation failed. */
export function entryIsFailed(entry: InventoryEntry): boolean {
  return !entry.ready && entry.state === 'Failed';
}

export function entryIsShared(entry: InventoryEntry): boolean {
  return entry.projectIds.length > 1;
}
