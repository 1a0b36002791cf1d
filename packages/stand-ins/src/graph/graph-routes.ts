/**
 * Graph v1.0 application routes: read an app (by object id, `(appId='…')`, `$filter=appId eq '…'` or
 * `$filter=appId in ('…', …)`), JSON batches of those (graph-batch.ts), addPassword,
 * removePassword and federatedIdentityCredentials, each behind the caller's permissions (graph-permissions.ts).
 */
import type { ApplicationView, PasswordCredentialView } from '../entra/application-registry';
import type { GraphContext, GraphRequest } from './graph-request';

export type { GraphContext, GraphRequest } from './graph-request';
import type { GraphReply } from './graph-reply';
import { isRefusal, type FederatedCredentialView } from '../entra/federated-credentials';
import { GraphError, graphErrors } from './graph-errors';
import { routeDirectory } from './directory';
import { routeAppLifecycle } from './app-lifecycle-routes';
import { routeBatch } from './graph-batch';
import { requireAccess, requireListAccess, type AppAccess } from './graph-permissions';
import { applySelect } from './graph-select';

/** Graph limits `in` to 15 values by default (learn.microsoft.com/graph/filter-query-parameter). */
export const IN_MAX_VALUES = 15;

/** `(appId='…')`, `(uniqueName='…')` and object-id addressing; filters on the collection: see listByFilter. */
const APP_PATH = /^\/v1\.0\/applications(?:\/([^/()]+)|\(appId='([^']+)'\)|\(uniqueName='([^']+)'\))(?:\/(addPassword|removePassword|federatedIdentityCredentials|owners)(?:\/([^/]+))?)?$/i;

const passwordJson = (p: PasswordCredentialView) => ({ customKeyIdentifier: null, ...p, secretText: null });

function applicationJson(app: ApplicationView): object {
  return {
    id: app.id,
    appId: app.appId,
    displayName: app.displayName,
    signInAudience: app.signInAudience,
    uniqueName: app.uniqueName,
    passwordCredentials: app.passwordCredentials.map(passwordJson),
    keyCredentials: app.keyCredentials.map((k) => ({ ...k, type: 'AsymmetricX509Cert', usage: 'Verify', key: null })),
  };
}

/** The app ids a filter names (`appId eq '…'` or `appId in ('…', …)`); undefined for no filter. */
function filteredAppIds(filter: string | null): Set<string> | undefined {
  if (filter === null) return undefined;
  const eq = /^appId eq '([^']+)'$/i.exec(filter.trim())?.[1];
  if (eq) return new Set([eq.toLowerCase()]);
  const list = /^appId in \(\s*('[^']*'(?:\s*,\s*'[^']*')*)\s*\)$/i.exec(filter.trim())?.[1];
  if (!list) throw graphErrors.unsupportedQuery();
  const values = list.split(',').map((v) => v.trim().slice(1, -1).toLowerCase());
  if (values.length > IN_MAX_VALUES) throw graphErrors.tooManyValues(values.length, IN_MAX_VALUES);
  return new Set(values);
}

function listByFilter(ctx: GraphContext, req: GraphRequest): GraphReply {
  const filter = req.query.get('$filter');
  // OData string literal: a doubled quote is one quote.
  const displayName = filter ? /^displayName eq '((?:[^']|'')*)'$/i.exec(filter.trim())?.[1]?.replace(/''/g, "'") : undefined;
  const wanted = displayName === undefined ? filteredAppIds(filter) : undefined;
  requireListAccess(req);
  const apps = ctx.registry.listApplications().filter((a) => !wanted || wanted.has(a.appId.toLowerCase()))
    .filter((a) => displayName === undefined || a.displayName === displayName);
  return { status: 200, body: { '@odata.context': `${ctx.metadataBase}#applications`, value: apps.map(applicationJson) } };
}

