import type { Turn } from '../commands/command';
import type { McpCaller } from './mcp-caller';

/** The conversation every MCP call is recorded in: not a Teams conversation, so no conversation allow-list holds it. */
export const MCP_CONVERSATION = Object.freeze({ id: 'mcp', type: 'mcp' });

/**
 * An MCP call as a turn, so the read use cases (list, show, access) and the audit see who asked and where. The
 * principal is the token's object id; groups are not looked up for reads (nothing read here depends on a role).
 * The one place that maps a caller to the commands' turn: issue 21's one turn context lands here.
 */
export function callerTurn(caller: McpCaller, correlationId: string): Turn {
  const name = caller.name ?? caller.objectId;
  return {
    user: { id: `mcp:${caller.objectId}`, name, aadObjectId: caller.objectId },
    conversation: { ...MCP_CONVERSATION },
    principal: { aadObjectId: caller.objectId, name, groups: [] },
    place: { conversationId: MCP_CONVERSATION.id, tenantId: caller.tenantId },
    correlationId,
  };
}
