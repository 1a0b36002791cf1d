/**
 * Limits on the HTTP server, so slow or many clients cannot hold the bot's sockets: Node's defaults let a client
 * that dribbles its body keep a socket for 300 s, and accept connections without bound.
 */
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpLimits {
  /** Time to receive a request's headers (from connect, or from the previous response on keep-alive). */
  headersTimeoutMs: number;
  /** Time to receive a whole request, headers and body. */
  requestTimeoutMs: number;
  /** Idle time of a kept-alive socket between requests (the Bot Connector reuses sockets). */
  keepAliveTimeoutMs: number;
  /** Open sockets at most; further connections are closed at once. */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 512,
});

export function applyHttpLimits(server: HttpServer, limits: Readonly<HttpLimits>): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // Node enforces the two timeouts above only when it checks its connections (every 30 s, not configurable once
  // restify has created the server): a deadline per socket holds them to the configured time.
  server.on('connection', (socket: Socket) => awaitHeaders(socket, limits.headersTimeoutMs));
  server.on('request', (req, res) => {
    const socket = req.socket;
    clearDeadline(socket);
    const deadline = setTimeout(() => {
      if (!req.complete) socket.destroy();
    }, limits.requestTimeoutMs);
    deadline.unref();
    socket.once('close', () => clearTimeout(deadline));
    req.once('end', () => clearTimeout(deadline));
    // After the response the socket waits for the next request's headers (keep-alive), under the same deadline.
    res.once('finish', () => {
      clearTimeout(deadline);
      if (!socket.destroyed) awaitHeaders(socket, limits.headersTimeoutMs);
    });
  });
}

const deadlines = new WeakMap<Socket, NodeJS.Timeout>();

function awaitHeaders(socket: Socket, timeoutMs: number): void {
  clearDeadline(socket);
  const deadline = setTimeout(() => socket.destroy(), timeoutMs);
  deadline.unref();
  deadlines.set(socket, deadline);
  socket.once('close', () => clearDeadline(socket));
}

function clearDeadline(socket: Socket): void {
  clearTimeout(deadlines.get(socket));
  deadlines.delete(socket);
}
