import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging';
import { startTestApp, type StartedApp } from '../support/test-app';
import { demoEndpoints, NOW } from '../unit/commands-fixture';

/**
 * Slow clients against the real HTTP server, over real sockets: a client that dribbles its headers or its body is
 * cut off at the (here tiny) timeouts instead of holding a socket for Node's default 300 s; connections beyond the
 * cap are refused; bodies are still capped (413). Bounds are generous ("closed before 5 s"), never exact timings.
 */
const LIMITS = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, maxConnections: 4 };
let app: StartedApp | undefined;
const sockets: Socket[] = [];

async function start(): Promise<number> {
  app = await startTestApp({ devops: demoEndpoints(), clock: { now: () => NOW }, logger: createLogger({ level: 'silent' }) }, {}, { http: LIMITS });
  return app.port;
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await app?.close();
  app = undefined;
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => undefined);
    socket.once('error', reject);
    sockets.push(socket);
  });
}

/** Writes one byte every 50 ms until the server closes the socket; resolves with the ms it stayed open. */
function dribble(socket: Socket, head: string, drip: string, giveUpMs = 5_000): Promise<number> {
  const started = Date.now();
  socket.write(head);
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (Date.now() - started > giveUpMs) {
        clearInterval(timer);
        resolve(Infinity);
      } else if (!socket.destroyed) socket.write(drip);
    }, 50);
    socket.once('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    });
  });
}

describe('slow clients on the HTTP server', () => {
  it('closes a client that never finishes its headers', async () => {
    const socket = await open(await start());
    const openFor = await dribble(socket, 'POST /api/messages HTTP/1.1\r\nHost: localhost\r\n', 'X');
    expect(openFor).toBeLessThan(5_000);
  });

  it('closes a client that never finishes its body', async () => {
    const socket = await open(await start());
    const head = 'POST /api/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"type":"message","text":"';
    const openFor = await dribble(socket, head, 'x');
    expect(openFor).toBeLessThan(5_000);
  });

  it('refuses connections beyond the cap and keeps serving the ones it holds', async () => {
    const port = await start();
    const held = await Promise.all(Array.from({ length: LIMITS.maxConnections }, () => open(port)));
    for (const socket of held) socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    const extra = await open(port);
    const closed = await new Promise<boolean>((resolve) => {
      extra.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 2_000);
    });
    expect(closed).toBe(true);
  });

  it('still refuses a body over the size limit with 413', async () => {
    const port = await start();
    const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
  });
});
