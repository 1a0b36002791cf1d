/**
 * The emulator's memory: endpoints with their secrets (the internal view), projects, execution history and the
 * type catalogue. Rules live in endpoint-rules.ts; this class only stores, and lets tests read and poke state.
 */
import type { Clock } from '../clock';
import type { EndpointAuthorization, ServiceEndpoint } from '../wire/service-endpoint';
import type { Seed, SeedExecutionRecord, SeedProject } from '../seed';
import { auditAction } from './audit-actions';
import { applyAuditSeed } from './audit-seed';
import { AuditTrail } from './audit-trail';
import { EndpointAudit } from './endpoint-audit';
import { Pipelines } from './pipelines';
import { RoleAssignments } from './role-store';
import { BUILT_IN_TYPES } from './types-catalogue';
import { lastUsedAt, DISABLE_UNUSED_AFTER_MS } from './usage';

export type Project = SeedProject;
export type ExecutionRecordJson = SeedExecutionRecord;

export interface StatusUpdate {
  isReady: boolean;
  state: string;
  statusMessage?: string;
}

/**
 * What the service remembers but never shows: the pre-conversion credentials, and a pending asynchronous operation
 * (when it settles, and the failure message when it is scripted to fail).
 */
export interface EndpointMemory {
  revertAuthorization?: EndpointAuthorization;
  readyAt?: number;
  deleteAt?: number;
  failure?: string;
  /** Where the 100 unused days start at the latest: a re-enable, or the emulator's start (see usage.ts). */
  usedFloor?: number;
}

const clone = <T>(value: T): T => structuredClone(value);

/** The end of an asynchronous operation: Ready, or Failed with the scripted message. */
function settle(endpoint: ServiceEndpoint, failure: string | undefined): void {
  endpoint.isReady = failure === undefined;
  endpoint.operationStatus = { state: failure === undefined ? 'Ready' : 'Failed', statusMessage: failure ?? '' };
}

export class EmulatorState {
  private readonly store = new Map<string, ServiceEndpoint>();
  private readonly memory = new Map<string, EndpointMemory>();
  private readonly history = new Map<string, ExecutionRecordJson[]>();
  /** projectKeysOf's answers, with the references they were worked out from. */
  private readonly projectKeys = new Map<string, { refs: unknown; length: number; keys: string }>();
  /** autoDisableAt's answers, with what they were worked out from. */
  private readonly dueAt = new Map<string, { creation: unknown; history: ExecutionRecordJson[] | undefined; floor: number | undefined; at: number | undefined }>();
  private readonly projectList: Project[];
  readonly endpointTypes: ReadonlyArray<Record<string, unknown>>;
  /** Pipeline definitions and who may use which resource (pipelines.ts). */
  readonly pipelines = new Pipelines();
  /** Per-connection security roles (role-assignments.ts). */
  readonly roles: RoleAssignments;
  /** The organization's audit log (audit-trail.ts) and what connection changes write to it (endpoint-audit.ts). */
  readonly audit: AuditTrail;
  readonly endpointAudit: EndpointAudit;

  constructor(seed: Seed, private readonly clock: Clock, organizationId = '00000000-0000-0000-0000-000000000000') {
    this.projectList = seed.projects.map((p) => ({ ...p }));
    this.audit = new AuditTrail(clock, { id: organizationId, name: seed.organization }, auditAction);
    this.endpointAudit = new EndpointAudit(this.audit, (idOrName) => this.project(idOrName));
    for (const endpoint of seed.endpoints) this.put(endpoint);
    for (const [id, records] of Object.entries(seed.executionHistory)) this.history.set(id.toLowerCase(), clone(records));
    this.endpointTypes = clone(seed.endpointTypes ?? BUILT_IN_TYPES);
    this.roles = new RoleAssignments(seed.identities ?? [], seed.organizationId ?? seed.organization);
    seedPipelines(this, seed, this.clock.now());
    this.startUsageClocks();
    if (seed.auditLog) applyAuditSeed(this.audit, seed.auditLog, { endpoint: (id) => this.store.get(id.toLowerCase()), project: (p) => this.project(p) });
  }

