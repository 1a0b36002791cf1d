/**
 * The ConnectionChangeLog port over the Azure DevOps audit log (Audit 7.1-preview.1): `GET {audit}/_apis/audit/actions`
 * once, to learn which actions are service-connection changes (never a hard-coded list: the service adds some,
 * e.g. the 100-day auto-disable), then `GET {audit}/_apis/audit/auditlog?startTime&endTime&batchSize
 * &continuationToken` page by page. Calls go through the service-endpoints adapter's `rest` (its token, retries,
 * rate-limit gate and lane: pass the background lane). Documented [doc: vsts-rest-api-specs audit 7.1]: the paths
 * and query parameters, the audit resource area id, AuditLogQueryResult, DecoratedAuditLogEntry and AuditActionInfo
 * fields. Everything marked [infer] is read off samples and third-party code, unverified against a live service;
 * it is all in this file.
 */
import { systemClock, type Clock } from '../domain/time';
import type { ChangeActor, ConnectionChange, ConnectionChangeAction } from '../domain/connection-change';
import { isAppError } from '../domain/errors';
import type { ChangeLogRead, ConnectionChangeLog } from './connection-change-log.port';

/** What the adapter needs of the service-endpoints adapter (AzureDevOpsServiceEndpoints satisfies it). */
export interface DevOpsGet {
  rest<T>(operation: string, method: 'GET', path: string): Promise<T | null>;
}

const API_VERSION = '7.1-preview.1';
/** [doc] x-ms-vss-resource-area-id of the Audit area. */
const AUDIT_AREA_ID = '94ff054d-5ee1-413d-9341-3f4a7827de2e';
/** [infer] The documented maximum is not published; 200 entries a page keeps one answer small. */
const DEFAULT_BATCH = 200;
const NO_ID = '00000000-0000-0000-0000-000000000000';
/** How long the discovered action list is trusted before it is read again (the service adds actions). */
const ACTIONS_TTL_MS = 24 * 3_600_000;

/** [doc] DecoratedAuditLogEntry, the fields read here. */
interface EntryJson {
  id?: string;
  timestamp?: string;
  actionId?: string;
  actorUserId?: string;
  actorClientId?: string;
  actorCUID?: string;
  actorDisplayName?: string;
  userAgent?: string;
  projectId?: string;
  projectName?: string;
  data?: Record<string, unknown> | null;
}

interface QueryResultJson {
  decoratedAuditLogEntries?: EntryJson[] | null;
  continuationToken?: string | null;
  hasMore?: boolean;
}

interface ActionJson {
  actionId?: string;
  area?: string;
  category?: string;
}

/** Who the bot is in the log: the client (app) id of its identity, and its user id when it has one. */
export interface AuditSelf {
  clientId?: string;
  userId?: string;
}

export interface AzureDevOpsAuditLogOptions {
  devops: DevOpsGet;
  self: AuditSelf;
  /** For the action list's lifetime; the system clock by default. */
  clock?: Clock;
  batchSize?: number;
}

const lower = (value: string | undefined) => (value ?? '').toLowerCase();
const isSet = (id: string | undefined) => Boolean(id) && lower(id) !== NO_ID;

/** [infer] The doc's sample wraps the result in `value`; the schema and PSDevOps read it bare. Accept both. */
function unwrap<T>(answer: unknown): T | undefined {
  if (!answer || typeof answer !== 'object') return undefined;
  const value = (answer as { value?: unknown }).value;
  return (value !== undefined && !Array.isArray(answer) ? value : answer) as T;
}

/** [infer] Service-connection actions are Library actions named `Library.ServiceConnection…`; uses (execute) are not changes. */
function isConnectionChange(action: ActionJson): boolean {
  const category = lower(action.category);
  return lower(action.actionId).startsWith('library.serviceconnection') && category !== 'execute' && category !== 'access';
}

/** [infer] Data keys: the message templates name {ConnectionName} {ConnectionType} {IsDisabled}; Sentinel reads ConnectionId. */
function dataString(data: EntryJson['data'], ...keys: string[]): string | undefined {
  for (const k of keys) {
    const found = Object.entries(data ?? {}).find(([name]) => lower(name) === lower(k))?.[1];
    if (typeof found === 'string' && found) return found;
    if (typeof found === 'boolean') return String(found);
  }
  return undefined;
}

/** [infer] From the action's name, then its catalogue category; IsDisabled says which way a property change went. */
function actionOf(actionId: string, category: string, data: EntryJson['data']): ConnectionChangeAction {
  const id = lower(actionId);
  if (id.includes('propertychanged')) {
    const disabled = lower(dataString(data, 'IsDisabled'));
    return disabled === 'true' ? 'disabled' : disabled === 'false' ? 'enabled' : 'property-changed';
  }
  if (id.includes('deleted') || category === 'remove') return 'deleted';
  if (id.includes('created') || category === 'create') return 'created';
  if (id.includes('shared')) return 'shared';
  return 'modified';
}

/**
 * [doc: Azure Monitor AzureDevOpsAuditing] ActorClientId is set when a service principal or managed identity acted,
 * ActorCUID when a user did; [infer] neither (ActorUserId an Azure DevOps service identity, "Azure DevOps Service" in
 * the doc's sample) is Azure DevOps itself.
 */
