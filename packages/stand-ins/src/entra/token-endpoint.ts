import type { Clock } from '../clock';
import type { ApplicationRegistry } from './application-registry';
import { authenticateClient } from './client-authentication';
import { EntraError, entraErrors } from './entra-errors';
import type { DelegatedUser, IssuedToken, TokenIssuer } from './token-issuer';
import { apiAppIdOf } from './api-app-roles';
import { isGraphAudience } from './well-known-resources';

/** One token request as the stand-in saw it (no credential material), for tests and diagnostics. */
export interface TokenRequestRecord {
  at: string;
  clientId: string | null;
  scope: string | null;
  /** 'issued', or the AADSTS code of the refusal, e.g. 'AADSTS7000215'. */
  outcome: string;
}

export interface TokenReply {
  status: number;
  body: object;
}

export interface TokenEndpointContext {
  registry: ApplicationRegistry;
  issuer: TokenIssuer;
  clock: Clock;
  tenantId: string;
  tokenEndpoint: string;
  lifetimeSeconds: number;
  log: TokenRequestRecord[];
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * App-only tokens ask for `<resource>/.default`; the token's `aud` is that resource (an app id GUID such as
 * Azure DevOps' 499b84ac-…, an https resource URI such as https://graph.microsoft.com, or an app's default
 * Application ID URI `api://<app id>`).
 */
export function audienceOfScope(scope: string): string {
  const scopes = scope.split(/\s+/).filter((s) => s !== '' && !OIDC_SCOPES.has(s.toLowerCase()));
  const only = scopes.length === 1 ? scopes[0] : undefined;
  if (!only?.endsWith('/.default')) throw entraErrors.invalidScope(scope);
  const resource = only.slice(0, -'/.default'.length);
  if (GUID.test(resource)) return resource;
  if (/^https:\/\/[a-z0-9.-]+(:\d+)?(\/[\w.-]+)*$/i.test(resource)) return resource;
  if (/^api:\/\/[\w.-]+(\/[\w.-]+)*$/i.test(resource)) return resource;
  throw entraErrors.invalidScope(scope);
}

/** What a token carries beyond its client and resource (see issueToken). */
export interface TokenOptions {
  user?: DelegatedUser;
  issuedAt?: Date;
  lifetimeSeconds?: number;
}

/**
 * A token for `appId` to call `audience`, in the version the resource asks for. App-only: `roles` holds the Graph
 * application permissions granted to the app when the resource is Graph, or the app roles granted to it on a custom
 * API registered here. A v2.0 token names a custom API by its app id whichever URI was asked for ("aud is always the
 * client ID of the API" in v2.0, access-token-claims-reference.md). Shared by the token endpoint, the managed identity
 * endpoint and the direct issuance tests and local mode use (EntraEmulator.issueToken).
 */
export function issueAppToken(registry: ApplicationRegistry, issuer: TokenIssuer, appId: string, audience: string, options: TokenOptions = {}): Promise<IssuedToken> {
  const servicePrincipalId = registry.servicePrincipalIdOf(appId) ?? appId;
  const version = registry.accessTokenVersionFor(audience);
  const roles = options.user ? [] : isGraphAudience(audience) ? registry.graphPermissionsOf(appId) : registry.apiRoles.rolesOf(appId, audience);
  const api = apiAppIdOf(audience);
  const aud = version === 2 && api && registry.getApplication(api) ? api : audience;
  return issuer.issue({ appId, servicePrincipalId, audience: aud, version, roles, ...options });
}

async function issueFor(form: URLSearchParams, ctx: TokenEndpointContext): Promise<TokenReply> {
  const grant = form.get('grant_type');
  if (!grant) throw entraErrors.missingParameter('grant_type');
  if (grant !== 'client_credentials') throw entraErrors.unsupportedGrant();
  const appId = await authenticateClient(form, {
    registry: ctx.registry,
    clock: ctx.clock,
    tenantId: ctx.tenantId,
    assertionAudiences: [ctx.tokenEndpoint, ctx.issuer.issuer, ctx.tokenEndpoint.replace(/\/oauth2\/v2\.0\/token$/, '')],
  });
  const scope = form.get('scope');
  if (!scope) throw entraErrors.missingParameter('scope');
  const audience = audienceOfScope(scope);
  const token = await issueAppToken(ctx.registry, ctx.issuer, appId, audience);
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: token.expiresIn, ext_expires_in: token.expiresIn, access_token: token.accessToken },
  };
}

/** POST /{tenant}/oauth2/v2.0/token: client_credentials with a client secret or a client assertion. */
export async function handleTokenRequest(form: URLSearchParams, ctx: TokenEndpointContext): Promise<TokenReply> {
  const record: TokenRequestRecord = { at: ctx.clock.now().toISOString(), clientId: form.get('client_id'), scope: form.get('scope'), outcome: 'issued' };
  ctx.log.push(record);
  try {
    return await issueFor(form, ctx);
  } catch (error) {
    if (!(error instanceof EntraError)) throw error;
    record.outcome = `AADSTS${error.aadsts}`;
    return { status: error.status, body: error.body(ctx.clock.now()) };
  }
}
