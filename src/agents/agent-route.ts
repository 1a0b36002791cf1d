/**
 * Where agents' requests appear: the one conversation a requester chose with `agents on` (a channel or a chat), kept
 * in the shared Store as a conversation reference, as `alerts on` keeps its subscriptions, so every instance posts to
 * the same place. A `propose_*` tool (after issue 21) posts its plan card there and people approve it there; with no
 * route, agents can read but every proposal is refused.
 *   agent-route/current   the conversation, its reference, who chose it and when
 */
import type { ConversationAddress } from '../notify/notifier.port';
import { VersionConflictError, type Store } from '../store/store.port';

export const AGENT_ROUTE_COLLECTION = 'agent-route';
const CURRENT = 'current';

export interface AgentDestination extends ConversationAddress {
  conversationType: string;
  tenantId?: string;
  /** The requester who said `agents on` there. */
  setBy: { name: string; aadObjectId?: string };
  setAt: string;
}

export class AgentRoute {
  /** `endpointUrl`: the MCP endpoint agents call, for `agents status`; undefined when it is off. */
  constructor(private readonly store: Store, readonly endpointUrl: string | undefined) {}

  async current(): Promise<AgentDestination | undefined> {
    return (await this.store.get<AgentDestination>(AGENT_ROUTE_COLLECTION, CURRENT))?.value;
  }

  /** Routes agents' requests to `destination`; returns where they went before (undefined: nowhere). */
  async routeTo(destination: AgentDestination): Promise<AgentDestination | undefined> {
    for (;;) {
      const read = await this.store.get<AgentDestination>(AGENT_ROUTE_COLLECTION, CURRENT);
      try {
        await this.store.put(AGENT_ROUTE_COLLECTION, CURRENT, destination, read?.version);
        return read?.value;
      } catch (error) {
        // Two requesters at once: the last write wins, as a second `agents on` would.
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
  }

  /**
   * Stops routing to `conversationId`; false when requests were not routed there (another conversation's route is
   * never removed from here: that takes `agents off` there, or `agents on` somewhere else).
   */
  async stop(conversationId: string): Promise<boolean> {
    const read = await this.store.get<AgentDestination>(AGENT_ROUTE_COLLECTION, CURRENT);
    if (!read || read.value.conversationId !== conversationId) return false;
    try {
      await this.store.delete(AGENT_ROUTE_COLLECTION, CURRENT, read.version);
      return true;
    } catch (error) {
      // Someone routed it elsewhere meanwhile: their choice stands, and requests no longer come here anyway.
      if (error instanceof VersionConflictError) return false;
      throw error;
    }
  }
}