function actorOf(entry: EntryJson, self: AuditSelf): ChangeActor {
  const name = entry.actorDisplayName || undefined;
  if ((self.clientId && lower(entry.actorClientId) === lower(self.clientId)) || (self.userId && lower(entry.actorUserId) === lower(self.userId))) return { kind: 'bot', name };
  if (isSet(entry.actorClientId)) return { kind: 'app', name };
  if (isSet(entry.actorCUID)) return { kind: 'person', name };
  return { kind: 'service', name: undefined };
}

export class AzureDevOpsAuditLog implements ConnectionChangeLog {
  private area: Promise<string | null> | undefined;
  private actions: { at: number; categories: Promise<Map<string, string>> } | undefined;

  constructor(private readonly o: AzureDevOpsAuditLogOptions) {}

  async changesBetween(since: Date, until: Date, options: { maxPages?: number } = {}): Promise<ChangeLogRead> {
    try {
      const base = await this.base();
      if (base === null) return { kind: 'unavailable', reason: 'not-found' };
      const categories = await this.categories(base);
      return await this.read(base, categories, since, until, Math.max(1, options.maxPages ?? 20));
    } catch (error) {
      if (isAppError(error) && (error.code === 'DEVOPS.FORBIDDEN' || error.code === 'DEVOPS.UNAUTHORIZED')) return { kind: 'unavailable', reason: 'forbidden' };
      throw error;
    }
  }

  private async read(base: string, categories: Map<string, string>, since: Date, until: Date, maxPages: number): Promise<ChangeLogRead> {
    const changes: ConnectionChange[] = [];
    let entries = 0;
    let token: string | undefined;
    for (let page = 0; page < maxPages; page += 1) {
      const answer = unwrap<QueryResultJson>(await this.o.devops.rest<unknown>('reading the audit log', 'GET', this.queryUrl(base, since, until, token)));
      if (answer === undefined) return { kind: 'unavailable', reason: 'not-found' };
      const found = answer.decoratedAuditLogEntries ?? [];
      entries += found.length;
      for (const entry of found) {
        const category = categories.get(lower(entry.actionId));
        if (category !== undefined) changes.push(this.change(entry, category));
      }
      token = answer.continuationToken ?? undefined;
      // [infer] hasMore with the last entry's id as the token, as in the doc's sample.
      if (!answer.hasMore || !token) return { kind: 'read', changes: changes.sort(byTime), entries, complete: true, calls: page + 1 };
    }
    return { kind: 'read', changes: changes.sort(byTime), entries, complete: false, calls: maxPages };
  }

  private queryUrl(base: string, since: Date, until: Date, token: string | undefined): string {
    const query = new URLSearchParams({ startTime: since.toISOString(), endTime: until.toISOString(), batchSize: String(this.o.batchSize ?? DEFAULT_BATCH) });
    if (token) query.set('continuationToken', token);
    query.set('api-version', API_VERSION);
    return `${base}/_apis/audit/auditlog?${query.toString()}`;
  }

  private change(entry: EntryJson, category: string): ConnectionChange {
    const actor = actorOf(entry, this.o.self);
    return {
      entryId: entry.id ?? `${entry.timestamp ?? ''}/${entry.actionId ?? ''}`,
      at: entry.timestamp ?? new Date(0).toISOString(),
      actionId: entry.actionId ?? '',
      action: actionOf(entry.actionId ?? '', category, entry.data),
      connectionId: dataString(entry.data, 'ConnectionId', 'EndpointId', 'Id'),
      connectionName: dataString(entry.data, 'ConnectionName', 'Name'),
      projectId: entry.projectId || dataString(entry.data, 'ProjectId'),
      projectName: entry.projectName || dataString(entry.data, 'ProjectName'),
      actor,
      // [infer] A person in a browser: the portal.
      portal: actor.kind === 'person' && /mozilla\//i.test(entry.userAgent ?? ''),
    };
  }

  /**
   * [infer] The audit service's URL, from the organization's resource areas (the audit area's locationUrl, e.g.
   * https://auditservice.dev.azure.com/{org}/); null when the organization has no such area.
   */
  private base(): Promise<string | null> {
    this.area ??= this.o.devops.rest<{ locationUrl?: string }>('discovering the audit service', 'GET', `_apis/resourceAreas/${AUDIT_AREA_ID}?api-version=7.1`)
      .then((area) => (area?.locationUrl ? area.locationUrl.replace(/\/+$/, '') : null))
      .catch((error: unknown) => {
        this.area = undefined;
        throw error;
      });
    return this.area;
  }

  /** Service-connection change actions (lower-cased id → category), read again once a day. */
  private categories(base: string): Promise<Map<string, string>> {
    const now = (this.o.clock ?? systemClock).now().getTime();
    if (this.actions && now - this.actions.at < ACTIONS_TTL_MS) return this.actions.categories;
    const categories = this.o.devops.rest<unknown>('reading the audit actions', 'GET', `${base}/_apis/audit/actions?areaName=Library&api-version=${API_VERSION}`)
      .then((answer) => {
        // [infer] The spec says a bare array; its example wraps it as {count, value}.
        const list = Array.isArray(answer) ? answer as ActionJson[] : unwrap<ActionJson[]>(answer) ?? [];
        return new Map(list.filter(isConnectionChange).map((a) => [lower(a.actionId), lower(a.category)]));
      });
    this.actions = { at: now, categories };
    categories.catch(() => {
      if (this.actions?.categories === categories) this.actions = undefined;
    });
    return categories;
  }
}

const byTime = (a: ConnectionChange, b: ConnectionChange): number => (Date.parse(a.at) || 0) - (Date.parse(b.at) || 0) || a.entryId.localeCompare(b.entryId);
