import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../src/domain/errors';

/**
 * A tiny scripted Azure DevOps for the adapter's unit tests: it answers the client's discovery calls the way the
 * service does (azure-devops-api-facts.md §6.1) and lets a test script statuses, headers, resets and hangs for
 * the real calls. The contract suite runs against the full emulator; this one exists to break things on purpose.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  fedAuthRedirect: string | undefined;
  body: string;
}

export type Scripted =
  | { status: number; body?: unknown; headers?: Record<string, string>; raw?: string }
  | { reset: true }
  | { hang: true };

interface Rule {
  method: string;
  path: RegExp;
  responses: Scripted[];
  /** The last response repeats forever when `sticky`. */
  sticky: boolean;
}

const ORG = 'contoso';

const location = (id: string, area: string, resourceName: string, routeTemplate: string, resourceVersion: number) => ({
  id, area, resourceName, routeTemplate, resourceVersion, minVersion: '5.0', maxVersion: '7.2', releasedVersion: '7.1',
});

const DISCOVERY: Record<string, unknown> = {
  'OPTIONS /_apis/location': { count: 1, value: [{ id: 'e81700f7-3be2-46de-8624-2eb35882fcaa', area: 'Location', resourceName: 'ResourceAreas', routeTemplate: '_apis/{resource}/{areaId}', resourceVersion: 1, minVersion: '3.2', maxVersion: '7.1', releasedVersion: '0.0' }] },
  'GET /_apis/resourceareas': { count: 0, value: [] },
  'OPTIONS /_apis/serviceendpoint': { count: 3, value: [
    location('14e48fdc-2c8b-41ce-a0c3-e26f6cc55bd0', 'serviceendpoint', 'endpoints', '_apis/{area}/{resource}/{endpointId}', 4),
    location('e85f1c62-adfc-4b74-b618-11a150fb195e', 'serviceendpoint', 'endpoints', '{project}/_apis/{area}/{resource}/{endpointId}', 4),
    location('10a16738-9299-4cd1-9a81-fd23ad6200d0', 'serviceendpoint', 'executionhistory', '{project}/_apis/{area}/{endpointId}/{resource}', 1),
  ] },
  'OPTIONS /_apis/core': { count: 1, value: [location('603fe2ac-9723-48b9-88ad-09305aa6c6e1', 'core', 'projects', '_apis/{resource}/{*projectId}', 4)] },
};

export class ScriptedDevOps {
  readonly requests: RecordedRequest[] = [];
  private readonly rules: Rule[] = [];
  private server: Server | undefined;
  orgUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.orgUrl = `http://127.0.0.1:${port}/${ORG}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Answer matching requests with `responses` in turn; the last one repeats when `sticky`. */
  script(method: string, path: RegExp, responses: Scripted[], sticky = false): void {
    this.rules.push({ method, path, responses: [...responses], sticky });
  }

  /** Requests other than discovery, as "METHOD /path". */
  calls(): string[] {
    return this.requests.filter((r) => !this.isDiscovery(r)).map((r) => `${r.method} ${r.path}`);
  }

  count(method: string, path: string): number {
    return this.requests.filter((r) => r.method === method && r.path.toLowerCase() === path.toLowerCase()).length;
  }

  private isDiscovery(r: RecordedRequest): boolean {
    return `${r.method} ${this.relative(r.path)}` in DISCOVERY;
  }

  private relative(path: string): string {
    return path.slice(`/${ORG}`.length).toLowerCase();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET', path: url.pathname, query: url.searchParams,
      authorization: req.headers.authorization, fedAuthRedirect: req.headers['x-tfs-fedauthredirect'] as string | undefined,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(recorded);
    const scripted = this.next(recorded) ?? this.discovery(recorded);
    this.answer(res, scripted ?? { status: 404, body: { message: 'not scripted' } });
  }

  private next(r: RecordedRequest): Scripted | undefined {
    const rule = this.rules.find((x) => x.method === r.method && x.path.test(r.path) && x.responses.length > 0);
    if (!rule) return undefined;
    return rule.sticky && rule.responses.length === 1 ? rule.responses[0] : rule.responses.shift();
  }

  private discovery(r: RecordedRequest): Scripted | undefined {
    const body = DISCOVERY[`${r.method} ${this.relative(r.path)}`];
    return body === undefined ? undefined : { status: 200, body };
  }

  private answer(res: ServerResponse, scripted: Scripted): void {
    if ('reset' in scripted) return void res.socket?.destroy();
    if ('hang' in scripted) return; // never answers; close() drops the socket
    const text = scripted.raw ?? (scripted.body === undefined ? '' : JSON.stringify(scripted.body));
    res.writeHead(scripted.status, { 'content-type': 'application/json; charset=utf-8', ...scripted.headers });
    res.end(text);
  }
}

/** Token source that counts its calls and can be told to hand out another token. */
export class CountingTokens {
  calls = 0;
  constructor(public current = 'token-one') {}
  async getToken(): Promise<string> {
    this.calls += 1;
    return this.current;
  }
}

/** An injected sleep that records the waits and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

export const ENDPOINTS_PATH = /\/contoso\/Proj\/_apis\/serviceendpoint\/endpoints$/i;
export const ENDPOINT_PATH = /\/contoso\/_apis\/serviceendpoint\/endpoints\/[^/]+$/i;

/** The AppError a call failed with; fails the test when the call succeeded or threw something else. */
export async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
