/**
 * The organization's audit log, as the Audit 7.1-preview.1 reference documents it (vsts-rest-api-specs audit.json
 * and its "By date" example): DecoratedAuditLogEntry records, newest first, ids that sort that way (reverse ticks;
 * the continuation token is the last id returned), a 90-day retention, and the reads of the log itself recorded as
 * `AuditLog.AccessLog`, aggregated unless `skipAggregation`. Entries come from the emulator's own state changes
 * (endpoint-audit.ts), the automatic disable, and tests or seeds ("a person changed it in the portal").
 * Switches: `enabled` (the "Log Audit Events" policy; off records nothing) and `readable` (the caller's "View
 * audit log" permission; off answers 403).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';

export interface AuditActor {
  userId: string;
  /** A service principal or managed identity: its client id (then CUID is empty). */
  clientId?: string;
  /** A person: their consistently unique id. */
  cuid?: string;
  displayName: string;
  upn?: string;
  userAgent?: string;
  authenticationMechanism?: string;
}

/** The service itself (the doc's sample: actorUserId 00000002-…, "Azure DevOps Service", no CUID, no client id). */
export const AZURE_DEVOPS_SERVICE: AuditActor = { userId: '00000002-0000-8888-8000-000000000000', displayName: 'Azure DevOps Service', authenticationMechanism: '', userAgent: '' };

export interface AuditRecordInput {
  actionId: string;
  actor: AuditActor;
  data: Record<string, unknown>;
  details: string;
  projectId?: string;
  projectName?: string;
  /** When it happened; now by default. */
  at?: Date;
}

export interface AuditEntryJson {
  id: string;
  correlationId: string;
  activityId: string;
  actorCUID: string;
  actorUserId: string;
  actorClientId: string;
  actorUPN: string;
  authenticationMechanism: string;
  timestamp: string;
  scopeType: 'organization';
  scopeDisplayName: string;
  scopeId: string;
  projectId?: string;
  projectName?: string;
  ipAddress: string | null;
  userAgent: string;
  actionId: string;
  data: Record<string, unknown>;
  details: string;
  area: string;
  category: string;
  categoryDisplayName: string;
  actorDisplayName: string;
  actorImageUrl: string | null;
}

export interface AuditQuery {
  startTime?: Date;
  endTime?: Date;
  batchSize?: number;
  continuationToken?: string;
  skipAggregation?: boolean;
}

export interface AuditQueryResult {
  decoratedAuditLogEntries: AuditEntryJson[];
  continuationToken: string | null;
  hasMore: boolean;
}

/** What tests and the bench may turn: the switches, and entries of their own. */
export interface AuditController {
  enabled: boolean;
  readable: boolean;
  record(input: AuditRecordInput): AuditEntryJson;
  entries(): readonly AuditEntryJson[];
}

const RETENTION_MS = 90 * 86_400_000;
const DEFAULT_BATCH = 200;
/** .NET DateTime.MaxValue.Ticks, and the ticks at the Unix epoch. */
const MAX_TICKS = 3155378975999999999n;
const EPOCH_TICKS = 621355968000000000n;
const NONE = '00000000-0000-0000-0000-000000000000';
const HOUR_MS = 3_600_000;
const ACCESS_LOG = 'AuditLog.AccessLog';

/** Reverse ticks first, so ids sort newest first, as the service's do; `sub`: 100 ns steps within the millisecond. */
function entryId(at: Date, sub: number, actor: AuditActor): string {
  const ticks = BigInt(at.getTime()) * 10_000n + BigInt(sub % 10_000) + EPOCH_TICKS;
  return `${MAX_TICKS - ticks};${actor.userId};${randomUUID()}`;
}

export class AuditTrail implements AuditController {
  enabled = true;
  readable = true;
  private log: AuditEntryJson[] = [];
  /** Entries written in the same millisecond still sort in the order they happened (a manual clock stands still). */
  private sameMs = { at: Number.NaN, count: 0 };

  constructor(private readonly clock: Clock, private readonly scope: { id: string; name: string }, private readonly categoryOf: (actionId: string) => { area: string; category: string }) {}

