/**
 * The MCP endpoint as an OAuth 2.0 protected resource (RFC 9728): its metadata document, where that document is, and
 * the `WWW-Authenticate` challenge that points a client at it. Clients (VS Code, the MCP SDK's own client) read the
 * metadata to find the authorization server (the tenant's Entra) and the scope to ask for.
 */
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { McpAuthCode, McpAuthSettings } from './entra-token-verifier';
import { MCP_SCOPE } from './mcp-settings';

export const METADATA_PATH = '/.well-known/oauth-protected-resource';
export const MCP_PATH = '/mcp';

/** RFC 9728 §3.1: the well-known path goes between the host and the resource's own path (…/oauth-protected-resource/mcp). */
export function metadataUrlOf(resourceUrl: string): string {
  const url = new URL(resourceUrl);
  return `${url.origin}${METADATA_PATH}${url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '')}`;
}

type MetadataSettings = Pick<McpAuthSettings, 'authorityHost' | 'tenantId' | 'audience'>;

export function protectedResourceMetadata(settings: MetadataSettings, resourceUrl: string): OAuthProtectedResourceMetadata {
  return {
    resource: resourceUrl,
    // Entra's v2.0 endpoint: clients discover authorize and token URLs from its OpenID configuration.
    authorization_servers: [`${settings.authorityHost}/${settings.tenantId}/v2.0`],
    scopes_supported: [`${settings.audience}/${MCP_SCOPE}`],
    bearer_methods_supported: ['header'],
    resource_name: 'scbot: Azure DevOps service connections (read; changes wait for people in Teams)',
  };
}

export interface Challenge {
  status: 401 | 403 | 503;
  headers: Record<string, string>;
  body: { error: string; error_description: string; referenceId: string };
}

const DESCRIPTION: Record<McpAuthCode, string> = {
  'MCP.NO_TOKEN': 'A Microsoft Entra access token for this server is required.',
  'MCP.INVALID_TOKEN': 'The access token is not valid for this server.',
  'MCP.INSUFFICIENT_SCOPE': `The token does not grant ${MCP_SCOPE} (people) or the Mcp.Agent app role (agents).`,
  'MCP.KEYS_UNAVAILABLE': 'Tokens cannot be checked right now; try again shortly.',
};

/**
 * The answer to a request that may not proceed. RFC 6750 §3.1: no error code when no credentials were sent at all;
 * `invalid_token` (401) or `insufficient_scope` (403, with the scope) otherwise. Every challenge names the metadata.
 */
export function challengeFor(code: McpAuthCode, metadataUrl: string, scope: string, referenceId: string): Challenge {
  const description = DESCRIPTION[code];
  const body = (error: string) => ({ error, error_description: description, referenceId });
  const meta = `resource_metadata="${metadataUrl}"`;
  switch (code) {
    case 'MCP.NO_TOKEN':
      return { status: 401, headers: { 'WWW-Authenticate': `Bearer ${meta}` }, body: body('invalid_request') };
    case 'MCP.INVALID_TOKEN':
      return { status: 401, headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}", ${meta}` }, body: body('invalid_token') };
    case 'MCP.INSUFFICIENT_SCOPE':
      return { status: 403, headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}", ${meta}` }, body: body('insufficient_scope') };
    case 'MCP.KEYS_UNAVAILABLE':
      return { status: 503, headers: { 'Retry-After': '30' }, body: body('temporarily_unavailable') };
  }
}
