/**
 * The write rules of the endpoints resource: create, update (plain), bulk update, delete/unshare and share.
 * Conversion lives in conversion.ts. Everything throws VssError; the HTTP layer only translates.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceEndpoint, ServiceEndpointProjectReference } from '../wire/service-endpoint';
import { convertScheme } from './conversion';
import { EMULATOR_IDENTITY, type RuleContext } from './context';
import { credentialsChanged, dataAfterUpdate, isAutomatic, mergeAuthorization } from './credentials';
import { wireView } from './endpoint-view';
import { provisionAutomatic, addFederationSubject } from './provisioning';
import { applySecretReadiness } from './readiness';
import type { Project } from './state';
import {
  argumentError, argumentNullError, duplicateName, endpointNotFound, projectNotFound, VssError,
} from './vss-error';

type Body = Partial<ServiceEndpoint> & Record<string, unknown>;

function asBody(body: unknown): Body {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw argumentNullError('endpoint');
  return body as Body;
}

function resolveProject(ctx: RuleContext, idOrName: string | undefined): Project {
  const project = idOrName ? ctx.state.project(idOrName) : undefined;
  if (!project) throw projectNotFound(idOrName ?? '');
  return project;
}

/** Names are unique per project, case-insensitively (facts §7.8). */
function assertNameFree(ctx: RuleContext, project: Project, name: string, exceptId?: string): void {
  const wanted = name.toLowerCase();
  const clash = ctx.state.liveAll().some((e) => e.id.toLowerCase() !== exceptId?.toLowerCase()
    && (e.serviceEndpointProjectReferences ?? []).some((r) =>
      r.projectReference.id.toLowerCase() === project.id.toLowerCase() && r.name.toLowerCase() === wanted));
  if (clash) throw duplicateName(name);
}

function normalizeRefs(ctx: RuleContext, body: Body): ServiceEndpointProjectReference[] {
  const given = body.serviceEndpointProjectReferences ?? [];
  // Pre-5.x clients posted to {project}/_apis/... without references; the URL's project is the reference then.
  const refs = given.length === 0 && ctx.project
    ? [{ projectReference: { id: ctx.project.id }, name: String(body.name), description: body.description ?? '' }]
    : given;
  if (refs.length === 0) throw argumentError('At least one project reference required to create an endpoint.');
  return refs.map((ref) => {
    const project = resolveProject(ctx, ref.projectReference?.id || ref.projectReference?.name);
    return { projectReference: { id: project.id, name: project.name }, name: ref.name ?? String(body.name), description: ref.description ?? '' };
  });
}

export function createEndpoint(ctx: RuleContext, raw: unknown): ServiceEndpoint {
  const body = asBody(raw);
  if (!body.name) throw argumentNullError('endpoint.Name');
  if (!body.type) throw argumentNullError('endpoint.Type');
  const refs = normalizeRefs(ctx, body);
  for (const ref of refs) assertNameFree(ctx, resolveProject(ctx, ref.projectReference.id), ref.name);
  const stamp = ctx.now.toISOString();
  const endpoint: ServiceEndpoint = {
    ...structuredClone(body),
    id: randomUUID(),
    name: body.name,
    type: body.type,
    url: body.url ?? '',
    description: body.description ?? '',
    data: { ...(body.data ?? {}) },
    authorization: mergeAuthorization(undefined, body.authorization ?? { scheme: 'None', parameters: {} }),
    isShared: refs.length > 1,
    isReady: true,
    operationStatus: { state: 'Ready', statusMessage: '' },
    owner: body.owner ?? 'library',
    serviceEndpointProjectReferences: refs,
    createdBy: EMULATOR_IDENTITY, modifiedBy: EMULATOR_IDENTITY, creationDate: stamp, modificationDate: stamp,
  };
  addFederationSubject(ctx, endpoint);
  ctx.state.put(endpoint);
  provisionAutomatic(ctx, endpoint.id);
  return wireView(ctx.state.live(endpoint.id) as ServiceEndpoint);
}

function updatedRefs(ctx: RuleContext, existing: ServiceEndpoint, body: Body): ServiceEndpointProjectReference[] {
  const refs = structuredClone(existing.serviceEndpointProjectReferences ?? []);
  const given = body.serviceEndpointProjectReferences;
  if (given && given.length > 0) {
    for (const ref of refs) {
      const match = given.find((g) => g.projectReference?.id?.toLowerCase() === ref.projectReference.id.toLowerCase());
      if (match?.name) ref.name = match.name;
      if (match && match.description !== undefined) ref.description = match.description ?? '';
    }
  } else if (body.name) {
    const target = ctx.project ?? (refs.length === 1 ? { id: refs[0]?.projectReference.id ?? '' } : undefined);
    const ref = target && refs.find((r) => r.projectReference.id.toLowerCase() === target.id.toLowerCase());
    if (ref) ref.name = body.name;
  }
  for (const ref of refs) assertNameFree(ctx, resolveProject(ctx, ref.projectReference.id), ref.name, existing.id);
  return refs;
}

