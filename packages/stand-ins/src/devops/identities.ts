/**
 * The organization's identities as the legacy identities API shows them (spec: ims/7.1 identities.json and its
 * examples): users and groups, a user's Entra object id in the `objectidentifier` property, groups with members
 * (identities or other groups: Azure DevOps groups and Entra groups alike, nested), and `memberOf` / `members`
 * filled per `queryMembership`. Seed `identities`:
 *   [{ id, displayName, uniqueName?, originId?, kind?: "user" | "group", members?: [identity ids] }]
 * General search matches a whole account name or mail, case-insensitively, not a display name or an object id
 * (the behaviour Microsoft's own Azure DevOps MCP server documents for this call).
 */
import { z } from 'zod';

export const identitiesSeedSchema = z.array(z.object({
  id: z.string().min(1),
  displayName: z.string().min(1),
  uniqueName: z.string().optional(),
  /** Entra object id of the user or group this identity stands for. */
  originId: z.string().min(1).optional(),
  kind: z.enum(['user', 'group']).default('user'),
  members: z.array(z.string().min(1)).default([]),
}));
export type SeedIdentity = z.input<typeof identitiesSeedSchema>[number];
type Identity = z.output<typeof identitiesSeedSchema>[number];

const OBJECT_ID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
export type QueryMembership = 'none' | 'direct' | 'expanded' | 'expandedup' | 'expandeddown';

const str = (value: string) => ({ $type: 'System.String', $value: value });

export class Identities {
  private readonly byId = new Map<string, Identity>();

  constructor(seed: readonly SeedIdentity[], private readonly domain: string) {
    for (const identity of identitiesSeedSchema.parse(seed)) this.byId.set(identity.id.toLowerCase(), identity);
  }

  get(id: string): Identity | undefined {
    return this.byId.get(id.replace(/^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i, '$1-$2-$3-$4-$5').toLowerCase());
  }

  /** Users are claims identities of the organization's tenant; groups are Azure DevOps SIDs (both opaque to clients). */
  descriptor(identity: Identity): string {
    if (identity.kind === 'user') return `Microsoft.IdentityModel.Claims.ClaimsIdentity;${this.domain}\\${identity.uniqueName ?? identity.id}`;
    const words = identity.id.replace(/-/g, '').match(/.{1,8}/g) ?? [];
    return `Microsoft.TeamFoundation.Identity;S-1-9-1551374245-${words.map((w) => Number.parseInt(w, 16) || 0).join('-')}`;
  }

  byDescriptor(descriptor: string): Identity | undefined {
    return [...this.byId.values()].find((i) => this.descriptor(i).toLowerCase() === descriptor.toLowerCase());
  }

  /** searchFilter General / AccountName / MailAddress match the whole account (uniqueName); DisplayName the display name. */
  search(filter: string, value: string): Identity[] {
    const v = value.toLowerCase();
    const f = filter.toLowerCase();
    return [...this.byId.values()].filter((i) => {
      if (f === 'displayname') return i.displayName.toLowerCase() === v;
      return i.kind === 'user' && i.uniqueName?.toLowerCase() === v;
    });
  }

  /** Groups that list this identity, directly (depth 1) or through nesting (every level; a cycle ends). */
  containers(id: string, transitive: boolean): Identity[] {
    const found = new Map<string, Identity>();
    let frontier = [id.toLowerCase()];
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const group of this.byId.values()) {
        const key = group.id.toLowerCase();
        if (group.kind !== 'group' || found.has(key) || !group.members.some((m) => frontier.includes(m.toLowerCase()))) continue;
        found.set(key, group);
        next.push(key);
      }
      frontier = transitive ? next : [];
    }
    return [...found.values()];
  }

  private members(group: Identity, transitive: boolean): Identity[] {
    const seen = new Map<string, Identity>();
    const walk = (g: Identity) => g.members.forEach((m) => {
      const member = this.get(m);
      if (!member || seen.has(member.id.toLowerCase())) return;
      seen.set(member.id.toLowerCase(), member);
      if (transitive && member.kind === 'group') walk(member);
    });
    walk(group);
    return [...seen.values()];
  }

  /** One identity as the API answers it. */
  wire(identity: Identity, membership: QueryMembership): Record<string, unknown> {
    const up = membership === 'direct' || membership === 'expanded' || membership === 'expandedup';
    const down = membership === 'direct' || membership === 'expanded' || membership === 'expandeddown';
    const deep = membership !== 'direct';
    const isGroup = identity.kind === 'group';
    const members = isGroup && down ? this.members(identity, deep) : [];
    return {
      id: identity.id,
      descriptor: this.descriptor(identity),
      providerDisplayName: identity.displayName,
      isActive: true,
      ...(isGroup ? { isContainer: true } : {}),
      members: members.map((m) => this.descriptor(m)),
      memberOf: up ? this.containers(identity.id, deep).map((g) => this.descriptor(g)) : [],
      memberIds: members.map((m) => m.id),
      properties: {
        SchemaClassName: str(isGroup ? 'Group' : 'User'),
        Domain: str(this.domain),
        ...(identity.uniqueName ? { Account: str(identity.uniqueName), Mail: str(identity.uniqueName) } : {}),
        ...(identity.originId ? { [OBJECT_ID]: str(identity.originId) } : {}),
      },
      resourceVersion: 2,
      metaTypeId: isGroup ? 255 : 0,
    };
  }
}
