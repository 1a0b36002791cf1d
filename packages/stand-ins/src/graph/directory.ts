/**
 * Users and groups of the Graph stand-in, from the seed's optional `users` and `groups` sections. Enough of Entra's
 * directory to answer getMemberGroups the way Graph does: transitively, through nested groups.
 */
import { z } from 'zod';
import { graphErrors } from './graph-errors';
import type { GraphReply } from './graph-reply';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

const sections = z.object({
  users: z.array(z.object({ id: guid, displayName: z.string(), userPrincipalName: z.string().optional() })).default([]),
  groups: z.array(z.object({
    id: guid, displayName: z.string(), securityEnabled: z.boolean().default(true),
    /** Object ids of member users and nested groups. */
    members: z.array(guid).default([]),
  })).default([]),
});

export type DirectorySeed = z.infer<typeof sections>;

export class Directory {
  /** user object id → userPrincipalName (absent when the seed gives none). */
  private readonly users = new Map<string, string | undefined>();
  private readonly groups = new Map<string, { securityEnabled: boolean }>();
  /** member object id → ids of the groups that list it directly. */
  private readonly parents = new Map<string, string[]>();

  constructor(seed: DirectorySeed) {
    for (const user of seed.users) this.users.set(user.id.toLowerCase(), user.userPrincipalName);
    for (const group of seed.groups) {
      const id = group.id.toLowerCase();
      this.groups.set(id, { securityEnabled: group.securityEnabled });
      for (const member of group.members) {
        const key = member.toLowerCase();
        this.parents.set(key, [...(this.parents.get(key) ?? []), id]);
      }
    }
  }

  knows(objectId: string): boolean {
    const id = objectId.toLowerCase();
    return this.users.has(id) || this.groups.has(id);
  }

  /** A user as GET /v1.0/users/{id} answers it (id, displayName-free: only what the seed knows), or undefined. */
  user(objectId: string): { id: string; userPrincipalName: string | null; mail: null } | undefined {
    const id = objectId.toLowerCase();
    if (!this.users.has(id)) return undefined;
    return { id, userPrincipalName: this.users.get(id) ?? null, mail: null };
  }

  /** Every group the object is in, through any depth of nesting; cycles (which Entra forbids) cannot loop. */
  memberGroups(objectId: string, securityEnabledOnly: boolean): string[] {
    const found = new Set<string>();
    const pending = [...(this.parents.get(objectId.toLowerCase()) ?? [])];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (found.has(next)) continue;
      found.add(next);
      pending.push(...(this.parents.get(next) ?? []));
    }
    return [...found].filter((id) => !securityEnabledOnly || this.groups.get(id)?.securityEnabled === true);
  }
}

/** Reads the seed's `users` / `groups` (both optional). Throws a readable Error naming the problem. */
export function parseDirectorySeed(seed: Record<string, unknown>): Directory {
  const parsed = sections.safeParse({ users: seed.users, groups: seed.groups });
  if (!parsed.success) throw new Error(`Invalid emulator seed (users/groups):\n${z.prettifyError(parsed.error)}`);
  return new Directory(parsed.data);
}

const MEMBER_GROUPS_PATH = /^\/v1\.0\/(?:users|directoryObjects)\/([^/]+)\/getMemberGroups$/i;

const USER_PATH = /^\/v1\.0\/users\/([^/]+)$/i;

/**
 * GET /v1.0/users/{id} (a user's userPrincipalName and mail, as `$select=userPrincipalName,mail` asks; Graph answers
 * 404 Request_ResourceNotFound for an unknown id) and POST /v1.0/users/{id}/getMemberGroups (and
 * /directoryObjects/{id}/…); undefined for any other path.
 */
export function routeDirectory(directory: Directory, method: string, path: string, body: unknown, metadataBase: string): GraphReply | undefined {
  const userMatch = USER_PATH.exec(path);
  if (userMatch) {
    if (method !== 'GET') return undefined;
    const user = directory.user(userMatch[1] ?? '');
    if (!user) throw graphErrors.notFound(userMatch[1] ?? '');
    return { status: 200, body: { '@odata.context': `${metadataBase}#users(userPrincipalName,mail)/$entity`, userPrincipalName: user.userPrincipalName, mail: user.mail } };
  }
  const match = MEMBER_GROUPS_PATH.exec(path);
  if (!match) return undefined;
  if (method !== 'POST') throw graphErrors.methodNotAllowed();
  const securityEnabledOnly = (body as { securityEnabledOnly?: unknown } | null | undefined)?.securityEnabledOnly;
  // Graph requires the parameter; a missing one is a 400, not a default.
  if (typeof securityEnabledOnly !== 'boolean') throw graphErrors.badBody("Property 'securityEnabledOnly' is required and must be a boolean.");
  const id = match[1] ?? '';
  if (!directory.knows(id)) throw graphErrors.notFound(id);
  return { status: 200, body: { '@odata.context': `${metadataBase}#Collection(Edm.String)`, value: directory.memberGroups(id, securityEnabledOnly) } };
}
