/**
 * Routing on method + path, case-insensitively (the spec's own examples use `serviceEndpoint/Endpoints`), with
 * the project taken by name or id. Write routes answer at org and project level alike (facts §2 notes).
 */
import { checkApiVersion, requestedVersion } from './api-version';
import { connectionDataAnswer, optionsAnswer, projectsAnswer, resourceAreasAnswer, typesAnswer } from './discovery-handlers';
import { buildDefinitionsAnswer, pipelinesAnswer } from './definitions-handlers';
import { addExecutionRecordsAnswer, endpointsAnswer, executionHistoryAnswer } from './endpoint-handlers';
import { auditActionsAnswer, auditLogAnswer } from './audit-handlers';
import { authorizedResourcesAnswer, pipelinePermissionsAnswer } from './pipeline-permissions-handlers';
import { migrateFederatedCredential } from './federated-migration';
import { roleAssignmentsAnswer } from './role-assignments';
import { identitiesAnswer } from './identity-handlers';
import { endpointProxyAnswer } from './endpoint-proxy';
import type { ApiAnswer, ApiRequest, HandlerEnv } from './http-types';
import { projectNotFound, VssError } from './vss-error';

export interface SplitPath {
  organization: string;
  project?: string;
  rest: string[];
}

export function splitPath(pathname: string): SplitPath | undefined {
  let segments: string[];
  try {
    segments = pathname.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  const [organization, second, third] = segments;
  if (!organization) return undefined;
  if (second?.toLowerCase() === '_apis') return { organization, rest: segments.slice(2) };
  if (second && third?.toLowerCase() === '_apis') return { organization, project: second, rest: segments.slice(3) };
  return undefined;
}

/**
 * A route nobody serves: the service's web stack answers 404 with this wrapped HttpException (eventId 0) rather
 * than an HTML page [obs: the reply third-party SDK users report for unknown endpoints].
 */
export function notFound(path: string): VssError {
  return new VssError(404, 'HttpException', `The controller for path '${path}' was not found or does not implement IController.`, 0, 'System.Web.HttpException, System.Web');
}

function dispatch(env: HandlerEnv, req: ApiRequest): ApiAnswer | undefined {
  const [a = '', b = '', c = ''] = req.rest.map((s) => s.toLowerCase());
  const n = req.rest.length;
  if (a === 'resourceareas' && n <= 2 && !req.project && req.method === 'GET') return resourceAreasAnswer(env, req.rest[1]);
  if (a === 'connectiondata' && n === 1 && !req.project && req.method === 'GET') return connectionDataAnswer(env);
  if (a === 'projects' && !req.project && n <= 2 && req.method === 'GET') return projectsAnswer(env, req);
  if (a === 'securityroles' && !req.project) return roleAssignmentsAnswer(env, req);
  if (a === 'identities') return identitiesAnswer(env, req);
  if (a === 'audit' && n === 2 && !req.project && req.method === 'GET' && b === 'auditlog') return auditLogAnswer(env, req);
  if (a === 'audit' && n === 2 && !req.project && req.method === 'GET' && b === 'actions') return auditActionsAnswer(env, req);
  if (a === 'public' && b === 'serviceendpoint' && c === 'externalfederatedcredentialmigration' && n === 3 && !req.project && req.method === 'POST') {
    return migrateFederatedCredential(env.ctx, { authScheme: req.authScheme, body: req.body, organization: env.organization });
  }
  if (req.project && a === 'build' && b === 'authorizedresources' && n === 2) return authorizedResourcesAnswer(env, req);
  if (req.project && a === 'build' && b === 'definitions') return buildDefinitionsAnswer(env, req);
  if (req.project && a === 'pipelines' && b === 'pipelinepermissions') return pipelinePermissionsAnswer(env, req);
  if (req.project && a === 'pipelines') return pipelinesAnswer(env, req);
  if (a !== 'serviceendpoint') return undefined;
  if (b === 'endpoints' && n <= 3) return endpointsAnswer(env, req);
  if (b === 'types' && n === 2 && (req.method === 'GET' || req.method === 'POST')) return typesAnswer(env, req);
  if (c === 'executionhistory' && n === 3 && req.project && req.method === 'GET') return executionHistoryAnswer(env, req);
  if (b === 'executionhistory' && n === 2 && req.project && req.method === 'POST') return addExecutionRecordsAnswer(env, req);
  if (b === 'endpointproxy' && n === 2 && req.project && req.method === 'POST') return endpointProxyAnswer(env.ctx, req);
  return undefined;
}

/** Answers one API request; throws VssError for every refusal. `env.ctx.project` is filled in here. */
export function route(env: HandlerEnv, req: ApiRequest, path: string, accept: string | undefined): ApiAnswer {
  if (req.method === 'OPTIONS' && req.rest.length <= 1 && !req.project) {
    const answer = optionsAnswer(req.rest[0]);
    if (answer) return answer;
    throw notFound(path);
  }
  checkApiVersion(req.method, requestedVersion(req.query, accept));
  if (req.project) {
    const project = env.ctx.state.project(req.project);
    if (!project) throw projectNotFound(req.project);
    env.ctx.project = project;
  }
  const answer = dispatch(env, req);
  if (!answer) throw notFound(path);
  return answer;
}
