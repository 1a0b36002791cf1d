/**
 * Graph v1.0 routes that make and remove app registrations and service principals:
 *   POST   /applications                      (201, the new application; its creator becomes an owner)
 *   PATCH  /applications(uniqueName='{key}')  (upsert with `Prefer: create-if-missing`: 201 and the new app, or 204
 *                                              after updating the existing one, which the caller must own; 404
 *                                              without the header when there is none)
 *   DELETE /applications/{id}                 (204; the caller may change it: graph-permissions.ts)
 *   POST   /servicePrincipals                 ({ appId } → 201; 409 when the app already has one)
 *   GET    /servicePrincipals(appId='{appId}') (200, or 404 while there is none)
 * Each behind the caller's permissions (graph-permissions.ts). Ownership of what one creates follows
 * Application.ReadWrite.OwnedBy ("create other applications, and fully manage those applications", Graph
 * permissions reference); that the creator is listed as owner is [infer].
 */
import type { GraphContext, GraphRequest } from './graph-request';
import type { GraphReply } from './graph-reply';
import { graphErrors } from './graph-errors';
import { requireAccess, requireCreateAccess } from './graph-permissions';

const APPLICATIONS = /^\/v1\.0\/applications\/?$/i;
const APPLICATION = /^\/v1\.0\/applications\/([^/()]+)$/i;
const BY_UNIQUE_NAME = /^\/v1\.0\/applications\(uniqueName='([^']+)'\)$/i;
const SERVICE_PRINCIPALS = /^\/v1\.0\/servicePrincipals\/?$/i;
const SERVICE_PRINCIPAL_BY_APP = /^\/v1\.0\/servicePrincipals\(appId='([^']+)'\)$/i;

function body(req: GraphRequest): Record<string, unknown> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) throw graphErrors.badBody('The request body must be a JSON object.');
  return req.body as Record<string, unknown>;
}

function servicePrincipalJson(ctx: GraphContext, appId: string, id: string): Record<string, unknown> {
  const app = ctx.registry.getApplication(appId);
  return { '@odata.context': `${ctx.metadataBase}#servicePrincipals/$entity`, id, appId: app?.appId ?? appId, displayName: app?.displayName ?? null, servicePrincipalType: 'Application' };
}

function created(ctx: GraphContext, req: GraphRequest, input: Record<string, unknown>, uniqueName: string | undefined): GraphReply {
  if (typeof input.displayName !== 'string' || input.displayName.trim() === '') throw graphErrors.badBody("Property 'displayName' is required.");
  if (uniqueName !== undefined && ctx.registry.getByUniqueName(uniqueName)) throw graphErrors.conflict(`Another object with the same value for property uniqueName already exists.`);
  const audience = typeof input.signInAudience === 'string' ? input.signInAudience : undefined;
  const app = ctx.registry.createApplication({
    displayName: input.displayName, ...(audience ? { signInAudience: audience } : {}), ...(uniqueName === undefined ? {} : { uniqueName }), ownerId: req.callerId,
  });
  const json = { id: app.id, appId: app.appId, displayName: app.displayName, signInAudience: app.signInAudience, uniqueName: app.uniqueName };
  return { status: 201, body: { '@odata.context': `${ctx.metadataBase}#applications/$entity`, ...json } };
}

/** Upsert by the client-set alternate key: idempotent, so a create whose answer was lost can simply be sent again. */
function upsert(ctx: GraphContext, req: GraphRequest, uniqueName: string): GraphReply {
  const input = body(req);
  const existing = ctx.registry.getByUniqueName(uniqueName);
  if (!existing) {
    if (!/(^|[\s,])create-if-missing([\s,;]|$)/i.test(req.prefer ?? '')) throw graphErrors.notFound(uniqueName);
    requireCreateAccess(req);
    return created(ctx, req, input, uniqueName);
  }
  requireAccess(ctx, req, existing, 'write');
  const change: { displayName?: string; signInAudience?: string } = {};
  if (typeof input.displayName === 'string') change.displayName = input.displayName;
  if (typeof input.signInAudience === 'string') change.signInAudience = input.signInAudience;
  ctx.registry.updateApplication(existing.id, change);
  return { status: 204 };
}

/** The app lifecycle's answer, or undefined when the request is not one of these routes. */
export function routeAppLifecycle(ctx: GraphContext, req: GraphRequest): GraphReply | undefined {
  if (req.method === 'POST' && APPLICATIONS.test(req.path)) {
    requireCreateAccess(req);
    const input = body(req);
    if (input.uniqueName !== undefined && typeof input.uniqueName !== 'string') throw graphErrors.badBody("Property 'uniqueName' must be a string.");
    return created(ctx, req, input, input.uniqueName);
  }
  const keyed = BY_UNIQUE_NAME.exec(req.path);
  if (keyed && req.method === 'PATCH') return upsert(ctx, req, keyed[1] ?? '');
  const one = APPLICATION.exec(req.path);
  if (one && req.method === 'DELETE') {
    const key = one[1] ?? '';
    const app = ctx.registry.getApplication(key);
    if (!app) throw graphErrors.notFound(key);
    requireAccess(ctx, req, app, 'write');
    ctx.registry.removeApplication(key);
    return { status: 204 };
  }
  if (req.method === 'POST' && SERVICE_PRINCIPALS.test(req.path)) {
    requireCreateAccess(req);
    const appId = body(req).appId;
    const app = typeof appId === 'string' ? ctx.registry.getApplication(appId) : null;
    if (typeof appId !== 'string' || !app) throw graphErrors.badBody("Property 'appId' must name an application of this tenant.");
    requireAccess(ctx, req, app, 'write');
    if (!ctx.registry.createServicePrincipal(appId)) throw graphErrors.conflict('A service principal with the same appId already exists.');
    return { status: 201, body: servicePrincipalJson(ctx, appId, ctx.registry.servicePrincipalOf(appId) ?? '') };
  }
  const byApp = SERVICE_PRINCIPAL_BY_APP.exec(req.path);
  if (byApp && req.method === 'GET') {
    const appId = byApp[1] ?? '';
    const id = ctx.registry.servicePrincipalOf(appId);
    const app = ctx.registry.getApplication(appId);
    if (!id || !app) throw graphErrors.notFound(appId);
    requireAccess(ctx, req, app, 'read');
    return { status: 200, body: servicePrincipalJson(ctx, appId, id) };
  }
  return undefined;
}
