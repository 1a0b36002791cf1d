/**
 * `{project}/_apis/pipelines/pipelinePermissions[/{resourceType}/{resourceId}]` GET / PATCH / batch PATCH, and the
 * older `{project}/_apis/build/authorizedresources` GET / PATCH (the Azure CLI's `--enable-for-all`), both over one
 * store (pipelines.ts). Shapes: facts lifecycle §2 — `allPipelines` is absent when open access is off, and a PATCH
 * leaves pipelines it does not name unchanged.
 */
import { EMULATOR_IDENTITY } from './context';
import { referencesProject } from './endpoint-view';
import { wrapped, type ApiAnswer, type ApiRequest, type HandlerEnv } from './http-types';
import type { Grant, ResourcePermissions } from './pipelines';
import type { Project } from './state';
import { argumentError, argumentNullError, VssError } from './vss-error';

interface PermissionsBody {
  resource?: { type?: string; id?: string };
  allPipelines?: { authorized?: boolean };
  pipelines?: Array<{ id?: number; authorized?: boolean }>;
}

function grant(env: HandlerEnv): Grant {
  return { authorized: true, authorizedBy: { ...EMULATOR_IDENTITY }, authorizedOn: env.ctx.now.toISOString() };
}

function projectOf(env: HandlerEnv): Project {
  const { project } = env.ctx;
  if (!project) throw argumentNullError('project');
  return project;
}

/** Endpoints must exist in the project; other resource types are stored as given. */
function checkResource(env: HandlerEnv, type: string, id: string): void {
  if (type.toLowerCase() !== 'endpoint') return;
  const endpoint = env.ctx.state.live(id);
  if (!endpoint || !referencesProject(endpoint, projectOf(env))) {
    throw new VssError(404, 'ResourceNotFoundException', `Resource ${id} of type endpoint does not exist or you do not have access to it.`);
  }
}

function view(type: string, id: string, permissions: ResourcePermissions): Record<string, unknown> {
  const pipelines = [...permissions.pipelines.entries()].sort(([a], [b]) => a - b).map(([pipelineId, g]) => ({ id: pipelineId, ...g }));
  return { resource: { type, id }, pipelines, ...(permissions.allPipelines?.authorized ? { allPipelines: permissions.allPipelines } : {}) };
}

function applyPatch(env: HandlerEnv, type: string, id: string, body: PermissionsBody): Record<string, unknown> {
  checkResource(env, type, id);
  const project = projectOf(env);
  const store = env.ctx.state.pipelines;
  const current = store.permissionsOf(project.id, type, id);
  const next: ResourcePermissions = { allPipelines: current.allPipelines, pipelines: new Map(current.pipelines) };
  if (typeof body.allPipelines?.authorized === 'boolean') {
    next.allPipelines = body.allPipelines.authorized ? grant(env) : undefined;
  }
  for (const p of body.pipelines ?? []) {
    if (typeof p.id !== 'number') throw argumentNullError('pipelines.id');
    if (p.authorized === false) next.pipelines.delete(p.id);
    else next.pipelines.set(p.id, grant(env));
  }
  store.setPermissions(project.id, type, id, next);
  return view(type, id, next);
}

function asObject(body: unknown): PermissionsBody {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw argumentNullError('resourceAuthorization');
  return body as PermissionsBody;
}

export function pipelinePermissionsAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer | undefined {
  const [, , type, id] = req.rest;
  if (req.rest.length === 2 && req.method === 'PATCH') {
    if (!Array.isArray(req.body)) throw argumentNullError('resourceAuthorizations');
    const answers = req.body.map((b) => {
      const one = asObject(b);
      if (!one.resource?.type || !one.resource.id) throw argumentNullError('resource');
      return applyPatch(env, one.resource.type, one.resource.id, one);
    });
    return { status: 200, body: wrapped(answers) };
  }
  if (req.rest.length !== 4 || !type || !id) return undefined;
  if (req.method === 'GET') {
    checkResource(env, type, id);
    return { status: 200, body: view(type, id, env.ctx.state.pipelines.permissionsOf(projectOf(env).id, type, id)) };
  }
  if (req.method === 'PATCH') return { status: 200, body: applyPatch(env, type, id, asObject(req.body)) };
  return undefined;
}

interface DefinitionResourceReference { authorized?: boolean; id?: string; name?: string; type?: string }

/** The build API's view: resources open to every pipeline in the project (DefinitionResourceReference). */
export function authorizedResourcesAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer | undefined {
  const project = projectOf(env);
  const store = env.ctx.state.pipelines;
  const nameOf = (type: string, id: string) => (type === 'endpoint' ? env.ctx.state.live(id)?.name : undefined) ?? id;
  if (req.method === 'GET') {
    const type = req.query.get('type') ?? undefined;
    const id = req.query.get('id')?.toLowerCase();
    const open = store.openResources(project.id, type).filter((r) => !id || r.id === id);
    return { status: 200, body: wrapped(open.map((r) => ({ authorized: true, id: r.id, name: nameOf(r.type, r.id), type: r.type }))) };
  }
  if (req.method !== 'PATCH') return undefined;
  if (!Array.isArray(req.body)) throw argumentNullError('resources');
  const answers = (req.body as DefinitionResourceReference[]).map((r) => {
    if (!r?.id || !r.type) throw argumentError('Each resource needs an id and a type.');
    applyPatch(env, r.type, r.id, { allPipelines: { authorized: r.authorized !== false } });
    return { authorized: r.authorized !== false, id: r.id, name: r.name ?? nameOf(r.type, r.id), type: r.type };
  });
  return { status: 200, body: wrapped(answers) };
}
