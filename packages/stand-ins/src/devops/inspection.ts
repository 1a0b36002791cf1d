/**
 * `GET {orgUrl}/_emulator/requests`: the request log over HTTP, for a test or operator in another process (the
 * crash drill counts PUTs while the bot is killed and restarted). Loopback callers only; the inspection requests
 * themselves are not logged, so reading the log never changes it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send, sendError } from './http-io';
import type { RequestLog } from './request-log';
import { VssError } from './vss-error';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** True when the path is the inspection route of this organization (`/{org}/_emulator/…`). */
export function isInspectionPath(pathname: string, organization: string): boolean {
  const [org, area] = pathname.split('/').filter((s) => s.length > 0);
  return org?.toLowerCase() === organization.toLowerCase() && area === '_emulator';
}

export function answerInspection(req: IncomingMessage, res: ServerResponse, url: URL, log: RequestLog): void {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
    return sendError(res, new VssError(403, 'UnauthorizedRequestException', 'The emulator inspection routes answer loopback callers only.'));
  }
  const tail = url.pathname.split('/').filter((s) => s.length > 0).slice(2);
  if ((req.method ?? 'GET').toUpperCase() !== 'GET' || tail.length !== 1 || tail[0] !== 'requests') {
    return sendError(res, new VssError(404, 'ApiResourceNotFoundException', `The emulator inspection route ${url.pathname} does not exist; GET _emulator/requests does.`));
  }
  const served = log.entries().map((e) => ({ method: e.method, path: e.path, query: e.query }));
  send(res, 200, served);
}
