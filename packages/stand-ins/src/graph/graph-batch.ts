/**
 * Graph JSON batching (POST /v1.0/$batch, learn.microsoft.com/graph/json-batching): up to 20 requests in one body,
 * each answered in `responses` with its own id, status, headers and body; the batch itself answers 200 whatever
 * the parts did. A throttled part is a 429 part with its own Retry-After header, the rest of the batch unharmed.
 * Each part runs through the same routes, as the same caller, as if it had been sent alone.
 */
import type { GraphReply } from './graph-reply';
import { GraphError, graphErrors } from './graph-errors';

export const BATCH_MAX_REQUESTS = 20;

export interface BatchPart {
  id: string;
  method: string;
  /** Relative to the version: `/applications?$filter=…` or `applications(appId='…')`. */
  url: string;
  body?: unknown;
}

export interface BatchContext {
  /** Answers one part (errors as Graph's envelope): `path` percent-decoded and prefixed with /v1.0, as alone. */
  route(method: string, path: string, query: URLSearchParams, body: unknown): GraphReply;
  /** True when this part is to be throttled (the stand-in's fault knob), consumed per part. */
  throttlePart(): { retryAfterSeconds: number } | undefined;
  /** The error envelope of a failed part, dated now. */
  errorBody(error: GraphError): object;
}

function parts(body: unknown): BatchPart[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw graphErrors.badBody('The batch request must contain a non-empty "requests" array.');
  if (requests.length > BATCH_MAX_REQUESTS) throw graphErrors.badBody(`The number of batch requests exceeds the limit of ${BATCH_MAX_REQUESTS}.`);
  const ids = new Set<string>();
  return requests.map((r: unknown) => {
    const part = (r ?? {}) as Record<string, unknown>;
    if (typeof part.id !== 'string' || typeof part.method !== 'string' || typeof part.url !== 'string') {
      throw graphErrors.badBody('Each batch request needs string "id", "method" and "url".');
    }
    if (ids.has(part.id)) throw graphErrors.badBody(`The batch request id '${part.id}' is used more than once.`);
    ids.add(part.id);
    return { id: part.id, method: part.method.toUpperCase(), url: part.url, body: part.body };
  });
}

function answerPart(ctx: BatchContext, part: BatchPart): { id: string; status: number; headers: Record<string, string>; body?: unknown } {
  const throttled = ctx.throttlePart();
  if (throttled) {
    const error = new GraphError(429, 'TooManyRequests', 'Too many requests.');
    return { id: part.id, status: 429, headers: { 'Retry-After': String(throttled.retryAfterSeconds), 'Content-Type': 'application/json' }, body: ctx.errorBody(error) };
  }
  const url = new URL(part.url.replace(/^\/?/, '/v1.0/'), 'https://graph.microsoft.com');
  // A nested batch is refused, as Graph does.
  if (/^\/v1\.0\/\$batch$/i.test(url.pathname)) {
    return { id: part.id, status: 400, headers: { 'Content-Type': 'application/json' }, body: ctx.errorBody(graphErrors.badBody('A batch request cannot contain another batch.')) };
  }
  const reply = ctx.route(part.method, decodeURIComponent(url.pathname), url.searchParams, part.body ?? null);
  return { id: part.id, status: reply.status, headers: reply.body === undefined ? {} : { 'Content-Type': 'application/json' }, ...(reply.body === undefined ? {} : { body: reply.body }) };
}

/** The whole batch: 200 with one response per part, or 400 when the batch itself is malformed. */
export function routeBatch(ctx: BatchContext, body: unknown): GraphReply {
  return { status: 200, body: { responses: parts(body).map((part) => answerPart(ctx, part)) } };
}
