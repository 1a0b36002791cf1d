/**
 * The test kit: a clock tests move by hand, a fetch wrapper that adds a Bearer header and an api-version unless
 * told not to, and an https call that trusts the local cloud's certificate. Exported as `@scbot/stand-ins/test-kit`
 * (and from the package root).
 */
import { request } from 'node:https';

export { ManualClock } from './clock';

export interface CallOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Query api-version to add; null sends none. Default 7.2-preview.4. */
  version?: string | null;
  /** Authorization header; null sends none. Default "Bearer test-token". */
  auth?: string | null;
  signal?: AbortSignal;
}

export interface CallResult<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

/** Calls `${orgUrl}${path}` (path starts with "/"; may carry its own query). */
export async function callEmulator<T = unknown>(orgUrl: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const url = new URL(orgUrl + path);
  const version = options.version === undefined ? '7.2-preview.4' : options.version;
  if (version !== null && !url.searchParams.has('api-version')) url.searchParams.set('api-version', version);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const auth = options.auth === undefined ? 'Bearer test-token' : options.auth;
  if (auth !== null) headers.Authorization = auth;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  let body: unknown = undefined;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, headers: response.headers, text, body: body as T };
}

export interface HttpsJsonReply {
  status: number;
  body: Record<string, unknown> & { value?: Array<Record<string, unknown>>; error?: { code: string } };
}

/**
 * One https request to a stand-in that presents the local cloud's certificate (Graph, ARM, Key Vault), trusting
 * `ca`: a JSON (or form) body out, the status and the parsed body (empty when none) back. Rejects on a reset
 * connection.
 */
export function callHttps(url: string, options: { method: string; ca: string; token?: string; body?: unknown; form?: URLSearchParams; headers?: Record<string, string> }): Promise<HttpsJsonReply> {
  const payload = options.form ? options.form.toString() : options.body === undefined ? undefined : JSON.stringify(options.body);
  const type = options.form ? 'application/x-www-form-urlencoded' : 'application/json';
  const headers = { ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }), ...(payload ? { 'content-type': type } : {}), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, ca: options.ca, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
