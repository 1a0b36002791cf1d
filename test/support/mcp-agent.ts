/**
 * An MCP client of a local stack, as the e2e files connect one: the official SDK client over Streamable HTTP with a
 * token the Entra stand-in issues for the bot's local app, as an agent app itself or (`person`) for a person signed
 * in through that app.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startLocal, type LocalOptions, type LocalStack } from '../../bot/local-mode';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { ANYONE } from '../../src/domain/policy';
import { createLogger, type Logger } from '../../src/logging';
import { LOCAL_DEMO_POLICY } from '../../src/policy/index';

/** An app registration in the Entra stand-in (an agent's, or a client's people sign in through). */
export interface McpApp {
  appId: string;
  servicePrincipalId: string;
  displayName: string;
}

/**
 * Local mode beside a Bot Connector stand-in, under the demo policy (anyone may request and approve) plus `requesters`
 * by object id (`*` never admits an agent). `agents` get the app role `Mcp.Agent`; `clients` are only registered.
 */
export async function startWithAgents(o: { requesters: McpApp[]; agents: McpApp[]; clients?: McpApp[]; logger?: Logger; local?: Pick<LocalOptions, 'storage' | 'mcp'> }): Promise<{ stack: LocalStack; connector: ConnectorStandIn }> {
  const connector = new ConnectorStandIn();
  await connector.start();
  const policy = { ...LOCAL_DEMO_POLICY, requesters: { users: [ANYONE, ...o.requesters.map((a) => a.servicePrincipalId)], groups: [] } };
  const stack = await startLocal({ port: 0, playground: false, logger: o.logger ?? createLogger({ level: 'silent' }), policy, ...o.local });
  for (const app of o.clients ?? []) stack.entra.registry.registerApplication(app);
  for (const app of o.agents) {
    stack.entra.registry.registerApplication(app);
    stack.entra.registry.apiRoles.grant(app.appId, stack.localIdentity.clientId, ['Mcp.Agent']);
  }
  return { stack, connector };
}

export interface McpPerson {
  objectId: string;
  displayName: string;
}

export async function connectMcp(stack: LocalStack, app: { appId: string }, person?: McpPerson): Promise<Client> {
  const user = person ? { user: { objectId: person.objectId, displayName: person.displayName, scopes: ['Mcp.Access'] } } : {};
  const token = await stack.entra.issueToken({ clientAppId: app.appId, audience: `api://${stack.localIdentity.clientId}`, ...user });
  const client = new Client({ name: 'scbot-e2e-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(stack.mcpUrl!), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

/** The one-line text every tool result carries. */
export const textOfResult = (result: object): string => (result as { content: Array<{ text: string }> }).content[0]!.text;
