import { listed } from '../domain/policy';
import { err, ok } from '../domain/errors';
import { formatUtc } from '../cards/format';
import { messageReply, warningReply } from '../cards/message-view';
import { outsideText } from '../cards/outside-text';
import type { AgentDestination } from '../agents/agent-route';
import type { Command, CommandContext, Reply } from './command';
import { postableReference } from './conversation-reference';

export type AgentsAction = 'on' | 'off' | 'status';

const ACTIONS: readonly AgentsAction[] = ['on', 'off', 'status'];
const AGENTS_USAGE = 'Say `agents on`, `agents off` or `agents status`.';
const NEVER_APPROVE = 'Agents never approve: every change they propose waits here for a person to tap Approve.';

function where(destination: AgentDestination, ctx: CommandContext): string {
  const here = destination.conversationId === ctx.conversation.id;
  const by = `set by ${outsideText(destination.setBy.name || 'someone', 80)} on ${formatUtc(destination.setAt) ?? destination.setAt}`;
  return here ? `Agent requests appear in this conversation (${by}).` : `Agent requests appear in another conversation, ${outsideText(destination.conversationId, 120)} (${by}).`;
}

function endpointLine(ctx: CommandContext): string {
  const url = ctx.agents.endpointUrl;
  return url ? `Agents connect to ${outsideText(url, 200)} with a Microsoft Entra token (docs/agents.md).` : 'The MCP endpoint for agents is off (SCBOT_MCP_ENABLED).';
}

async function status(ctx: CommandContext): Promise<Reply> {
  const destination = await ctx.agents.current();
  const lines = [endpointLine(ctx), NEVER_APPROVE];
  if (!destination) return messageReply('Agent requests appear nowhere yet.', ['Agents can read connections, findings and plans; they cannot propose changes until a requester says `agents on` in a channel or chat.', ...lines], [{ title: 'agents on', command: 'agents on' }]);
  return messageReply(where(destination, ctx), lines, [{ title: 'agents off', command: 'agents off' }]);
}

/** Plans posted here must be approvable here: a conversation where changes may be asked for or approved. */
function approvableHere(ctx: CommandContext): boolean {
  const { policy } = ctx;
  return listed([...policy.conversations, ...(policy.approvalConversations ?? [])], ctx.conversation.id);
}

async function on(ctx: CommandContext): Promise<Reply> {
  const reference = postableReference(ctx);
  if (!reference) return warningReply('I cannot post into this conversation later (no conversation reference), so agent requests cannot appear here.', ['Say `agents on` in a Teams channel or chat with the bot.']);
  if (!approvableHere(ctx)) {
    return warningReply('Changes cannot be approved in this conversation, so agent requests cannot appear here.', ['Say `agents on` in a channel where changes are requested or approved (SCBOT_CONVERSATIONS or SCBOT_APPROVAL_CONVERSATIONS).']);
  }
  const previous = await ctx.agents.routeTo({
    conversationId: ctx.conversation.id, conversationType: ctx.conversation.type, reference, ...(ctx.place.tenantId ? { tenantId: ctx.place.tenantId } : {}),
    setBy: { name: ctx.user.name, ...(ctx.user.aadObjectId ? { aadObjectId: ctx.user.aadObjectId } : {}) }, setAt: ctx.clock.now().toISOString(),
  });
  ctx.logger.info({ conversation: ctx.conversation.id, previous: previous?.conversationId, user: ctx.user.aadObjectId ?? ctx.user.id }, 'agent requests routed');
  const moved = previous && previous.conversationId !== ctx.conversation.id ? [`They no longer appear in ${outsideText(previous.conversationId, 120)}.`] : [];
  return messageReply('Agent requests will appear in this conversation.', [
    ...moved, 'When an agent proposes a change, I post its plan card here, naming the agent and the person it acts for.', NEVER_APPROVE, endpointLine(ctx),
  ], [{ title: 'agents status', command: 'agents status' }]);
}

async function off(ctx: CommandContext): Promise<Reply> {
  const stopped = await ctx.agents.stop(ctx.conversation.id);
  ctx.logger.info({ conversation: ctx.conversation.id, stopped, user: ctx.user.aadObjectId ?? ctx.user.id }, 'agent requests stopped');
  if (stopped) return messageReply('Agent requests no longer appear here.', ['Agents can still read; every change they propose is refused until a requester says `agents on` somewhere.']);
  const destination = await ctx.agents.current();
  return messageReply('Agent requests do not appear in this conversation.', [destination ? where(destination, ctx) : 'They appear nowhere: agents cannot propose changes.', 'Say `agents off` where they appear to stop them.']);
}

export interface AgentsArgs {
  action: AgentsAction;
}

/** `agents on|off|status`: where changes agents propose (through the MCP endpoint) appear for people to approve. */
export const agentsCommand: Command<AgentsArgs> = {
  id: 'agents',
  aliases: ['agent'],
  usage: 'agents [on|off|status]',
  summary: 'Where changes AI agents propose (through the MCP endpoint) appear for people to approve: here, nowhere, or see where.',
  examples: ['agents status', 'agents on', 'agents off'],
  mutates: false,
  group: 'alerts',
  menu: false,
  // Choosing where plans land is a setting of the bot: a requester's (request-gate.ts gateConfiguration).
  configures: (args) => args.action !== 'status',

  parse(tokens) {
    if (tokens.length === 0) return ok({ action: 'status' as const });
    const [first, ...rest] = tokens;
    const action = first?.value.toLowerCase() as AgentsAction;
    if (!ACTIONS.includes(action) || rest.length > 0) return err({ message: AGENTS_USAGE });
    return ok({ action });
  },

  async run(args, ctx): Promise<Reply> {
    switch (args.action) {
      case 'on':
        return on(ctx);
      case 'off':
        return off(ctx);
      case 'status':
        return status(ctx);
    }
  },
};
