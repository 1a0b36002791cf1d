/**
 * Graph's application permissions on app registrations and service principals, read from the caller's token
 * (`roles`), as Microsoft documents them (microsoft-graph-docs api-reference/v1.0 permission tables and the
 * permissions reference):
 * - reading an application or service principal (by id, by appId, or a list, and an app's owners):
 *   Application.Read.All or higher, and Application.ReadWrite.OwnedBy too, for every app in the tenant ("The Application.ReadWrite.OwnedBy permission
 *   allows an app to call GET /applications and GET /servicePrincipals to list all applications and service
 *   principals in the tenant. This scope of access has been allowed for the permission."); with none of them only
 *   its own ("A service principal can retrieve its own application and service principal details without being
 *   granted any application permissions", serviceprincipal-get.md);
 * - changing an app (secrets, federated credentials, delete, its service principal): Application.ReadWrite.All, or
 *   Application.ReadWrite.OwnedBy on an app the caller owns ("the same operations as Application.ReadWrite.All but
 *   only on applications and service principals that the calling app is an owner of");
 * - reading an app's federated credentials: Application.Read.All or higher, or OwnedBy on an owned app [infer: the
 *   read-all allowance above names only GET /applications and GET /servicePrincipals];
 * - registering an app: AppRegistration.Create, Application.ReadWrite.OwnedBy or Application.ReadWrite.All.
 * Anything else is 403 Authorization_RequestDenied, "Insufficient privileges to complete the operation."
 */
import type { ApplicationView } from '../entra/application-registry';
import { graphErrors } from './graph-errors';
import type { GraphContext, GraphRequest } from './graph-request';

const READ_ALL = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const WRITE_ALL = ['Application.ReadWrite.All'];
const OWNED_BY = 'Application.ReadWrite.OwnedBy';
const CREATE = ['AppRegistration.Create', OWNED_BY, ...WRITE_ALL];

export type AppAccess = 'read' | 'read-credentials' | 'write';

const holds = (req: GraphRequest, permissions: readonly string[]): boolean => req.roles.some((r) => permissions.includes(r));

function allowed(ctx: GraphContext, req: GraphRequest, app: ApplicationView, access: AppAccess): boolean {
  const ownsIt = () => holds(req, [OWNED_BY]) && ctx.registry.isOwner(app.id, req.callerId);
  if (access === 'read') return holds(req, [...READ_ALL, OWNED_BY]) || app.appId.toLowerCase() === req.callerAppId.toLowerCase();
  if (access === 'read-credentials') return holds(req, READ_ALL) || ownsIt();
  return holds(req, WRITE_ALL) || ownsIt();
}

/** Throws Graph's 403 unless the caller's permissions reach this app for this kind of access. */
export function requireAccess(ctx: GraphContext, req: GraphRequest, app: ApplicationView, access: AppAccess): void {
  if (!allowed(ctx, req, app, access)) throw graphErrors.denied();
}

/** Lists of applications need a read permission: there is no "own app only" list. */
export function requireListAccess(req: GraphRequest): void {
  if (!holds(req, [...READ_ALL, OWNED_BY])) throw graphErrors.denied();
}

export function requireCreateAccess(req: GraphRequest): void {
  if (!holds(req, CREATE)) throw graphErrors.denied();
}
