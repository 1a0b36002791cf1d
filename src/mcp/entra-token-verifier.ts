/**
 * Entra access tokens for the MCP endpoint, checked with jose against the tenant's published keys: RS256 only,
 * signed by a current key of the tenant, issued by that tenant (v2.0 or v1.0 issuer), for this app (its client id,
 * or its Application ID URI in v1.0 tokens), not expired. Then what the token may do: a person's delegated token
 * must carry the `Mcp.Access` scope, an agent's app-only token the `Mcp.Agent` app role (default deny: a token any
 * app in the tenant could get for this API carries neither). The MCP authorization spec's resource-server duties:
 * only tokens intended for this server, never passed on (modelcontextprotocol.io, basic/authorization).
 */
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../domain/time';
import { trustAgent } from '../azure/trust-agent';
import { fetchTrusting } from './jwks-fetch';
import type { McpCaller } from './mcp-caller';
import { MCP_APP_ROLE, MCP_SCOPE } from './mcp-settings';

/** Whose tokens the endpoint takes: one tenant's Entra, for one app. */
export interface McpAuthSettings {
  /** The bot's app (client) id: `aud` of v2.0 tokens. */
  appId: string;
  /** The app's Application ID URI: `aud` of v1.0 tokens, and the prefix of the scope a client asks for. */
  audience: string;
  tenantId: string;
  /** https://login.microsoftonline.com, or the local Entra stand-in. */
  authorityHost: string;
  /**
   * The public URL of the endpoint (https://host/mcp): the protected resource its metadata describes. Local mode
   * only may leave it out: it is then the loopback URL the request came to.
   */
  resourceUrl?: string;
  /** Local mode: the stand-in's certificate, trusted for fetching its keys. */
  trust?: { caCertificatePem: string };
}

/**
 * Why a request was not let in, as a stable code: no token (401, the client should sign in), a token that is not
 * valid here (401), a valid token without the scope or role (403 insufficient_scope), or the tenant's keys could not
 * be read (503: nothing can be checked, so nothing is let in). `reason` says which check failed, for the log only.
 */
export type McpAuthCode = 'MCP.NO_TOKEN' | 'MCP.INVALID_TOKEN' | 'MCP.INSUFFICIENT_SCOPE' | 'MCP.KEYS_UNAVAILABLE';

export class McpAuthError extends Error {
  constructor(readonly code: McpAuthCode, readonly reason: string) {
    super(`${code}: ${reason}`);
    this.name = 'McpAuthError';
  }
}

/** Entra's clocks and ours may disagree a little; a token is not refused for a minute's skew. */
const CLOCK_SKEW_SECONDS = 60;

export class EntraTokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly issuers: string[];
  private readonly audiences: string[];

  constructor(private readonly settings: McpAuthSettings, private readonly clock: Clock) {
    const { authorityHost, tenantId } = settings;
    const agent = trustAgent(settings.trust);
    // jose caches the key set and refetches it (at most every 30 s) when a token names a key it does not hold: rollover.
    this.keys = createRemoteJWKSet(new URL(`${authorityHost}/${tenantId}/discovery/v2.0/keys`), agent ? { [customFetch]: fetchTrusting(agent) } : {});
    this.issuers = [`${authorityHost}/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
    this.audiences = [...new Set([settings.appId, settings.audience])];
  }

  /** The caller of a request with this Authorization header; throws McpAuthError when it may not call. */
  async verify(authorization: string | undefined): Promise<McpCaller> {
    const token = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new McpAuthError('MCP.NO_TOKEN', authorization ? 'not a bearer token' : 'no Authorization header');
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, this.keys, {
        algorithms: ['RS256'], issuer: this.issuers, audience: this.audiences, currentDate: this.clock.now(),
        clockTolerance: CLOCK_SKEW_SECONDS, requiredClaims: ['exp', 'tid', 'oid'],
      }));
    } catch (error) {
      throw rejection(error);
    }
    // The issuer names the tenant too; `tid` must agree with it (a multitenant issuer template must never pass).
    if (String(claims.tid).toLowerCase() !== this.settings.tenantId.toLowerCase()) throw new McpAuthError('MCP.INVALID_TOKEN', 'tenant');
    return callerOf(claims);
  }

  /** The scope a person's client asks for, e.g. `api://<app id>/Mcp.Access` (the metadata's scopes_supported). */
  get scope(): string {
    return `${this.settings.audience}/${MCP_SCOPE}`;
  }
}

function callerOf(claims: JWTPayload): McpCaller {
  const str = (key: string): string | undefined => (typeof claims[key] === 'string' && claims[key] !== '' ? (claims[key] as string) : undefined);
  const appId = str('appid') ?? str('azp');
  const objectId = str('oid');
  if (!appId || !objectId) throw new McpAuthError('MCP.INVALID_TOKEN', 'claims');
  const scopes = str('scp')?.split(' ') ?? [];
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const base = { objectId, tenantId: String(claims.tid), appId };
  // A delegated token (it has `scp`) acts for a person; only an app-only one (`idtyp` app, no `scp`) is an agent itself.
  if (str('scp') !== undefined) {
    if (!scopes.includes(MCP_SCOPE)) throw new McpAuthError('MCP.INSUFFICIENT_SCOPE', 'scope');
    const name = str('name');
    return { kind: 'person', ...base, ...(name ? { name } : {}) };
  }
  if (!roles.includes(MCP_APP_ROLE)) throw new McpAuthError('MCP.INSUFFICIENT_SCOPE', 'role');
  const name = str('app_displayname');
  return { kind: 'agent', ...base, ...(name ? { name } : {}) };
}

/** jose's error codes (never their messages) say which check failed. */
function rejection(error: unknown): McpAuthError {
  if (error instanceof errors.JWTExpired) return new McpAuthError('MCP.INVALID_TOKEN', 'expired');
  if (error instanceof errors.JWTClaimValidationFailed) return new McpAuthError('MCP.INVALID_TOKEN', `claim ${error.claim}`);
  if (error instanceof errors.JWSSignatureVerificationFailed) return new McpAuthError('MCP.INVALID_TOKEN', 'signature');
  if (error instanceof errors.JWKSNoMatchingKey) return new McpAuthError('MCP.INVALID_TOKEN', 'unknown key');
  if (error instanceof errors.JOSEAlgNotAllowed) return new McpAuthError('MCP.INVALID_TOKEN', 'algorithm');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return new McpAuthError('MCP.KEYS_UNAVAILABLE', error.code);
  // jose's generic error is its key-set fetch failing (not a 200, not JSON); every verdict on a token is a subclass.
  if (error instanceof errors.JOSEError && error.code !== errors.JOSEError.code) return new McpAuthError('MCP.INVALID_TOKEN', error.code);
  // Not a verdict on the token: the key set could not be fetched (network, TLS, a 5xx).
  return new McpAuthError('MCP.KEYS_UNAVAILABLE', 'fetch');
}