  /** The emulator's time (its clock), for changes made from outside a request. */
  now(): Date {
    return this.clock.now();
  }

  /** Enabled in the seed though unused for 100 days: not swept yet, so the count starts now (usage.ts). */
  private startUsageClocks(): void {
    const now = this.clock.now().getTime();
    for (const [key, endpoint] of this.store) {
      if (endpoint.isDisabled !== true && now - lastUsedAt(endpoint, this.history.get(key) ?? [], undefined) >= DISABLE_UNUSED_AFTER_MS) {
        this.remember(key, { usedFloor: now });
      }
    }
  }

  /** Every endpoint, secrets included (deep copies: editing them changes nothing). */
  endpoints(): ServiceEndpoint[] {
    // A delete the service finished since (deletionMs) is gone: live() answers nothing for it.
    return [...this.store.keys()].flatMap((id) => {
      const found = this.live(id);
      return found ? [clone(found)] : [];
    });
  }

  endpoint(id: string): ServiceEndpoint | undefined {
    const found = this.live(id);
    return found ? clone(found) : undefined;
  }

  /** Insert or replace the raw endpoint, bypassing every rule (test set-up). */
  put(endpoint: ServiceEndpoint): void {
    this.store.set(endpoint.id.toLowerCase(), clone(endpoint));
  }

  setStatus(id: string, status: StatusUpdate): void {
    const endpoint = this.live(id);
    if (!endpoint) throw new Error(`No endpoint ${id} in the emulator`);
    endpoint.isReady = status.isReady;
    endpoint.operationStatus = { state: status.state, statusMessage: status.statusMessage ?? '' };
    this.memory.delete(id.toLowerCase());
  }

  remove(id: string): boolean {
    this.memory.delete(id.toLowerCase());
    this.history.delete(id.toLowerCase());
    this.dueAt.delete(id.toLowerCase());
    this.projectKeys.delete(id.toLowerCase());
    this.pipelines.forget('endpoint', id);
    return this.store.delete(id.toLowerCase());
  }

  projects(): Project[] {
    return this.projectList.map((p) => ({ ...p }));
  }

  project(idOrName: string): Project | undefined {
    const key = idOrName.toLowerCase();
    return this.projectList.find((p) => p.id.toLowerCase() === key || p.name.toLowerCase() === key);
  }

  executionHistory(endpointId: string): ExecutionRecordJson[] {
    return clone(this.history.get(endpointId.toLowerCase()) ?? []);
  }

  addExecutionRecords(endpointId: string, records: ExecutionRecordJson[]): void {
    const key = endpointId.toLowerCase();
    this.history.set(key, [...(this.history.get(key) ?? []), ...clone(records)]);
  }

  /**
   * The stored object itself, for the rules engine. Pending operations settle first (time is the clock's, or `now`
   * when the caller reads many at one moment).
   */
  live(id: string, now = this.clock.now().getTime()): ServiceEndpoint | undefined {
    const key = id.toLowerCase();
    const endpoint = this.store.get(key);
    if (!endpoint) return undefined;
    const { readyAt, deleteAt, failure, usedFloor } = this.memory.get(key) ?? {};
    const dueAt = endpoint.isDisabled === true ? undefined : this.autoDisableAt(key, endpoint, usedFloor);
    if (dueAt !== undefined && now >= dueAt) {
      endpoint.isDisabled = true;
      this.endpointAudit.autoDisabled(endpoint, new Date(dueAt));
    }
    if (readyAt !== undefined && now >= readyAt) {
      settle(endpoint, failure);
      this.remember(key, { readyAt: undefined, failure: undefined });
    }
    if (deleteAt !== undefined && now >= deleteAt) {
      if (!failure) return void this.remove(key);
      settle(endpoint, failure);
      this.remember(key, { deleteAt: undefined, failure: undefined });
    }
    return endpoint;
  }

  liveAll(): ServiceEndpoint[] {
    const now = this.clock.now().getTime();
    return [...this.store.keys()].map((id) => this.live(id, now)).filter((e): e is ServiceEndpoint => e !== undefined);
  }