function requireApp(ctx: GraphContext, req: GraphRequest, key: string, access: AppAccess): ApplicationView {
  const app = ctx.registry.getApplication(key);
  if (!app) throw graphErrors.notFound(key);
  requireAccess(ctx, req, app, access);
  return app;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw graphErrors.badBody('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw graphErrors.badBody(`Property '${name}' must be a string.`);
  if (name.endsWith('DateTime') && Number.isNaN(Date.parse(value))) throw graphErrors.badBody(`Property '${name}' is not a valid DateTimeOffset.`);
  return value;
}

function addPassword(ctx: GraphContext, app: ApplicationView, body: unknown): GraphReply {
  const credential = objectBody(objectBody(body ?? {}).passwordCredential ?? {});
  const added = ctx.registry.addPassword(app.id, ctx.clock.now(), {
    displayName: optionalString(credential.displayName, 'displayName'),
    startDateTime: optionalString(credential.startDateTime, 'startDateTime'),
    endDateTime: optionalString(credential.endDateTime, 'endDateTime'),
  });
  return { status: 200, body: { '@odata.context': `${ctx.metadataBase}#microsoft.graph.passwordCredential`, customKeyIdentifier: null, ...added } };
}

function removePassword(ctx: GraphContext, app: ApplicationView, body: unknown): GraphReply {
  const keyId = objectBody(body).keyId;
  if (typeof keyId !== 'string' || keyId === '') throw graphErrors.badBody("Property 'keyId' is required.");
  if (!ctx.registry.removePassword(app.id, keyId)) throw graphErrors.notFound(keyId);
  return { status: 204 };
}

const ficJson = (f: FederatedCredentialView) => ({ ...f });

function federated(ctx: GraphContext, req: GraphRequest, app: ApplicationView, item: string | undefined): GraphReply {
  const store = ctx.registry.federatedCredentials(app.id);
  if (!store) throw graphErrors.notFound(app.id);
  const base = `${ctx.metadataBase}#applications('${app.id}')/federatedIdentityCredentials`;
  if (item === undefined && req.method === 'GET') return { status: 200, body: { '@odata.context': base, value: store.list().map(ficJson) } };
  if (item === undefined && req.method === 'POST') {
    const input = objectBody(req.body);
    const added = store.add({
      name: String(input.name ?? ''), issuer: String(input.issuer ?? ''), subject: String(input.subject ?? ''),
      audiences: Array.isArray(input.audiences) ? input.audiences.map(String) : undefined,
      description: optionalString(input.description, 'description') ?? null,
    });
    if (!isRefusal(added)) return { status: 201, body: { '@odata.context': `${base}/$entity`, ...added } };
    throw added.kind === 'duplicate-name' ? graphErrors.conflict(added.message) : graphErrors.badBody(added.message);
  }
  if (item !== undefined && req.method === 'GET') {
    const found = store.get(item);
    if (!found) throw graphErrors.notFound(item);
    return { status: 200, body: { '@odata.context': `${base}/$entity`, ...found } };
  }
  if (item !== undefined && req.method === 'DELETE') {
    if (!store.remove(item)) throw graphErrors.notFound(item);
    return { status: 204 };
  }
  throw graphErrors.methodNotAllowed();
}

/** GET owners: directoryObjects; a caller that may not read service principals still gets each one's type and id. */
function owners(ctx: GraphContext, req: GraphRequest, app: ApplicationView, item: string | undefined): GraphReply {
  if (req.method !== 'GET' || item !== undefined) throw graphErrors.methodNotAllowed();
  const value = ctx.registry.ownersOf(app.id).map((id) => ({ '@odata.type': '#microsoft.graph.servicePrincipal', id }));
  return { status: 200, body: { '@odata.context': `${ctx.metadataBase}#directoryObjects`, value } };
}

function dispatch(ctx: GraphContext, req: GraphRequest): GraphReply {
  const directoryReply = ctx.directory && routeDirectory(ctx.directory, req.method, req.path, req.body, ctx.metadataBase);
  if (directoryReply) return directoryReply;
  if (/^\/v1\.0\/\$batch$/i.test(req.path)) {
    if (req.method !== 'POST') throw graphErrors.methodNotAllowed();
    return routeBatch({
      route: (method, path, query, body) => routeGraph(ctx, { ...req, method, path, query, body }),
      throttlePart: () => ctx.throttlePart?.(),
      errorBody: (error) => error.body(ctx.clock.now()),
    }, req.body);
  }
  const lifecycle = routeAppLifecycle(ctx, req);
  if (lifecycle) return lifecycle;
  if (/^\/v1\.0\/applications\/?$/i.test(req.path)) {
    if (req.method !== 'GET') throw graphErrors.methodNotAllowed();
    return listByFilter(ctx, req);
  }
  const match = APP_PATH.exec(req.path);
  if (!match) throw graphErrors.noRoute(req.path);
  const [, objectId, appId, uniqueName, action, item] = match;
  const key = objectId ?? appId ?? (uniqueName === undefined ? '' : ctx.registry.getByUniqueName(uniqueName)?.id ?? uniqueName);
  const kind = action?.toLowerCase();
  const write = req.method !== 'GET';
  if (kind === undefined) {
    if (write) throw graphErrors.methodNotAllowed();
    return { status: 200, body: { '@odata.context': `${ctx.metadataBase}#applications/$entity`, ...applicationJson(requireApp(ctx, req, key, 'read')) } };
  }
  // Owners are read as the app itself is (application-list-owners.md carries the OwnedBy read-all note too).
  const app = requireApp(ctx, req, key, write ? 'write' : kind === 'owners' ? 'read' : 'read-credentials');
  if (kind === 'federatedidentitycredentials') return federated(ctx, req, app, item);
  if (kind === 'owners') return owners(ctx, req, app, item);
  if (req.method !== 'POST' || item !== undefined) throw graphErrors.methodNotAllowed();
  return kind === 'addpassword' ? addPassword(ctx, app, req.body) : removePassword(ctx, app, req.body);
}

/** Answers one authenticated Graph request; failures come back shaped as Graph's error envelope. */
export function routeGraph(ctx: GraphContext, req: GraphRequest): GraphReply {
  try {
    return applySelect(req.method, req.query, dispatch(ctx, req));
  } catch (error) {
    if (error instanceof GraphError) return { status: error.status, body: error.body(ctx.clock.now()) };
    throw error;
  }
}

export type { GraphReply } from './graph-reply';
