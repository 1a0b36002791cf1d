/**
 * DevOpsRoles over Azure DevOps' own identity and security-roles APIs: "does this person hold role R on connection
 * C (or project P), and how". Every call whose exact wire is not settled by the official spec is in this file,
 * marked [infer] (docs/policy.md lists them):
 *   1. [doc] GET {org}/_apis/resourceAreas/8a3d49b8-… finds the identities host (vssps.dev.azure.com/{org}); the
 *      answer is used only if it is that host (or the organization's own, as the emulator answers).
 *   2. [doc] GET {vssps}/_apis/identities?searchFilter=General&filterValue=…&queryMembership=ExpandedUp finds the
 *      person. [infer] General matches a whole sign-in name or mail, not an object id, so sign-in names are tried
 *      first and the object id last; [infer] a hit counts only if its `objectidentifier` property (seen in the
 *      spec's example) is the person's Entra object id, so a wrong guess refuses, never allows someone else;
 *      [infer] `memberOf` then holds the descriptors of every group they are in, Azure DevOps and Entra groups,
 *      transitively (QueryMembership.ExpandedUp: "parents only"), as strings or {identityType, identifier}.
 *   3. [doc] GET {org}/_apis/securityroles/scopes/{scope}/roleassignments/resources/{resource}: the connection's
 *      roles, those inherited from the project included (`access: inherited`, doc), so a connection whose
 *      inheritance is turned off is not widened by project roles. For `create`, the project scope
 *      `distributedtask.project.serviceendpointrole` with resource {projectId} and its Creator role [obs].
 *   4. [doc] GET {vssps}/_apis/identities?identityIds=… turns the assigned identities' ids into descriptors, to
 *      compare with the person's `memberOf`.
 * Bound per holding(): cold ≤ 1 (area, once per process) + 3 (person) + 1 (roles) + 5 (ids, 40 per call, at most
 * 200 assigned identities) calls; warm 0: people and role lists are kept ≤ 60 s, id→descriptor 10 minutes.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../domain/time';
import { AppError, errorCodeOf } from '../domain/errors';
import { strongest, type DevOpsRole, type RoleGrant, type RoleHolding } from '../domain/devops-roles';
import type { DevOpsPerson, DevOpsRoles, RoleTarget } from './devops-roles.port';

export interface DevOpsGet {
  rest<T>(operation: string, method: 'GET', path: string): Promise<T | null>;
}

export interface AzureDevOpsRolesOptions {
  orgUrl: string;
  clock: Clock;
  /** How long a person's identity and a connection's roles are reused (≤ 60 s; default 30 s). */
  ttlMs?: number;
}

export const IDENTITY_AREA_ID = '8a3d49b8-91f0-46ef-b33d-dda338c25db3';
export const ROLE_SCOPES = { connection: 'distributedtask.serviceendpointrole', project: 'distributedtask.project.serviceendpointrole' } as const;
const OBJECT_ID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const MAX_TTL_MS = 60_000;
const LOOKUPS = 3;
const IDS_PER_CALL = 40;
const MAX_ASSIGNED = 200;

interface IdentityJson { id?: unknown; descriptor?: unknown; isActive?: unknown; isContainer?: unknown; memberOf?: unknown; properties?: Record<string, { $value?: unknown } | undefined> }
interface RoleJson { identity?: { id?: unknown; displayName?: unknown }; role?: { name?: unknown }; access?: unknown }
interface Listing<T> { value?: T[] | null }
interface Person { id: string; memberOf: ReadonlySet<string> }
interface Entry { identityId: string; name: string; role: DevOpsRole; inherited: boolean }
const NONE = 'none' as const;

const lower = (v: unknown): string | undefined => (typeof v === 'string' && v ? v.toLowerCase() : undefined);
const listOf = <T>(answer: Listing<T> | T[] | null): T[] => (Array.isArray(answer) ? answer : answer?.value ?? []);
/** [infer] descriptors arrive as "type;identifier" strings, or as IdentityDescriptor objects. */
const descriptorText = (d: unknown): string | undefined => lower(typeof d === 'string' ? d
  : d && typeof d === 'object' ? `${(d as { identityType?: string }).identityType};${(d as { identifier?: string }).identifier}` : undefined);
const ROLE_NAMES: readonly DevOpsRole[] = ['Reader', 'User', 'Creator', 'Administrator'];

function entryOf(json: RoleJson): Entry | undefined {
  const identityId = lower(json.identity?.id);
  const role = ROLE_NAMES.find((r) => r.toLowerCase() === lower(json.role?.name));
  if (!identityId || !role) return undefined;
  const access = String(json.access ?? '').toLowerCase();
  const name = typeof json.identity?.displayName === 'string' ? json.identity.displayName : identityId;
  return { identityId, name, role, inherited: access === '2' || access.startsWith('inherit') };
}

/** The identities host must be Azure DevOps' (or the organization's own): the bot's token goes there. */
function checkedBase(locationUrl: unknown, orgUrl: string): string {
  const url = typeof locationUrl === 'string' ? URL.parse(locationUrl) : null;
  const org = new URL(orgUrl);
  const ok = url && (url.origin === org.origin
    || (url.protocol === 'https:' && (url.hostname === 'vssps.dev.azure.com' || url.hostname.endsWith('.vssps.visualstudio.com'))));
  if (!url || !ok) throw new AppError('DEVOPS.UNAVAILABLE', 'Azure DevOps named an unexpected host for its identities service');
  return url.href.replace(/\/+$/, '');
}

