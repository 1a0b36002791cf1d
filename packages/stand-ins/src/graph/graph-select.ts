/**
 * `$select` on a read: Graph answers only the named properties, and says so in `@odata.context`
 * (`#applications(appId,displayName)/$entity`). `id` comes back only when it is named: Microsoft's own examples show
 * `GET /applications?$select=appId,identifierUris,displayName,publisherDomain,signInAudience` answered with exactly
 * those five (application-list.md, "Use $search and $select"), and `GET /users?$select=displayName,userPrincipalName,
 * signInActivity` likewise (user-list.md). OData annotations (`@odata.*`) are kept. A named property the stand-in
 * does not hold is left out [infer: Graph answers a name its schema lacks 400, which the stand-in does not model].
 */
import type { GraphReply } from './graph-reply';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function selectedNames(query: URLSearchParams): string[] | undefined {
  const raw = query.get('$select');
  if (raw === null) return undefined;
  const names = raw.split(',').map((n) => n.trim()).filter((n) => n !== '');
  return names.length > 0 ? names : undefined;
}

function project(entity: Json, names: readonly string[]): Json {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  return Object.fromEntries(Object.entries(entity).filter(([key]) => key.startsWith('@odata.') || wanted.has(key.toLowerCase())));
}

/** `…#applications/$entity` → `…#applications(a,b)/$entity`; `…#applications` → `…#applications(a,b)`. */
function selectedContext(context: unknown, names: readonly string[]): unknown {
  if (typeof context !== 'string' || !context.includes('#')) return context;
  const list = `(${names.join(',')})`;
  return context.endsWith('/$entity') ? `${context.slice(0, -'/$entity'.length)}${list}/$entity` : `${context}${list}`;
}

/** The successful GET's body cut down to what `$select` names; any other reply unchanged. */
export function applySelect(method: string, query: URLSearchParams, reply: GraphReply): GraphReply {
  const names = selectedNames(query);
  if (!names || method !== 'GET' || reply.status !== 200 || !isObject(reply.body)) return reply;
  const body = reply.body;
  const context = '@odata.context' in body ? { '@odata.context': selectedContext(body['@odata.context'], names) } : {};
  if (Array.isArray(body.value)) {
    return { status: 200, body: { ...body, ...context, value: body.value.map((item: unknown) => (isObject(item) ? project(item, names) : item)) } };
  }
  return { status: 200, body: { ...project(body, names), ...context } };
}
