/**
 * The MCP half of the configuration (see src/config.ts): whether `/mcp` is served, the public URL agents reach it
 * at, whose tokens it takes, and how often one caller may call. Off unless enabled (local mode: on). What each
 * token must carry to be let in is fixed here, not configured: the delegated scope a person consents to for a
 * client (VS Code, Copilot Studio) and the app role an admin grants an agent's own identity (docs/agents.md).
 */
import { z } from 'zod';

/** The delegated permission (Expose an API > scope) a person's token must carry. */
export const MCP_SCOPE = 'Mcp.Access';
/** The application permission (App roles, member type Applications) an agent's app-only token must carry. */
export const MCP_APP_ROLE = 'Mcp.Agent';

export interface McpSettings {
  enabled: boolean;
  /** The endpoint's public URL (https://host/mcp): the `resource` of its metadata. Local mode: the bot's own. */
  url?: string;
  /** The bot app's Application ID URI (tokens' `aud` in v1.0, the scopes' prefix); default `api://<app id>`. */
  audience?: string;
  /** The tenant whose tokens are accepted; default the bot's tenant. */
  tenantId?: string;
  callsPerMinute: number;
}

export const MCP_DEFAULTS = Object.freeze({ callsPerMinute: 30 });

export const MCP_SETTINGS = {
  SCBOT_MCP_ENABLED: 'true: serve the MCP endpoint (POST /mcp) where agents read connections, findings and plans with Entra tokens (docs/agents.md). Default false; local mode: true.',
  SCBOT_MCP_URL: 'Public https URL of the MCP endpoint, e.g. https://scbot.contoso.com/mcp (the resource its metadata names). Required when SCBOT_MCP_ENABLED=true outside local mode.',
  SCBOT_MCP_AUDIENCE: 'Application ID URI of the bot\'s app registration, which agents request tokens for. Default api://<MicrosoftAppId>.',
  SCBOT_MCP_TENANT_ID: 'Tenant whose Entra tokens the MCP endpoint accepts. Default MicrosoftAppTenantId, else AZURE_TENANT_ID.',
  SCBOT_MCP_CALLS_PER_MINUTE: 'Tool calls one caller (person or agent) may make per minute on this instance (1-600). Default 30.',
} as const;

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);

export const mcpSchema = z.object({
  SCBOT_MCP_ENABLED: z.preprocess(blank, z.enum(['true', 'false'], { error: 'SCBOT_MCP_ENABLED must be true or false' }).optional()),
  SCBOT_MCP_URL: z.preprocess(blank, z.url({ error: 'SCBOT_MCP_URL must be the endpoint\'s URL, e.g. https://scbot.contoso.com/mcp' }).optional()),
  SCBOT_MCP_AUDIENCE: z.preprocess(blank, z.string().regex(/^(api|https):\/\/\S+$/, 'SCBOT_MCP_AUDIENCE must be an Application ID URI, e.g. api://<app id>').optional()),
  SCBOT_MCP_TENANT_ID: z.preprocess(blank, z.guid({ error: 'SCBOT_MCP_TENANT_ID must be a tenant id (GUID)' }).optional()),
  SCBOT_MCP_CALLS_PER_MINUTE: z.preprocess(blank, z.coerce.number().int().min(1).max(600).default(MCP_DEFAULTS.callsPerMinute)),
});

export type McpValues = z.infer<typeof mcpSchema>;

export function mcpFromValues(v: McpValues, mode: 'local' | 'azure'): Readonly<McpSettings> {
  return Object.freeze({
    enabled: v.SCBOT_MCP_ENABLED === undefined ? mode === 'local' : v.SCBOT_MCP_ENABLED === 'true',
    ...(v.SCBOT_MCP_URL ? { url: v.SCBOT_MCP_URL.replace(/\/+$/, '') } : {}),
    ...(v.SCBOT_MCP_AUDIENCE ? { audience: v.SCBOT_MCP_AUDIENCE.replace(/\/+$/, '') } : {}),
    ...(v.SCBOT_MCP_TENANT_ID ? { tenantId: v.SCBOT_MCP_TENANT_ID } : {}),
    callsPerMinute: v.SCBOT_MCP_CALLS_PER_MINUTE,
  });
}

/** Outside local mode an enabled endpoint needs a public https URL and a tenant (problems named, never values). */
export function mcpProblems(v: McpValues & { MicrosoftAppTenantId?: string; AZURE_TENANT_ID?: string }): string[] {
  if (v.SCBOT_MCP_ENABLED !== 'true') return [];
  const problems: string[] = [];
  if (!v.SCBOT_MCP_URL) problems.push('SCBOT_MCP_URL is required when SCBOT_MCP_ENABLED is true (the public URL of /mcp)');
  else if (!v.SCBOT_MCP_URL.startsWith('https://')) problems.push('SCBOT_MCP_URL must use https');
  if (!v.SCBOT_MCP_TENANT_ID && !v.MicrosoftAppTenantId && !v.AZURE_TENANT_ID) problems.push('SCBOT_MCP_TENANT_ID (or MicrosoftAppTenantId) is required when SCBOT_MCP_ENABLED is true');
  return problems;
}
