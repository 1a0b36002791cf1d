import type { RoleHolding } from '../domain/devops-roles';

/** Who to look up: an Entra object id, and sign-in names (UPN, mail) that help find them in Azure DevOps. */
export interface DevOpsPerson {
  aadObjectId: string;
  /** From Teams (TeamsInfo.getMember) or Microsoft Graph; tried first, always verified against the object id. */
  signInNames?: readonly string[];
}

/** A connection of a project, or (for `create`) the project itself. GUIDs: Azure DevOps' role resources need them. */
export type RoleTarget = { scope: 'connection'; projectId: string; endpointId: string } | { scope: 'project'; projectId: string };

/**
 * What a person holds in Azure DevOps itself on one connection or project: the strongest service-connection role,
 * and how it reaches them (directly, through an Azure DevOps or Entra group, nested or not, inherited from the
 * project or not). Never throws: a read that fails answers `unreadable` with the failure's stable code, and the
 * policy refuses on it (never allows).
 */
export interface DevOpsRoles {
  holding(person: DevOpsPerson, target: RoleTarget): Promise<RoleHolding>;
}

/** No adapter configured: every role read refuses (a rule with `devOpsRole` then grants nobody), never allows. */
export const UNREADABLE_ROLES: DevOpsRoles = { holding: () => Promise.resolve({ kind: 'unreadable', code: 'CONFIG.INVALID' }) };
