import type { Turn } from '../commands/command';
import type { AgentDestination } from '../agents/agent-route';
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
    user: { id: `mcp:${caller.objectId}`, name, aadObjectId: caller.objectId, appId: caller.appId },
    conversation: { ...MCP_CONVERSATION },
    principal: { aadObjectId: caller.objectId, name, groups: [] },
    place: { conversationId: MCP_CONVERSATION.id, tenantId: caller.tenantId },
    correlationId,
  };
}

/**
 * The name a plan records as its requester: the agent with its app id (tokens of managed identities carry no display
 * name), or the person with the client they signed in through. The card and the audit show it; four-eyes compares
 * object ids, never names.
 */
export function requesterName(caller: McpCaller): string {
  return caller.kind === 'agent'
    ? `${caller.name ?? 'AI agent'} (agent, app ${caller.appId})`
    : `${caller.name ?? caller.objectId} (through MCP client app ${caller.appId})`;
}

/**
 * A `propose_*` call as a turn in the conversation agents' requests go to: the plan is proposed, audited and approved
 * there, as if the caller had typed the command in it. The requester is the token's object id: the agent's service
 * principal, or the person a delegated token acts for (who then cannot approve it either).
 */
export function requestTurn(caller: McpCaller, destination: AgentDestination, correlationId: string): Turn {
  const name = requesterName(caller);
  return {
    user: { id: `mcp:${caller.objectId}`, name, aadObjectId: caller.objectId, appId: caller.appId },
    conversation: { id: destination.conversationId, type: destination.conversationType },
    principal: { aadObjectId: caller.objectId, name, groups: [] },
    // The conversation's tenant, as for a command typed there (the token's tenant is the one configured for /mcp).
    place: { conversationId: destination.conversationId, tenantId: destination.tenantId ?? caller.tenantId },
    correlationId,
  };
}
