import { nameInProject, type ServiceEndpoint } from '../domain/endpoint';
import type { CommandContext } from './command';
import { closestMatches } from './closest';
import { outsideText } from '../cards/outside-text';
import { warningReply } from '../cards/message-view';
import type { Reply } from '../cards/card';

export interface Match {
  project: string;
  endpoint: ServiceEndpoint;
}

export type Lookup =
  | ({ kind: 'found' } & Match)
  | { kind: 'ambiguous'; matches: Match[] }
  | { kind: 'missing'; suggestions: Match[] }
  /** A tap pinned to a connection id that is gone, renamed, or not in the project the button named. */
  | { kind: 'unpinned'; connectionId: string; now?: string };

/** Suggestions drawn as buttons at most (message cards carry five). */
const SUGGESTIONS_MAX = 4;

/**
 * Find a connection by name across projects, in parallel. The same connection shared into several projects is
 * one match (same id); different connections with that name in different projects are ambiguous. A turn pinned to
 * a connection id (a card button) finds that id or nothing: never a name search.
 */
export async function findConnection(ctx: CommandContext, projects: readonly string[], name: string): Promise<Lookup> {
  if (ctx.pinned) return pinnedConnection(ctx, ctx.pinned.connectionId, projects, name);
  const hits = await Promise.all(projects.map(async (project) => ({ project, endpoint: await ctx.endpoints.getByName(project, name, { includeFailed: true }) })));
  const found = hits.filter((h): h is Match => h.endpoint !== null);
  const distinct = new Map<string, Match>();
  for (const hit of found) if (!distinct.has(hit.endpoint.id.toLowerCase())) distinct.set(hit.endpoint.id.toLowerCase(), hit);
  const matches = [...distinct.values()];
  const first = matches[0];
  if (matches.length === 1 && first) return { kind: 'found', ...first };
  if (matches.length > 1) return { kind: 'ambiguous', matches: found };
  // Only on a miss: list names to suggest the closest ones (the common path stays one call per project).
  const lists = await Promise.all(projects.map(async (project) => (await ctx.endpoints.list(project, { includeFailed: true })).map((endpoint) => ({ project, endpoint }))));
  const everyone = lists.flat();
  const closest = closestMatches(name, everyone.map((m) => m.endpoint.name)).map((n) => n.toLowerCase());
  // Each suggestion is a connection (id and project), so its button acts on that one.
  const suggestions = closest.flatMap((n) => everyone.filter((m) => m.endpoint.name.toLowerCase() === n));
  return { kind: 'missing', suggestions: suggestions.slice(0, SUGGESTIONS_MAX) };
}

/**
 * The connection a button was drawn for: read by id in the projects the command names, and still called exactly
 * what the button says (the user saw that name). Anything else is `unpinned`, and nothing is acted on.
 */
async function pinnedConnection(ctx: CommandContext, connectionId: string, projects: readonly string[], name: string): Promise<Lookup> {
  const wanted = connectionId.toLowerCase();
  const hits = await Promise.all(projects.map(async (project) => ({ project, endpoint: await ctx.endpoints.get(project, connectionId) })));
  const hit = hits.find((h): h is Match => h.endpoint !== null && h.endpoint.id.toLowerCase() === wanted);
  if (!hit) return { kind: 'unpinned', connectionId };
  // A shared connection may be named differently in each project: the button shows the name where it was drawn.
  if (hit.endpoint.name !== name && nameInProject(hit.endpoint, hit.project) !== name) return { kind: 'unpinned', connectionId, now: nameInProject(hit.endpoint, hit.project) };
  return { kind: 'found', ...hit };
}

/** The answer to a pinned tap that found nothing to act on: what happened, and that nothing was done. */
export function unpinnedReply(connectionId: string, now?: string): Reply {
  const what = now === undefined ? 'which is not there any more (or not in that project)' : `which is now called "${outsideText(now, 80)}"`;
  return warningReply(`This button was made for connection ${connectionId}, ${what}: I did nothing.`, ['Say `list all` to see the connections as they are now.']);
}
