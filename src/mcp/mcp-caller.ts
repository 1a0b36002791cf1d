/**
 * Who is calling the MCP endpoint, as the verified Entra token says: always an object id (`oid`), the identity a
 * security team can look up, never a name the client chose. A person signs in through a client (VS Code, Copilot
 * Studio): a delegated token, its `oid` theirs and its `appid`/`azp` the client's. An agent calls as itself (an app
 * registration or a managed identity): an app-only token, its `oid` the agent's service principal.
 */
export interface McpCaller {
  kind: 'person' | 'agent';
  /** Entra object id: the person's, or the agent's service principal's. */
  objectId: string;
  tenantId: string;
  /** The client app: the one a person signed in through, or the agent's own app (client) id. */
  appId: string;
  /** The person's display name, or the agent app's when the token carries it (`app_displayname`). */
  name?: string;
}

/** The caller as a short label for logs and replies: the name when known, else the object id. */
export function callerLabel(caller: McpCaller): string {
  return caller.name ? `${caller.name} (${caller.objectId})` : caller.objectId;
}
