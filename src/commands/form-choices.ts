/**
 * The reads a form's choices are made of, for this conversation: `ctx` is already narrowed by the policy file
 * (policy-request-gate.ts), so a project or connection the conversation may not read is never offered. Shared by
 * the operations' forms (src/operations/<op>/<op>.form.ts).
 */
import type { ServiceEndpoint } from '../domain/endpoint';
import type { FormChoice } from '../cards/form-view';
import { CHOICES_MAX } from '../cards/form-view';
import type { CommandContext, Reply } from './command';
import { ok, type Result } from '../domain/errors';
import { projectOf } from './mutating';
import { resolveProjects } from './projects';
import { mayReadProject } from './visible';

export interface ScopedConnection {
  endpoint: ServiceEndpoint;
  project: { id: string; name: string };
}

/** The projects the bot looks at that this conversation may read, by name. */
export async function projectChoices(ctx: CommandContext): Promise<FormChoice[]> {
  const scope = await resolveProjects(ctx, undefined, (p) => p);
  return scope.ok ? visibleOnly(ctx, scope.value).map((name) => ({ title: name, value: name })) : [];
}

function visibleOnly(ctx: CommandContext, projects: readonly string[]): string[] {
  return projects.filter((p) => mayReadProject(ctx, p));
}

/**
 * The connections in scope (or in `project`), once each (a shared one is listed in every project it is in), by
 * name; `includeFailed`: failed ones too (a pick-list for rotate or delete). An unknown project: its usual answer.
 */
export async function scopedConnections(ctx: CommandContext, project: string | undefined, options: { includeFailed?: true; retry?: (project: string) => string } = {}): Promise<Result<ScopedConnection[], Reply>> {
  const { includeFailed, retry = (p: string) => p } = options;
  const scope = await resolveProjects(ctx, project, retry);
  if (!scope.ok) return scope;
  const lists = await Promise.all(visibleOnly(ctx, scope.value).map(async (p) => (await ctx.endpoints.list(p, includeFailed ? { includeFailed } : {})).map((endpoint) => ({ endpoint, project: projectOf(endpoint, p) }))));
  const seen = new Set<string>();
  return ok(lists.flat()
    .filter((c) => !seen.has(c.endpoint.id.toLowerCase()) && seen.add(c.endpoint.id.toLowerCase()))
    .sort((a, b) => a.endpoint.name.localeCompare(b.endpoint.name) || a.project.name.localeCompare(b.project.name)));
}

/** The connections a form offers; none when the project named is not one the bot looks at. */
export async function connectionsInScope(ctx: CommandContext, project?: string): Promise<ScopedConnection[]> {
  const found = await scopedConnections(ctx, project);
  return found.ok ? found.value : [];
}

/** Connection names to pick from (the name is what the command line says; the project when several share it). */
export function connectionChoices(connections: readonly ScopedConnection[]): FormChoice[] {
  const names = [...new Set(connections.map((c) => c.endpoint.name))].sort((a, b) => a.localeCompare(b));
  return names.slice(0, CHOICES_MAX).map((name) => ({ title: name, value: name }));
}

/** The pipelines of a project this conversation may read, by name; none for a project it may not (or none named). */
export async function pipelineChoices(ctx: CommandContext, project: string | undefined): Promise<FormChoice[]> {
  if (!project) return [];
  const allowed = (await projectChoices(ctx)).find((p) => p.value.toLowerCase() === project.toLowerCase());
  if (!allowed) return [];
  return (await ctx.pipelines.pipelines(allowed.value)).slice(0, CHOICES_MAX).map((p) => ({ title: p.name, value: p.name }));
}