function plainUpdate(ctx: RuleContext, existing: ServiceEndpoint, body: Body): ServiceEndpoint {
  const authorization = mergeAuthorization(existing.authorization, body.authorization);
  const data = dataAfterUpdate(existing.data, body.data ?? existing.data ?? {}, credentialsChanged(existing.authorization, authorization));
  const updated: ServiceEndpoint = {
    ...existing,
    name: body.name ?? existing.name,
    type: body.type ?? existing.type,
    url: body.url ?? existing.url,
    description: body.description ?? existing.description,
    owner: body.owner ?? existing.owner,
    serviceManagementReference: body.serviceManagementReference ?? existing.serviceManagementReference,
    isDisabled: typeof body.isDisabled === 'boolean' ? body.isDisabled : existing.isDisabled,
    authorization, data,
    serviceEndpointProjectReferences: updatedRefs(ctx, existing, body),
    modifiedBy: EMULATOR_IDENTITY,
    modificationDate: ctx.now.toISOString(),
  };
  applySecretReadiness(ctx, existing, updated);
  // Re-enabled by hand (PUT isDisabled:false): its 100 unused days start again now.
  if (existing.isDisabled === true && updated.isDisabled === false) ctx.state.remember(existing.id, { usedFloor: ctx.now.getTime() });
  ctx.state.put(updated);
  return updated;
}

export function updateEndpoint(ctx: RuleContext, id: string, raw: unknown, operation: string | null): ServiceEndpoint {
  const body = asBody(raw);
  const existing = ctx.state.live(id);
  if (!existing) throw endpointNotFound(id);
  if (body.id && body.id.toLowerCase() !== id.toLowerCase()) {
    throw argumentError(`The endpoint id ${body.id} in the request body does not match the id ${id} in the URL.`);
  }
  const op = (operation ?? '').toLowerCase();
  if (op === 'convertauthenticationscheme') return wireView(convertScheme(ctx, existing, body));
  if (op !== '' && op !== 'changeproperties') throw argumentError(`The operation '${operation}' is not supported.`);
  return wireView(plainUpdate(ctx, existing, body));
}

/** All or nothing: a failure part-way restores the endpoints already updated. */
export function updateEndpoints(ctx: RuleContext, raw: unknown): ServiceEndpoint[] {
  if (!Array.isArray(raw)) throw argumentNullError('endpoints');
  const bodies = raw.map(asBody);
  const before = bodies.map((b) => (b.id ? ctx.state.endpoint(b.id) : undefined));
  try {
    return bodies.map((b) => updateEndpoint(ctx, b.id ?? '', b, null));
  } catch (error) {
    for (const snapshot of before) if (snapshot) ctx.state.put(snapshot);
    throw error;
  }
}

/** Removes the endpoint from the given projects; it survives in the others (unshare), or is gone with the last. */
export function deleteEndpoint(ctx: RuleContext, id: string, query: URLSearchParams): void {
  const listed = query.get('projectIds')?.split(',').map((p) => p.trim()).filter(Boolean) ?? [];
  const projectIds = listed.length > 0 ? listed : ctx.project ? [ctx.project.id] : [];
  if (projectIds.length === 0) throw argumentNullError('projectIds');
  const existing = ctx.state.live(id);
  if (!existing) throw endpointNotFound(id);
  const removed = new Set(projectIds.map((p) => (ctx.state.project(p)?.id ?? p).toLowerCase()));
  const remaining = (existing.serviceEndpointProjectReferences ?? []).filter((r) => !removed.has(r.projectReference.id.toLowerCase()));
  if (remaining.length === 0) return removeEverywhere(ctx, existing);
  const first = remaining[0] as ServiceEndpointProjectReference;
  ctx.state.put({ ...existing, name: first.name, description: first.description ?? '', serviceEndpointProjectReferences: remaining, isShared: remaining.length > 1 });
}

/**
 * The last reference goes: a Manual connection is gone at once; an Automatic one stays InProgress while the
 * service removes the app it registered (unless deletionMs is 0), then is gone, or Failed when scripted to fail.
 */
function removeEverywhere(ctx: RuleContext, existing: ServiceEndpoint): void {
  if (ctx.state.recall(existing.id).deleteAt !== undefined) return;
  const failure = isAutomatic(existing.data) ? ctx.lifecycle.takeFailure('delete', existing.name) : undefined;
  const delayMs = isAutomatic(existing.data) ? ctx.lifecycle.settings.deletionMs : 0;
  if (delayMs === 0 && failure === undefined) return void ctx.state.remove(existing.id);
  existing.isReady = false;
  existing.operationStatus = { state: 'InProgress', statusMessage: '' };
  ctx.state.remember(existing.id, { deleteAt: ctx.now.getTime() + delayMs, failure });
}

/** PATCH adds project references; it never removes one, and renaming through it fails as it does on the service. */
export function shareEndpoint(ctx: RuleContext, id: string, raw: unknown): void {
  if (!Array.isArray(raw)) throw argumentNullError('endpointProjectReferences');
  const existing = ctx.state.live(id);
  if (!existing) throw endpointNotFound(id);
  const refs = structuredClone(existing.serviceEndpointProjectReferences ?? []);
  for (const given of raw as ServiceEndpointProjectReference[]) {
    const project = resolveProject(ctx, given?.projectReference?.id || given?.projectReference?.name);
    const name = given.name ?? existing.name;
    const current = refs.find((r) => r.projectReference.id.toLowerCase() === project.id.toLowerCase());
    if (current) {
      if (current.name !== name) throw new VssError(500, 'ServiceEndpointException', 'TF400898: An Internal Error Occurred.');
      continue;
    }
    assertNameFree(ctx, project, name, existing.id);
    refs.push({ projectReference: { id: project.id, name: project.name }, name, description: given.description ?? '' });
  }
  ctx.state.put({ ...existing, serviceEndpointProjectReferences: refs, isShared: refs.length > 1 });
}
