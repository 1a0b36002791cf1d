/**
 * The small https plumbing the Graph and Key Vault stand-ins share: listen on loopback with the local cloud's
 * self-signed certificate, read a bounded body, answer JSON, close without waiting for keep-alive sockets.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TlsCertificate } from './entra/tls-certificate';

const MAX_BODY_BYTES = 256 * 1024;

export type JsonHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface JsonServer {
  port: number;
  origin: string;
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** The body as text; null when it is larger than the stand-ins accept (callers answer 400). */
export async function readText(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The parsed JSON body; undefined when empty, null when not JSON or too large (callers answer 400). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  if (text === null) return null;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * The request target as sent (origin-form: path, then query). `new URL(req.url, base)` would read a target that
 * starts with `//` as a host (`//subscriptions/x` → host "subscriptions", path "/x"), silently another resource.
 */
export function requestTarget(req: IncomingMessage): { pathname: string; searchParams: URLSearchParams } {
  const raw = req.url ?? '/';
  const at = raw.indexOf('?');
  return { pathname: at < 0 ? raw : raw.slice(0, at), searchParams: new URLSearchParams(at < 0 ? '' : raw.slice(at + 1)) };
}

export function bearerToken(req: IncomingMessage): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

export async function startJsonServer(tls: TlsCertificate, port: number, handler: JsonHandler, onError: (error: unknown) => void): Promise<JsonServer> {
  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    handler(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'InternalServerError', message: 'The stand-in failed.' } });
      else res.end();
    });
  });
  const bound = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    port: bound,
    origin: `https://localhost:${bound}`,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}
