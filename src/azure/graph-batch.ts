/**
 * Microsoft Graph JSON batching (POST /v1.0/$batch, learn.microsoft.com/graph/json-batching): up to 20 requests
 * per call, each answered with its own status. A throttled part answers 429 with its own Retry-After; those parts
 * are sent again (in the next batch, after the longest wait asked for), the others are done.
 */
import { isAppError, type AppError } from '../domain/errors';
import type { GraphClient } from './graph-client';
import { graphError } from './graph-errors';
import { systemClock } from '../domain/time';

/** Graph's limit of requests in one batch. */
export const BATCH_MAX = 20;
/** Rounds of re-sending throttled parts before they count as unavailable. */
const THROTTLE_ROUNDS = 3;
/** A Retry-After longer than this is not waited for inside one scan: the part is reported unavailable. */
const MAX_WAIT_MS = 30_000;

export interface BatchGet {
  id: string;
  /** Relative to the version, e.g. `/applications?$filter=…`. */
  url: string;
}

/** A part's answer, or the error it met (its own status, or the failure of the batch call that carried it). */
export type BatchAnswer = { status: number; body: unknown } | { error: AppError };

interface Part {
  id: string;
  /** Set when the batch call carrying this part failed as a whole. */
  error?: AppError;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}


function retryAfterMs(headers: Record<string, string> | undefined): number {
  const value = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}

/**
 * GETs in batches of 20, at most `maxCalls` batch calls. Answers every part it sent; parts never sent because the
 * calls ran out are in `unsent`. Throttled parts are re-sent up to THROTTLE_ROUNDS times, then answered GRAPH.UNAVAILABLE.
 */
export async function batchGets(graph: GraphClient, operation: string, gets: readonly BatchGet[], maxCalls: number): Promise<{ answers: Map<string, BatchAnswer>; unsent: string[]; calls: number }> {
  const answers = new Map<string, BatchAnswer>();
  let queue = [...gets];
  let calls = 0;
  for (let round = 0; queue.length > 0 && calls < maxCalls; round += 1) {
    const throttled: Array<{ get: BatchGet; waitMs: number }> = [];
    while (queue.length > 0 && calls < maxCalls) {
      const chunk = queue.splice(0, BATCH_MAX);
      calls += 1;
      for (const [get, part] of await sendBatch(graph, operation, chunk)) {
        if (part.status === 429 && round < THROTTLE_ROUNDS) throttled.push({ get, waitMs: retryAfterMs(part.headers) });
        else answers.set(get.id, answerOf(operation, part));
      }
    }
    const waitMs = Math.max(0, ...throttled.map((t) => t.waitMs));
    if (waitMs > MAX_WAIT_MS) {
      for (const t of throttled) answers.set(t.get.id, { error: graphError(operation, 429, undefined, String(waitMs / 1000)) });
      break;
    }
    if (throttled.length > 0 && calls < maxCalls) await systemClock.sleep(waitMs);
    queue = [...throttled.map((t) => t.get), ...queue];
  }
  return { answers, unsent: queue.map((g) => g.id), calls };
}

function answerOf(operation: string, part: Part): BatchAnswer {
  if (part.error) return { error: part.error };
  const status = part.status ?? 0;
  if (status >= 200 && status < 300) return { status, body: part.body };
  const retryAfter = Object.entries(part.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  return { error: graphError(operation, status, part.body === undefined ? undefined : JSON.stringify(part.body), retryAfter) };
}

/** One batch call; its own failure (transport, 401, 5xx after the pipeline's retries) is every part's answer. */
async function sendBatch(graph: GraphClient, operation: string, chunk: readonly BatchGet[]): Promise<Array<[BatchGet, Part]>> {
  try {
    const reply = await graph.call({ operation, method: 'POST', path: '/v1.0/$batch', body: { requests: chunk.map((g) => ({ id: g.id, method: 'GET', url: g.url })) } });
    const responses = (JSON.parse(reply.bodyAsText ?? '{}') as { responses?: Part[] }).responses ?? [];
    const byId = new Map(responses.map((r) => [String(r.id), r]));
    // A part the batch did not answer is a server fault, not an empty app.
    return chunk.map((g) => [g, byId.get(g.id) ?? { id: g.id, status: 502 }]);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return chunk.map((g) => [g, { id: g.id, error }]);
  }
}
