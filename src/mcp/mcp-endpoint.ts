/**
 * The MCP endpoint: Streamable HTTP, stateless (a fresh McpServer and transport per request, JSON answers, no
 * session, no server-initiated stream), behind Entra bearer authentication. Framework-neutral: it reads a Node
 * request and writes a Node response, and the bot's HTTP edge (bot/server.ts) routes `/mcp` and the metadata paths
 * to it. Nothing reaches the SDK before the token was verified; the token itself is never logged, stored or passed on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '../logging';
import { newReferenceId } from '../ids';
import { McpAuthError, type EntraTokenVerifier, type McpAuthSettings } from './entra-token-verifier';
import type { McpCaller } from './mcp-caller';
import { challengeFor, MCP_PATH, metadataUrlOf, protectedResourceMetadata } from './protected-resource';
import type { ToolCalls } from './tool-calls';
import type { ToolRegistry } from './tool-registry';
import type { AnyMcpTool } from './tool';

const INSTRUCTIONS = 'scbot keeps Azure DevOps service connections healthy. Read connections (list_connections, show_connection, '
  + 'access_connection), the alert findings (list_findings) and plans (get_plan). A propose_* tool asks for a change: it returns a plan id at once, '
  + 'and the change is made only after a person approves the plan card in Microsoft Teams; poll get_plan for the outcome. No tool approves.';

export interface McpEndpointOptions {
  auth: Pick<McpAuthSettings, 'authorityHost' | 'tenantId' | 'audience' | 'resourceUrl'>;
  verifier: Pick<EntraTokenVerifier, 'verify' | 'scope'>;
  tools: ToolRegistry;
  calls: ToolCalls;
  logger: Logger;
}

export class McpEndpoint {
  constructor(private readonly o: McpEndpointOptions) {}

  /** POST /mcp: authenticate, then one JSON-RPC exchange through the SDK's transport. */
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const resourceUrl = this.resourceUrl(req);
    let caller: McpCaller;
    try {
      caller = await this.o.verifier.verify(req.headers.authorization);
    } catch (error) {
      this.refuse(res, error, resourceUrl);
      return;
    }
    // Stateless: no stream to open with GET and no session to end with DELETE (the transport spec's 405 for both).
    if (req.method !== 'POST') {
      send(res, 405, { Allow: 'POST' }, { error: 'method_not_allowed', error_description: 'This MCP endpoint is stateless: use POST.' });
      return;
    }
    const server = this.serverFor(caller);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  /** GET /.well-known/oauth-protected-resource[/mcp]: public, as RFC 9728 requires. */
  metadata(req: IncomingMessage): object {
    return protectedResourceMetadata(this.o.auth, this.resourceUrl(req));
  }

  private serverFor(caller: McpCaller): McpServer {
    return mcpServer(this.o.tools, (tool, input) => this.o.calls.call(tool, input, caller));
  }

  private refuse(res: ServerResponse, error: unknown, resourceUrl: string): void {
    if (!(error instanceof McpAuthError)) throw error;
    const referenceId = newReferenceId();
    const challenge = challengeFor(error.code, metadataUrlOf(resourceUrl), this.o.verifier.scope, referenceId);
    // The reason (expired, audience, signature…) is for the operator: the client learns only what RFC 6750 says.
    this.o.logger[error.code === 'MCP.KEYS_UNAVAILABLE' ? 'error' : 'warn']({ code: error.code, reason: error.reason, referenceId, status: challenge.status }, 'MCP request refused');
    send(res, challenge.status, challenge.headers, challenge.body);
  }

  /** The configured public URL; local mode (none configured) answers with the loopback address the request came to. */
  private resourceUrl(req: IncomingMessage): string {
    return this.o.auth.resourceUrl ?? `http://${req.headers.host ?? '127.0.0.1'}${MCP_PATH}`;
  }
}

/** One tools/call: the tool named (undefined if none of ours) and the arguments exactly as the client sent them. */
export type CallTool = (tool: AnyMcpTool | undefined, args: unknown) => Promise<CallToolResult>;

/**
 * The SDK's server offering `tools`, each call answered by `call` (for one caller). Also what the tool-list contract
 * test lists through the official client (test/unit/mcp-propose-contract.test.ts).
 *
 * tools/list stays the SDK's (registerTool publishes the zod schemas as JSON Schema). tools/call is taken over on the
 * low-level Server, as the SDK documents for custom handlers: its own handler checks the arguments against the schema
 * and answers a mismatch itself, so a malformed call (or a secret pasted into a GUID argument) would never reach
 * tool-calls.ts and never be audited. `call` checks the same schema after the rate limit and the secret guard.
 */
export function mcpServer(tools: ToolRegistry, call: CallTool): McpServer {
  const server = new McpServer({ name: 'scbot', version: '1.0.0' }, { instructions: INSTRUCTIONS });
  for (const tool of tools.tools()) {
    // The handler is not reached once tools/call is ours (below); registerTool requires one, and this one is correct.
    server.registerTool(tool.name, {
      title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output,
      annotations: { title: tool.title, ...tool.annotations },
    }, (input: Record<string, unknown>) => call(tool, input));
  }
  server.server.setRequestHandler(CallToolRequestSchema, (request) => call(tools.find(request.params.name), request.params.arguments));
  return server;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
