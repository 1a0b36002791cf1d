import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Result } from '../result';
import type { StandInLogger as Logger } from '../logger';
import type { AccessTokenRejection } from './access-token-verifier';
import { ApplicationRegistry, type ApplicationInput } from './application-registry';
import { entraErrors } from './entra-errors';
import { readText } from '../https-json';
import { handleTokenRequest, issueAppToken, type TokenOptions, type TokenRequestRecord } from './token-endpoint';
import { TokenIssuer, v1Issuer, type AccessTokenClaims, type VerifyAccessTokenOptions } from './token-issuer';
import { generateLocalhostCertificate, type TlsCertificate } from './tls-certificate';
import { startManagedIdentityEndpoint, type ManagedIdentityEndpoint } from './managed-identity-endpoint';

export interface EntraEmulatorOptions {
  /** 0 (default) picks a free port. The server listens on 127.0.0.1 only. */
  port?: number;
  clock?: Clock;
  tenantId?: string;
  applications?: ApplicationInput[];
  /** Lifetime of issued access tokens; default 3600 s. Below 300 s MSAL fetches anew on every getToken. */
  tokenLifetimeSeconds?: number;
  /** Share an existing registry (the Graph stand-in does); otherwise one is made from `applications`. */
  registry?: ApplicationRegistry;
  logger?: Logger;
  /** Serve with this certificate (the local cloud shares one across its https stand-ins); made here otherwise. */
  tls?: TlsCertificate;
  /** Client ids of registered apps to serve as user-assigned managed identities of an App Service host. */
  managedIdentities?: readonly string[];
}

export interface EntraEmulator {
  /** https://localhost:<port>; pass as `authorityHost` (with disableInstanceDiscovery) to @azure/identity. */
  authorityHost: string;
  tenantId: string;
  /** The self-signed server certificate; trust it explicitly (credential-factory's `trust` option). */
  caCertificatePem: string;
  jwksUrl: string;
  /** Issuer of v2.0 access tokens and of the metadata: `${authorityHost}/${tenantId}/v2.0` (Azure's is https://login.microsoftonline.com/{tid}/v2.0). */
  issuer: string;
  /** Issuer of v1.0 access tokens, what Microsoft's own APIs get: https://sts.windows.net/{tid}/, as Entra names it. */
  v1Issuer: string;
  registry: ApplicationRegistry;
  /** App Service's IDENTITY_ENDPOINT / IDENTITY_HEADER for `managedIdentities` (absent without them). */
  managedIdentity?: Pick<ManagedIdentityEndpoint, 'endpoint' | 'header'>;
  /** Every token request seen, oldest first, without credential material. */
  tokenRequests: readonly TokenRequestRecord[];
  /**
   * The claims when the token was signed by this stand-in for that audience and is within nbf..exp by the
   * stand-in's clock; otherwise null. Synchronous, so an emulator's authorize predicate can call it directly.
   */
  verifyAccessToken(token: string, options: VerifyAccessTokenOptions): AccessTokenClaims | null;
  /** As verifyAccessToken, with the reason of a refusal. */
  checkAccessToken(token: string, options: VerifyAccessTokenOptions): Result<AccessTokenClaims, AccessTokenRejection>;
  /**
   * The access token a sign-in would end with, signed with the same key as the token endpoint's: app-only for a
   * registered client (its granted roles), or delegated with `user` (a person signed in through that client). The
   * stand-in has no interactive sign-in (authorization code, device code), so tests and local mode get delegated
   * tokens here; `issuedAt` and `lifetimeSeconds` make expired ones. Throws for an unregistered client.
   */
  issueToken(request: DirectTokenRequest): Promise<string>;
  close(): Promise<void>;
}

export interface DirectTokenRequest extends TokenOptions {
  clientAppId: string;
  /** The resource, as the client would name it: an app id, `api://<app id>` or an https resource URI. */
  audience: string;
}

export const DEFAULT_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const MAX_BODY_BYTES = 64 * 1024;

interface Routes {
  openIdConfiguration(): object;
  jwks(): object;
  token(form: URLSearchParams): Promise<{ status: number; body: object }>;
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const text = await readText(req, MAX_BODY_BYTES);
  return text === null ? null : new URLSearchParams(text);
}