  record(input: AuditRecordInput): AuditEntryJson {
    const at = input.at ?? this.clock.now();
    const { area, category } = this.categoryOf(input.actionId);
    this.sameMs = this.sameMs.at === at.getTime() ? { at: at.getTime(), count: this.sameMs.count + 1 } : { at: at.getTime(), count: 0 };
    const id = entryId(at, this.sameMs.count, input.actor);
    const correlation = randomUUID();
    const entry: AuditEntryJson = {
      id, correlationId: correlation, activityId: randomUUID(),
      actorCUID: input.actor.cuid ?? NONE, actorUserId: input.actor.userId, actorClientId: input.actor.clientId ?? NONE, actorUPN: input.actor.upn ?? '',
      authenticationMechanism: input.actor.authenticationMechanism ?? 'AAD_Cookie', timestamp: at.toISOString(),
      scopeType: 'organization', scopeDisplayName: `${this.scope.name} (Organization)`, scopeId: this.scope.id,
      ...(input.projectId ? { projectId: input.projectId, projectName: input.projectName ?? '' } : {}),
      ipAddress: null, userAgent: input.actor.userAgent ?? '', actionId: input.actionId, data: structuredClone(input.data), details: input.details,
      area, category, categoryDisplayName: category.charAt(0).toUpperCase() + category.slice(1), actorDisplayName: input.actor.displayName, actorImageUrl: null,
    };
    if (this.enabled) this.log.push(entry);
    return entry;
  }

  entries(): readonly AuditEntryJson[] {
    return this.log.map((e) => structuredClone(e));
  }

  /** One page, newest first; the read itself is then logged (access), as the service logs every query. */
  query(query: AuditQuery, reader: AuditActor): AuditQueryResult {
    const now = this.clock.now().getTime();
    this.log = this.log.filter((e) => Date.parse(e.timestamp) >= now - RETENTION_MS);
    const from = query.startTime?.getTime() ?? Number.NEGATIVE_INFINITY;
    const to = query.endTime?.getTime() ?? now;
    const inWindow = this.log.filter((e) => Date.parse(e.timestamp) >= from && Date.parse(e.timestamp) <= to).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const ordered = query.skipAggregation ? inWindow : aggregateAccess(inWindow);
    const after = query.continuationToken ? ordered.filter((e) => e.id > (query.continuationToken as string)) : ordered;
    const page = after.slice(0, Math.max(1, query.batchSize ?? DEFAULT_BATCH));
    const last = page.at(-1);
    if (!query.continuationToken) this.record({ actionId: ACCESS_LOG, actor: reader, data: { Filter: { StartTime: query.startTime?.toISOString() ?? null, EndTime: query.endTime?.toISOString() ?? null, BatchSize: query.batchSize ?? null } }, details: 'Accessed the audit log' });
    return { decoratedAuditLogEntries: page.map((e) => structuredClone(e)), continuationToken: last?.id ?? null, hasMore: after.length > page.length };
  }
}

/**
 * The documented aggregation of `AuditLog.AccessLog`: one reader's reads within an hour become one entry (the
 * newest), counted in its details with their times in `EventSummary`, as the doc's example shows.
 */
function aggregateAccess(newestFirst: readonly AuditEntryJson[]): AuditEntryJson[] {
  const groups = new Map<string, AuditEntryJson[]>();
  const out: AuditEntryJson[] = [];
  for (const entry of newestFirst) {
    if (entry.actionId !== ACCESS_LOG) {
      out.push(entry);
      continue;
    }
    const key = `${entry.actorUserId}|${Math.floor(Date.parse(entry.timestamp) / HOUR_MS)}`;
    const group = groups.get(key);
    if (group) group.push(entry);
    else {
      groups.set(key, [entry]);
      out.push(entry);
    }
  }
  return out.map((entry) => {
    const group = entry.actionId === ACCESS_LOG ? groups.get(`${entry.actorUserId}|${Math.floor(Date.parse(entry.timestamp) / HOUR_MS)}`) : undefined;
    if (!group || group.length === 1) return entry;
    return { ...entry, details: `Accessed the audit log ${group.length} times`, data: { ...entry.data, EventSummary: group.map((e) => e.timestamp) } };
  });
}