export class AzureDevOpsRoles implements DevOpsRoles {
  private base: Promise<string> | undefined;
  private readonly people: LRUCache<string, Person | typeof NONE, DevOpsPerson>;
  private readonly roles: LRUCache<string, Entry[], { target: RoleTarget }>;
  private readonly descriptors: LRUCache<string, string>;

  constructor(private readonly devops: DevOpsGet, private readonly options: AzureDevOpsRolesOptions) {
    const ttl = Math.min(options.ttlMs ?? 30_000, MAX_TTL_MS);
    const perf = { now: () => options.clock.now().getTime() };
    this.people = new LRUCache({ max: 1_000, ttl, perf, ttlResolution: 0, fetchMethod: (oid, _stale, { context }) => this.findPerson(oid, context) });
    this.roles = new LRUCache({ max: 5_000, ttl, perf, ttlResolution: 0, fetchMethod: (_key, _stale, { context }) => this.readRoles(context.target) });
    this.descriptors = new LRUCache({ max: 20_000, ttl: 600_000, perf, ttlResolution: 0 });
  }

  async holding(person: DevOpsPerson, target: RoleTarget): Promise<RoleHolding> {
    try {
      const me = await this.people.fetch(person.aadObjectId.toLowerCase(), { context: person });
      if (!me || me === NONE) return { kind: 'no-identity' };
      const key = target.scope === 'project' ? `p|${target.projectId}` : `c|${target.projectId}_${target.endpointId}`;
      const entries = (await this.roles.fetch(key.toLowerCase(), { context: { target } })) ?? [];
      return strongest(target.scope, await this.grants(me, entries));
    } catch (error) {
      return { kind: 'unreadable', code: errorCodeOf(error) };
    }
  }

  private identityBase(): Promise<string> {
    this.base ??= this.devops.rest<{ locationUrl?: unknown }>('finding the Azure DevOps identities service', 'GET', `_apis/resourceAreas/${IDENTITY_AREA_ID}?api-version=7.1-preview.1`)
      .then((area) => checkedBase(area?.locationUrl, this.options.orgUrl))
      .catch((error: unknown) => { this.base = undefined; throw error; });
    return this.base;
  }

  private async findPerson(oid: string, person: DevOpsPerson): Promise<Person | typeof NONE> {
    const base = await this.identityBase();
    const names = (person.signInNames ?? []).filter((n) => n.length > 0 && n.length <= 256 && [...n].every((c) => c >= ' '));
    for (const value of [...new Set([...names, oid])].slice(0, LOOKUPS)) {
      const query = new URLSearchParams({ searchFilter: 'General', filterValue: value, queryMembership: 'ExpandedUp', 'api-version': '7.1' });
      const answer = await this.devops.rest<Listing<IdentityJson> | IdentityJson[]>('finding a person in Azure DevOps', 'GET', `${base}/_apis/identities?${query}`);
      const found = listOf(answer).find((i) => lower(i.properties?.[OBJECT_ID]?.$value) === oid && i.isActive !== false && i.isContainer !== true);
      const id = lower(found?.id);
      if (found && id) return { id, memberOf: new Set((Array.isArray(found.memberOf) ? found.memberOf : []).map(descriptorText).filter((d): d is string => !!d)) };
    }
    return NONE;
  }

  private async readRoles(target: RoleTarget): Promise<Entry[]> {
    const resource = target.scope === 'project' ? target.projectId : `${target.projectId}_${target.endpointId}`;
    const path = `_apis/securityroles/scopes/${ROLE_SCOPES[target.scope]}/roleassignments/resources/${encodeURIComponent(resource)}?api-version=7.1-preview.1`;
    const answer = await this.devops.rest<Listing<RoleJson> | RoleJson[]>('reading service connection roles', 'GET', path);
    return listOf(answer).map(entryOf).filter((e): e is Entry => e !== undefined);
  }

  private async grants(me: Person, entries: readonly Entry[]): Promise<RoleGrant[]> {
    const others = [...new Set(entries.filter((e) => e.identityId !== me.id).map((e) => e.identityId))];
    const descriptors = await this.descriptorsOf(others);
    return entries.flatMap((e): RoleGrant[] => {
      if (e.identityId === me.id) return [{ role: e.role, inherited: e.inherited }];
      const d = descriptors.get(e.identityId);
      return d && me.memberOf.has(d) ? [{ role: e.role, group: e.name, inherited: e.inherited }] : [];
    });
  }

  private async descriptorsOf(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length > MAX_ASSIGNED) throw new AppError('DEVOPS.UNAVAILABLE', `More than ${MAX_ASSIGNED} identities hold roles here; not checked`);
    const missing = ids.filter((id) => !this.descriptors.has(id));
    const base = missing.length > 0 ? await this.identityBase() : '';
    for (let i = 0; i < missing.length; i += IDS_PER_CALL) {
      const query = new URLSearchParams({ identityIds: missing.slice(i, i + IDS_PER_CALL).join(','), queryMembership: 'None', 'api-version': '7.1' });
      const answer = await this.devops.rest<Listing<IdentityJson> | IdentityJson[]>('reading Azure DevOps identities', 'GET', `${base}/_apis/identities?${query}`);
      for (const identity of listOf(answer)) {
        const id = lower(identity.id);
        const d = descriptorText(identity.descriptor);
        if (id && d) this.descriptors.set(id, d);
      }
    }
    return new Map(ids.flatMap((id) => { const d = this.descriptors.get(id); return d ? [[id, d] as const] : []; }));
  }
}
