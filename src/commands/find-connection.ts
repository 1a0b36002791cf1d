import { nameInProject, type ServiceEndpoint } from '../domain/endpoint';
import type { CommandContext } from './command';
import { mayReadConnection } from './visible';
import { closestMatches } from './closest';
import { outsideText } from '../cards/outside-text';
import { warningReply } from '../cards/message-view';
import type { Reply } from '../cards/card';
import { isAppError } from '../domain/errors';
import { locateName } from '../inventory/inventory-answers';

export interface Match {
  project: string;
  endpoint: ServiceEndpoint;
  /** Found by reading every project: the inventory did not know the name (the answer says it took longer). */
  searched?: true;
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
  const named = await byName(ctx, projects, name);
  if (named.kind !== 'missing') return named;
  // Only on a miss: list names to suggest the closest ones (the common path stays one call per project).
  const lists = await Promise.all(projects.map(async (project) => (await ctx.endpoints.list(project, { includeFailed: true })).map((endpoint) => ({ project, endpoint }))));
  const everyone = lists.flat();
  const closest = closestMatches(name, everyone.map((m) => m.endpoint.name)).map((n) => n.toLowerCase());
  // Each suggestion is a connection (id and project), so its button acts on that one.
  const suggestions = closest.flatMap((n) => everyone.filter((m) => m.endpoint.name.toLowerCase() === n));
  return { kind: 'missing', suggestions: suggestions.slice(0, SUGGESTIONS_MAX) };
}

/** The name read live in each of `projects`: one connection (shared ones are one), several, or none. */
async function byName(ctx: CommandContext, projects: readonly string[], name: string): Promise<Lookup> {
  const hits = await Promise.all(projects.map(async (project) => ({ project, endpoint: await ctx.endpoints.getByName(project, name, { includeFailed: true }) })));
  const found = hits.filter((h): h is Match => h.endpoint !== null);
  const distinct = new Map<string, Match>();
  for (const hit of found) if (!distinct.has(hit.endpoint.id.toLowerCase())) distinct.set(hit.endpoint.id.toLowerCase(), hit);
  const matches = [...distinct.values()];
  const first = matches[0];
  if (matches.length === 1 && first) return { kind: 'found', ...first };
  if (matches.length > 1) return { kind: 'ambiguous', matches: found };
  return { kind: 'missing', suggestions: [] };
}

/**
 * The connection through the inventory's name → project index (issue 24 §3): only the projects that hold the name
 * (for a pinned tap, the id) are read, live, so what a command acts on is what the service says now. Undefined when
 * the index does not know it or knew it wrongly (renamed, deleted, moved since): the caller then searches every
 * project as before. `requested`: the project the command names (a pinned tap's), which the index must agree with.
 */
export async function findIndexed(ctx: CommandContext, name: string, requested: string | undefined): Promise<Lookup | undefined> {
  const projects = indexedProjects(ctx, name, requested);
  if (projects.length === 0) return undefined;
  try {
    const lookup = ctx.pinned ? await pinnedConnection(ctx, ctx.pinned.connectionId, projects.slice(0, 1), name) : await byName(ctx, projects, name);
    // Nothing where the index said: it is behind the service. A pinned tap whose connection was renamed is an answer.
    return lookup.kind === 'missing' || (lookup.kind === 'unpinned' && lookup.now === undefined) ? undefined : lookup;
  } catch (error) {
    // A project gone, or no longer readable by the bot: the search over the projects as they are now decides.
    if (isAppError(error) && (error.code === 'DEVOPS.NOT_FOUND' || error.code === 'DEVOPS.FORBIDDEN')) return undefined;
    throw error;
  }
}

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The projects the index places the name (a pinned tap: its connection id) in, among those the bot looks at. */
function indexedProjects(ctx: CommandContext, name: string, requested: string | undefined): string[] {
  const view = ctx.inventory.view;
  const pin = ctx.pinned;
  const located = pin ? undefined : locateName(view, name, ctx.projects);
  const where = pin
    ? view.connection(pin.connectionId).filter((m) => pin.projectId === undefined || sameId(m.projectId, pin.projectId))
    : located?.kind === 'known' ? located.matches : [];
  return where
    .filter((m) => allowed(ctx, m.projectId) && mayReadConnection(ctx, { project: { id: m.projectId, name: m.projectName }, connection: { name } }) && (requested === undefined || sameId(m.projectId, requested) || sameId(m.projectName, requested)))
    .map((m) => m.projectName);
}

/** A project the bot looks at: any it listed when none are configured, else a configured one (by name or id). */
function allowed(ctx: CommandContext, projectId: string): boolean {
  return ctx.projects.length === 0 || ctx.projects.some((p) => sameId(p, projectId) || sameId(ctx.inventory.view.projectRef(p)?.id ?? '', projectId));
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
