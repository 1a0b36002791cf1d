/**
 * The managed identity endpoint of an Azure App Service host (api-version 2019-08-01), for the identities assigned
 * to "this host". App Service gives a process IDENTITY_ENDPOINT (plain http on loopback) and IDENTITY_HEADER (a
 * secret it must echo in X-IDENTITY-HEADER); @azure/identity's ManagedIdentityCredential (through MSAL) calls
 *   GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=<resource>&client_id=<user-assigned client id>
 * and reads { access_token, expires_on (epoch seconds, a string), resource, token_type, client_id }.
 * The request and answer shapes are MSAL's AppService source and Microsoft's App Service managed identity page;
 * the error bodies are [infer] (a status and a message; MSAL reads only the status and `message`).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock';
import { EntraError } from './entra-errors';
import { audienceOfScope, type TokenRequestRecord } from './token-endpoint';
import type { IssuedToken } from './token-issuer';

export interface ManagedIdentityEndpoint {
  /** IDENTITY_ENDPOINT, e.g. http://127.0.0.1:<port>/msi/token */
  endpoint: string;
  /** IDENTITY_HEADER: a secret, as on App Service; never logged. */
  header: string;
  close(): Promise<void>;
}

export interface ManagedIdentityEndpointOptions {
  /** Client ids of the user-assigned identities the host carries; any other is refused (400). */
  clientIds: readonly string[];
  issue(clientId: string, audience: string): Promise<IssuedToken>;
  clock: Clock;
  log: TokenRequestRecord[];
}

const API_VERSION = '2019-08-01';
const PATH = '/msi/token';

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function answer(req: IncomingMessage, header: string, options: ManagedIdentityEndpointOptions): Promise<{ status: number; body: object; outcome: string }> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method !== 'GET' || url.pathname !== PATH) return { status: 404, body: { message: 'Not found.' }, outcome: 'not_found' };
  if (req.headers['x-identity-header'] !== header) return { status: 401, body: { message: 'X-IDENTITY-HEADER is missing or wrong.' }, outcome: 'unauthorized' };
  if (url.searchParams.get('api-version') !== API_VERSION) return { status: 400, body: { message: `api-version must be ${API_VERSION}.` }, outcome: 'bad_request' };
  const clientId = url.searchParams.get('client_id') ?? options.clientIds[0] ?? '';
  if (!options.clientIds.some((id) => id.toLowerCase() === clientId.toLowerCase())) {
    return { status: 400, body: { message: 'No managed identity found for specified ClientId/ResourceId/PrincipalId.' }, outcome: 'unknown_identity' };
  }
  const resource = (url.searchParams.get('resource') ?? '').replace(/\/+$/, '');
  let audience: string;
  try {
    audience = audienceOfScope(`${resource}/.default`);
  } catch (error) {
    if (!(error instanceof EntraError)) throw error;
    return { status: 400, body: { message: 'The resource is not a valid resource.' }, outcome: 'invalid_resource' };
  }
  const token = await options.issue(clientId, audience);
  const expiresOn = Math.floor(options.clock.now().getTime() / 1000) + token.expiresIn;
  return {
    status: 200, outcome: 'issued',
    body: { access_token: token.accessToken, expires_on: String(expiresOn), resource, token_type: 'Bearer', client_id: clientId },
  };
}

/** Serves the endpoint on 127.0.0.1 (a free port); each request is recorded in `log` like a token request. */
export async function startManagedIdentityEndpoint(options: ManagedIdentityEndpointOptions): Promise<ManagedIdentityEndpoint> {
  const header = randomBytes(24).toString('base64url');
  const server = createServer((req, res) => {
    answer(req, header, options).then(({ status, body, outcome }) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      options.log.push({ at: options.clock.now().toISOString(), clientId: url.searchParams.get('client_id'), scope: url.searchParams.get('resource'), outcome: `managed identity: ${outcome}` });
      send(res, status, body);
    }, () => send(res, 500, { message: 'The stand-in failed.' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`,
    header,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}
