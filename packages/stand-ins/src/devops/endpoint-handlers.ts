/** HTTP ⇄ rules for `_apis/serviceendpoint/endpoints[/{id}]` and `_apis/serviceendpoint/{id}/executionhistory`. */
import type { ServiceEndpoint } from '../wire/service-endpoint';
import { createEndpoint, deleteEndpoint, shareEndpoint, updateEndpoint, updateEndpoints } from './endpoint-rules';
import { checkActionFilter, listFilter, matchesFilter, referencesProject, wireView } from './endpoint-view';
import { wrapped, type ApiAnswer, type ApiRequest, type HandlerEnv } from './http-types';
import type { RuleContext } from './context';
import type { ExecutionRecordJson } from './state';
import { argumentNullError, endpointNotFound, VssError } from './vss-error';

const DEFAULT_HISTORY_PAGE = 50;

function visible(env: HandlerEnv): ServiceEndpoint[] {
  const { project, state } = env.ctx;
  return (project ? state.liveIn(project.id) : state.liveAll()).map((e) => wireView(e, project));
}

function list(env: HandlerEnv, req: ApiRequest): ApiAnswer {
  const filter = listFilter(req.query);
  return { status: 200, body: wrapped(visible(env).filter((v) => matchesFilter(v, filter))) };
}

/** Unknown (or not visible) id → 200 with a null body, not 404 (vsts-rest-api-specs#285). */
function details(env: HandlerEnv, req: ApiRequest, id: string): ApiAnswer {
  checkActionFilter(req.query.get('actionFilter'));
  const { project, state } = env.ctx;
  const endpoint = state.live(id);
  if (!endpoint || (project && !referencesProject(endpoint, project))) return { status: 200, body: null };
  return { status: 200, body: wireView(endpoint, project) };
}

/** POST {project}/…/endpoints?endpointIds= (refresh OAuth tokens): nothing to refresh here, so it returns them. */
function refreshed(env: HandlerEnv, req: ApiRequest): ApiAnswer {
  const ids = (req.query.get('endpointIds') ?? '').toLowerCase().split(',');
  return { status: 200, body: wrapped(visible(env).filter((v) => ids.includes(v.id.toLowerCase()))) };
}

function methodNotAllowed(method: string): VssError {
  return new VssError(405, 'RouteMethodNotAllowedException', `The requested resource does not support http method '${method}'.`);
}

const bodyIds = (body: unknown): string[] => (Array.isArray(body) ? body.map((b) => String((b as { id?: unknown } | null)?.id ?? '')) : []);

/** A PUT of these ids, written to the audit log with what changed (endpoint-audit.ts) once it succeeded. */
function audited<T>(ctx: RuleContext, ids: readonly string[], update: () => T): T {
  const before = ids.map((id) => ctx.state.endpoint(id));
  const result = update();
  before.forEach((b) => {
    const after = b && ctx.state.endpoint(b.id);
    if (b && after) ctx.state.endpointAudit.updated(ctx.caller, b, after, ctx.project?.id);
  });
  return result;
}

export function endpointsAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer {
  const id = req.rest[2];
  const { ctx } = env;
  switch (req.method) {
    case 'GET':
      return id ? details(env, req, id) : list(env, req);
    case 'POST': {
      if (id) throw methodNotAllowed(req.method);
      if (ctx.project && req.query.get('endpointIds')) return refreshed(env, req);
      const created = createEndpoint(ctx, req.body);
      ctx.state.endpointAudit.created(ctx.caller, created);
      return { status: 200, body: wireView(created, ctx.project) };
    }
    case 'PUT':
      if (!id) return { status: 200, body: wrapped(audited(ctx, bodyIds(req.body), () => updateEndpoints(ctx, req.body))) };
      return { status: 200, body: audited(ctx, [id], () => updateEndpoint(ctx, id, req.body, req.query.get('operation'))) };
    case 'DELETE': {
      if (!id) throw methodNotAllowed(req.method);
      const before = ctx.state.endpoint(id);
      deleteEndpoint(ctx, id, req.query);
      if (before) ctx.state.endpointAudit.deleted(ctx.caller, before, ctx.state.endpoint(id));
      return { status: 204 };
    }
    case 'PATCH': {
      if (!id) throw methodNotAllowed(req.method);
      const before = ctx.state.endpoint(id);
      shareEndpoint(ctx, id, req.body);
      const after = ctx.state.endpoint(id);
      if (before && after) ctx.state.endpointAudit.shared(ctx.caller, before, after);
      return { status: 204 };
    }
    default:
      throw methodNotAllowed(req.method);
  }
}

/** Newest first; `continuationToken` is the id of the last record seen, echoed in x-ms-continuationtoken. */
export function executionHistoryAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer {
  const id = req.rest[1] ?? '';
  const { project, state } = env.ctx;
  const endpoint = state.live(id);
  if (!endpoint || (project && !referencesProject(endpoint, project))) return { status: 200, body: wrapped([]) };
  const token = Number(req.query.get('continuationToken') ?? 0) || 0;
  const top = Number(req.query.get('top') ?? 0) || DEFAULT_HISTORY_PAGE;
  const records = state.executionHistory(id)
    .map((r) => ({ ...r, endpointId: r.endpointId ?? endpoint.id }))
    .sort((a, b) => b.data.id - a.data.id)
    .filter((r) => token <= 0 || r.data.id < token);
  const page = records.slice(0, top);
  const last = page[page.length - 1];
  const headers: Record<string, string> = records.length > page.length && last ? { 'x-ms-continuationtoken': String(last.data.id) } : {};
  return { status: 200, body: wrapped(page), headers };
}

/**
 * POST {project}/_apis/serviceendpoint/executionhistory (location 55b9ed4b): how pipelines record that they used
 * connections — `{ data: ServiceEndpointExecutionData, endpointIds }`, one record per connection (ids numbered on),
 * which is also what keeps a connection from the automatic disable.
 */
export function addExecutionRecordsAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer {
  const input = req.body as { data?: Record<string, unknown>; endpointIds?: unknown } | undefined;
  if (!input?.data || typeof input.data !== 'object') throw argumentNullError('input.Data');
  if (!Array.isArray(input.endpointIds) || input.endpointIds.length === 0) throw argumentNullError('input.EndpointIds');
  const { project, state } = env.ctx;
  const added = input.endpointIds.map((raw) => {
    const endpoint = state.live(String(raw));
    if (!endpoint || (project && !referencesProject(endpoint, project))) throw endpointNotFound(String(raw));
    const next = Math.max(0, ...state.executionHistory(endpoint.id).map((r) => r.data.id)) + 1;
    const record = { endpointId: endpoint.id, data: { ...structuredClone(input.data), id: next } } as ExecutionRecordJson;
    state.addExecutionRecords(endpoint.id, [record]);
    return record;
  });
  return { status: 200, body: wrapped(added) };
}
