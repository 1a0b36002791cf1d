/**
 * Builds the MCP endpoint from the services the chat commands use, so a tool answers from the same use cases, the
 * same policy and the same audit trail as the command it mirrors. The composition root (bot/compose.ts) calls it once
 * when the endpoint is enabled; bot/server.ts routes `/mcp` and the metadata paths to what it returns.
 */
import { PlanStatusReader } from '../approvals/plan-status';
import type { CommandServices } from '../commands/command';
import type { Store } from '../store/store.port';
import { CallerRateLimit } from './caller-rate-limit';
import { EntraTokenVerifier, type McpAuthSettings } from './entra-token-verifier';
import { McpEndpoint } from './mcp-endpoint';
import { ToolCalls } from './tool-calls';
import { ToolRegistry } from './tool-registry';
import { accessConnectionTool } from './tools/access-connection.tool';
import { getPlanTool } from './tools/get-plan.tool';
import { listConnectionsTool } from './tools/list-connections.tool';
import { listFindingsTool } from './tools/list-findings.tool';
import { showConnectionTool } from './tools/show-connection.tool';
import { proposeTools } from './tools/propose.tool';
import type { CommandRegistry } from '../commands/registry';
import { OPERATIONS } from '../operations/operations';
import type { Notifier } from '../notify/notifier.port';

/** What the configuration decides for the endpoint (src/mcp/mcp-settings.ts, resolved against the bot's identity). */
export interface McpWiring {
  auth: McpAuthSettings;
  callsPerMinute: number;
}

/** The read tools, then one propose tool per change command of the operations list: the order tools/list shows. */
export function mcpTools(plans: PlanStatusReader, commands: CommandRegistry, notifier: Notifier): ToolRegistry {
  const tools = new ToolRegistry()
    .register(listConnectionsTool)
    .register(showConnectionTool)
    .register(accessConnectionTool)
    .register(listFindingsTool)
    .register(getPlanTool(plans));
  for (const tool of proposeTools(OPERATIONS, commands, notifier)) tools.register(tool);
  return tools;
}

/** `commands`: the registry the Teams bot dispatches (proposals run the same commands); `notifier`: posts plan cards. */
export function createMcpEndpoint(wiring: McpWiring, services: CommandServices, o: { store: Store; commands: CommandRegistry; notifier: Notifier }): McpEndpoint {
  const verifier = new EntraTokenVerifier(wiring.auth, services.clock);
  const tools = mcpTools(new PlanStatusReader({ store: o.store, plans: services.plans, clock: services.clock }), o.commands, o.notifier);
  // Counted in the shared store: every instance sees the same calls per caller.
  const calls = new ToolCalls({ services, limit: new CallerRateLimit(wiring.callsPerMinute, { store: o.store, clock: services.clock }) });
  return new McpEndpoint({ auth: wiring.auth, verifier, tools, calls, logger: services.logger });
}
