/**
 * Enough of pipeline definitions to name the pipelines that use a connection: `{project}/_apis/build/definitions`
 * (BuildDefinitionReference) and `{project}/_apis/pipelines` (Pipeline), list and get. Execution history records
 * point at these ids (`data.definition.id`).
 */
import { wrapped, type ApiAnswer, type ApiRequest, type HandlerEnv } from './http-types';
import type { PipelineDefinition } from './pipelines';
import type { Project } from './state';
import { argumentNullError, VssError } from './vss-error';

function projectOf(env: HandlerEnv): Project {
  if (!env.ctx.project) throw argumentNullError('project');
  return env.ctx.project;
}

function buildReference(env: HandlerEnv, project: Project, d: PipelineDefinition): Record<string, unknown> {
  const url = `${env.orgUrl}/${project.id}/_apis/build/Definitions/${d.id}?revision=1`;
  return {
    id: d.id, name: d.name, path: d.folder, type: 'build', queueStatus: 'enabled', revision: 1, quality: 'definition',
    url, uri: `vstfs:///Build/Definition/${d.id}`,
    project: { id: project.id, name: project.name, state: 'wellFormed', visibility: 'private', url: `${env.orgUrl}/_apis/projects/${project.id}` },
    _links: { self: { href: url }, web: { href: `${env.orgUrl}/${project.id}/_build/definition?definitionId=${d.id}` } },
  };
}

function pipeline(env: HandlerEnv, project: Project, d: PipelineDefinition): Record<string, unknown> {
  const url = `${env.orgUrl}/${project.id}/_apis/pipelines/${d.id}?revision=1`;
  return {
    id: d.id, name: d.name, folder: d.folder, revision: 1, url,
    _links: { self: { href: url }, web: { href: `${env.orgUrl}/${project.id}/_build/definition?definitionId=${d.id}` } },
  };
}

/** [infer] The service's wording for an unknown definition id; only the status is relied on by clients. */
function definitionNotFound(id: string): VssError {
  return new VssError(404, 'DefinitionNotFoundException', `The requested build definition ${id} could not be found.`, 3000,
    'Microsoft.TeamFoundation.Build.WebApi.DefinitionNotFoundException, Microsoft.TeamFoundation.Build2.WebApi');
}

function findOne(env: HandlerEnv, project: Project, raw: string): PipelineDefinition {
  const found = /^\d+$/.test(raw) ? env.ctx.state.pipelines.definition(project.id, Number(raw)) : undefined;
  if (!found) throw definitionNotFound(raw);
  return found;
}

function filtered(env: HandlerEnv, project: Project, req: ApiRequest): PipelineDefinition[] {
  const name = req.query.get('name')?.toLowerCase();
  const ids = req.query.get('definitionIds')?.split(',').map((s) => Number(s.trim()));
  return env.ctx.state.pipelines.definitions(project.id)
    .filter((d) => !name || d.name.toLowerCase() === name)
    .filter((d) => !ids || ids.includes(d.id));
}

/** `{project}/_apis/build/definitions[/{id}]`. */
export function buildDefinitionsAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer | undefined {
  if (req.method !== 'GET' || req.rest.length > 3) return undefined;
  const project = projectOf(env);
  const id = req.rest[2];
  if (id) return { status: 200, body: buildReference(env, project, findOne(env, project, id)) };
  return { status: 200, body: wrapped(filtered(env, project, req).map((d) => buildReference(env, project, d))) };
}

/** `{project}/_apis/pipelines[/{id}]`. */
export function pipelinesAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer | undefined {
  if (req.method !== 'GET' || req.rest.length > 2) return undefined;
  const project = projectOf(env);
  const id = req.rest[1];
  if (id) return { status: 200, body: { ...pipeline(env, project, findOne(env, project, id)), configuration: { type: 'yaml', path: 'azure-pipelines.yml' } } };
  return { status: 200, body: wrapped(env.ctx.state.pipelines.definitions(project.id).map((d) => pipeline(env, project, d))) };
}
