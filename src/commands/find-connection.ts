import type { ServiceEndpoint } from '../domain/endpoint';
import type { CommandContext } from './command';
import { closestMatches } from './closest';

export type Lookup =
  | { kind: 'found'; project: string; endpoint: ServiceEndpoint }
  | { kind: 'ambiguous'; matches: { project: string; endpoint: ServiceEndpoint }[] }
  | { kind: 'missing'; suggestions: string[] };

/**
 * Find a connection by name across projects, in parallel. The same connection shared into several projects is
 * one match (same id); different connections with that name in different projects are ambiguous.
 */
export async function findConnection(ctx: CommandContext, projects: readonly string[], name: string): Promise<Lookup> {
  const hits = await Promise.all(projects.map(async (project) => ({ project, endpoint: await ctx.endpoints.getByName(project, name, { includeFailed: true }) })));
  const found = hits.filter((h): h is { project: string; endpoint: ServiceEndpoint } => h.endpoint !== null);
  const distinct = new Map<string, { project: string; endpoint: ServiceEndpoint }>();
  for (const hit of found) if (!distinct.has(hit.endpoint.id.toLowerCase())) distinct.set(hit.endpoint.id.toLowerCase(), hit);
  const matches = [...distinct.values()];
  const first = matches[0];
  if (matches.length === 1 && first) return { kind: 'found', ...first };
  if (matches.length > 1) return { kind: 'ambiguous', matches: found };
  // Only on a miss: list names to suggest the closest ones (the common path stays one call per project).
  const lists = await Promise.all(projects.map((p) => ctx.endpoints.list(p, { includeFailed: true })));
  return { kind: 'missing', suggestions: closestMatches(name, lists.flat().map((e) => e.name)) };
}