async function route(req: IncomingMessage, res: ServerResponse, tenantId: string, routes: Routes, clock: Clock): Promise<void> {
  const path = new URL(req.url ?? '/', 'https://localhost').pathname;
  const match = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token)$/.exec(path);
  if (!match) return send(res, 404, { error: 'not_found', error_description: `No route for ${req.method} ${path}` });
  const [, tenant = '', what] = match;
  const isKeys = what === 'discovery/v2.0/keys';
  if (!isKeys && tenant.toLowerCase() !== tenantId.toLowerCase()) return send(res, 400, entraErrors.tenantNotFound(tenant).body(clock.now()));
  if (what === 'oauth2/v2.0/token') {
    if (req.method !== 'POST') return send(res, 405, { error: 'invalid_request', error_description: 'Use POST.' });
    const form = await readForm(req);
    if (!form) return send(res, 413, { error: 'invalid_request', error_description: 'Request body too large.' });
    const reply = await routes.token(form);
    return send(res, reply.status, reply.body);
  }
  if (req.method !== 'GET') return send(res, 405, { error: 'invalid_request', error_description: 'Use GET.' });
  return send(res, 200, isKeys ? routes.jwks() : routes.openIdConfiguration());
}

function openIdConfiguration(authorityHost: string, tenantId: string, issuer: string): object {
  const base = `${authorityHost}/${tenantId}`;
  return {
    issuer,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    request_uri_parameter_supported: false,
    tenant_region_scope: 'WW',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function requestHandler(ready: { routes?: Routes }, tenantId: string, clock: Clock, logger: Logger | undefined) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!ready.routes) return send(res, 503, { error: 'temporarily_unavailable', error_description: 'Starting.' });
    route(req, res, tenantId, ready.routes, clock)
      .then(() => logger?.debug({ method: req.method, path: req.url, status: res.statusCode }, 'entra stand-in request'))
      .catch((error: unknown) => {
        // Name only: a raw error here could quote the request body, which carries the client secret.
        logger?.error({ errorName: (error as Error)?.name }, 'entra stand-in failed');
        if (!res.headersSent) send(res, 500, { error: 'server_error', error_description: 'The stand-in failed.' });
        else res.end();
      });
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Clients keep sockets alive (the identity layer's agent does); end them so close() does not wait.
    server.closeAllConnections();
  });
}

/** Start the Entra token stand-in: OpenID metadata, JWKS and the client_credentials token endpoint. */
export async function startEntraEmulator(options: EntraEmulatorOptions = {}): Promise<EntraEmulator> {
  const clock = options.clock ?? systemClock;
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  const registry = options.registry ?? new ApplicationRegistry(options.applications ?? []);
  if (options.registry && options.applications) for (const app of options.applications) registry.registerApplication(app);
  const tls = options.tls ?? (await generateLocalhostCertificate());
  const tokenRequests: TokenRequestRecord[] = [];
  // Routes need the port (issuer and endpoints name it), which is known only once listening.
  const ready: { routes?: Routes } = {};
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, requestHandler(ready, tenantId, clock, options.logger));
  const port = await listen(server, options.port ?? 0);
  const authorityHost = `https://localhost:${port}`;
  const issuer = `${authorityHost}/${tenantId}/v2.0`;
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
  const tokenIssuer = TokenIssuer.create({ issuer, tenantId, lifetimeSeconds, clock });
  const tokenEndpoint = `${authorityHost}/${tenantId}/oauth2/v2.0/token`;
  ready.routes = {
    openIdConfiguration: () => openIdConfiguration(authorityHost, tenantId, issuer),
    jwks: () => tokenIssuer.jwks,
    token: (form) => handleTokenRequest(form, { registry, issuer: tokenIssuer, clock, tenantId, tokenEndpoint, lifetimeSeconds, log: tokenRequests }),
  };
  const managed = options.managedIdentities?.length
    ? await startManagedIdentityEndpoint({
      clientIds: options.managedIdentities, clock, log: tokenRequests,
      issue: (appId, audience) => issueAppToken(registry, tokenIssuer, appId, audience),
    })
    : undefined;
  return {
    authorityHost,
    tenantId,
    caCertificatePem: tls.certPem,
    jwksUrl: `${authorityHost}/${tenantId}/discovery/v2.0/keys`,
    issuer,
    v1Issuer: v1Issuer(tenantId),
    registry,
    ...(managed ? { managedIdentity: { endpoint: managed.endpoint, header: managed.header } } : {}),
    tokenRequests,
    verifyAccessToken: (token, verifyOptions) => tokenIssuer.verify(token, verifyOptions),
    checkAccessToken: (token, verifyOptions) => tokenIssuer.check(token, verifyOptions),
    issueToken: async ({ clientAppId, audience, ...options }) => {
      if (!registry.hasClient(clientAppId)) throw new Error(`Application ${clientAppId} is not registered`);
      return (await issueAppToken(registry, tokenIssuer, clientAppId, audience, options)).accessToken;
    },
    close: async () => {
      await managed?.close();
      await closeServer(server);
    },
  };
}