  /**
   * The connections that reference the project (by id), settled as live() does. Only those are settled: a list of one
   * project costs what the project holds, not the organization (the audit log settles everything before it answers,
   * so a sweep is logged whether or not its project was listed).
   */
  liveIn(projectId: string): ServiceEndpoint[] {
    const id = projectId.toLowerCase();
    const now = this.clock.now().getTime();
    const found: ServiceEndpoint[] = [];
    const wanted = `|${id}|`;
    for (const [key, raw] of this.store) {
      if (!this.projectKeysOf(key, raw).includes(wanted)) continue;
      const endpoint = this.live(key, now);
      if (endpoint) found.push(endpoint);
    }
    return found;
  }

  /** `|id|id|` of the projects the connection references, lower case; worked out again when its references change. */
  private projectKeysOf(key: string, raw: ServiceEndpoint): string {
    const refs = raw.serviceEndpointProjectReferences;
    const known = this.projectKeys.get(key);
    if (known && known.refs === refs && known.length === (refs?.length ?? 0)) return known.keys;
    const keys = `|${(refs ?? []).map((r) => r.projectReference.id.toLowerCase()).join('|')}|`;
    this.projectKeys.set(key, { refs, length: refs?.length ?? 0, keys });
    return keys;
  }

  /**
   * When the service's sweep disables the connection (usage.ts), undefined when never. Kept per connection until its
   * creation, runs or floor change: liveAll settles every connection (the audit log's read, a name clash check), and
   * at 9,000 connections working this out afresh each time cost more than the emulator's latency (bench org-scale).
   */
  private autoDisableAt(key: string, endpoint: ServiceEndpoint, usedFloor: number | undefined): number | undefined {
    const history = this.history.get(key);
    const known = this.dueAt.get(key);
    if (known && known.creation === endpoint.creationDate && known.history === history && known.floor === usedFloor) return known.at;
    const last = lastUsedAt(endpoint, history ?? [], usedFloor);
    const at = Number.isFinite(last) ? last + DISABLE_UNUSED_AFTER_MS : undefined;
    this.dueAt.set(key, { creation: endpoint.creationDate, history, floor: usedFloor, at });
    return at;
  }

  recall(id: string): EndpointMemory {
    return this.memory.get(id.toLowerCase()) ?? {};
  }

  remember(id: string, update: Partial<EndpointMemory>): void {
    const key = id.toLowerCase();
    const next = { ...this.recall(key), ...update };
    for (const k of Object.keys(next) as (keyof EndpointMemory)[]) if (next[k] === undefined) delete next[k];
    this.memory.set(key, next);
  }
}

/** The seed's pipelines and grants, plus every definition an execution record names (in the connection's project). */
function seedPipelines(state: EmulatorState, seed: Seed, now: Date): void {
  const projectId = (idOrName: string): string => state.project(idOrName)?.id ?? idOrName;
  for (const p of seed.pipelines ?? []) state.pipelines.addDefinition({ id: p.id, name: p.name, projectId: projectId(p.project), folder: p.folder });
  for (const [endpointId, records] of Object.entries(seed.executionHistory)) {
    const home = state.endpoint(endpointId)?.serviceEndpointProjectReferences?.[0]?.projectReference.id;
    for (const { data } of records) {
      const def = data.definition as { id?: number; name?: string } | undefined;
      if (!home || typeof def?.id !== 'number' || state.pipelines.definitions(home).some((d) => d.id === def.id)) continue;
      state.pipelines.addDefinition({ id: def.id, name: def.name ?? `pipeline-${def.id}`, projectId: home, folder: '\\' });
    }
  }
  const at = now.toISOString();
  for (const g of seed.pipelinePermissions ?? []) {
    const grant = { authorized: true, authorizedBy: { displayName: 'Seed' }, authorizedOn: at };
    state.pipelines.setPermissions(projectId(g.project), g.resourceType, g.resourceId, {
      ...(g.allPipelines ? { allPipelines: grant } : {}), pipelines: new Map(g.pipelines.map((id) => [id, grant])),
    });
  }
  for (const r of seed.roleAssignments ?? []) {
    state.roles.set(r.endpointId === undefined ? projectId(r.project) : `${projectId(r.project)}_${r.endpointId}`, r.identityId, r.role);
  }
}
