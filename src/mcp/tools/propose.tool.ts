/**
 * `propose_<operation>`: an agent asks for a change the way a person types it in Teams, and a person decides. Each
 * change command of src/operations/operations.ts gets one, derived from what the command declares: the input schema
 * from its `args` (those marked `agents: false` left out), the description from its summary, `destructiveHint` from
 * its operation's effect. The input becomes the command line it stands for (`commandLineFrom`), which runs through
 * the command registry in the conversation a requester chose with `agents on`, so the same request gate, secret
 * guard, parser, planner, audit event and approval record apply as to a typed command. The plan card is then posted
 * there for people to approve. No tool approves, rejects or widens a plan; the plan records the caller as its
 * requester, so four-eyes refuses the caller's own tap (by object id).
 */
import { z } from 'zod';
import type { ChangeCommand, CommandContext, CommandServices, PlanApprovals } from '../../commands/command';
import { agentArgs, argsSchema, commandLineFrom, type StructuredInput } from '../../commands/declared-args';
import type { CommandRegistry } from '../../commands/registry';
import { refusalText } from '../../commands/request-gate';
import { tokenize } from '../../commands/tokenizer';
import type { Plan } from '../../domain/plan';
import type { OperationDefinition } from '../../operations/operation';
import { mayAgentRequest } from '../../domain/policy';
import type { Notifier } from '../../notify/notifier.port';
import { newReferenceId } from '../../ids';
import { visibleText } from '../../cards/outside-text';
import { requestTurn } from '../caller-turn';
import type { McpCaller } from '../mcp-caller';
import { defineTool, type AnyMcpTool, type ToolOutcome } from '../tool';
import { notAnswered } from './reply-text';

const NO_ROUTE = 'No Teams conversation takes agent requests yet, so nothing was planned. A requester says `agents on` in the channel or chat '
  + 'where people should approve agents\' changes; then call this tool again.';

const output = {
  planId: z.string().describe('The plan id: get_plan reports its status and outcome.'),
  operation: z.string(),
  summary: z.string().describe('What the plan would change, as the card says it.'),
  connections: z.number().int().describe('Connections the plan changes once approved.'),
  state: z.literal('proposed'),
  requestedBy: z.string().describe('The requester the card names: this agent (or the person it acts for).'),
  postedTo: z.object({ conversationId: z.string(), conversationType: z.string() }).describe('Where people approve it.'),
};

type Proposed = z.infer<z.ZodObject<typeof output>>;

/** What a propose tool is derived from: an operation's change commands and what approving it does. */
export type ProposableOperation = Pick<OperationDefinition, 'commands' | 'effect'>;

/** `migrate issuer` → `propose_migrate_issuer`. */
export const proposeToolName = (command: ChangeCommand): string => `propose_${(command.verb ?? command.id).replace(/ /g, '_')}`;

/** One propose tool per change command of each operation, in the list's order; `registry` runs the lines. */
export function proposeTools(operations: readonly ProposableOperation[], registry: CommandRegistry, notifier: Notifier): AnyMcpTool[] {
  return operations.flatMap((operation) => operation.commands.map((command) => {
    const verb = command.verb ?? command.id;
    const args = agentArgs(command.args);
    const name = proposeToolName(command);
    return defineTool({
      name,
      title: `Propose: ${verb}`,
      description: `${command.summary}${withheldText(command)} Nothing changes until a person approves the plan card in Microsoft Teams `
        + '(never this agent); the plan id comes back at once, and get_plan reports whether it was approved and how it ran.',
      input: argsSchema(args),
      output,
      // It changes nothing itself, and each call makes a new plan; what an approved plan does is the operation's.
      annotations: { readOnlyHint: false, destructiveHint: operation.effect.destructive, idempotentHint: false, openWorldHint: true },
      run: (input, call) => propose(registry, notifier, name, commandLineFrom(verb, args, input as StructuredInput), call),
    });
  }));
}

/** The summary speaks of every form (`convert all`): say which ones only people ask for. */
function withheldText(command: ChangeCommand): string {
  const words = command.args.filter((a) => a.agents === false).map((a) => `\`${a.kind === 'flag' ? a.word : a.kind === 'option' ? a.keyword : a.name}\``);
  return words.length ? ` This tool names one connection; ${words.join(', ')} only people ask for, in Teams.` : '';
}

async function propose(
  registry: CommandRegistry, notifier: Notifier, tool: string, line: string, call: Parameters<AnyMcpTool['run']>[1],
): Promise<ToolOutcome<Proposed>> {
  const { ctx } = call;
  const destination = await ctx.agents.current();
  if (!destination) return { ok: false, code: 'NO_AGENT_ROUTE', text: NO_ROUTE };
  const caller = await withAppName(call.caller, ctx);
  const turn = requestTurn(caller, destination, ctx.correlationId);
  // Without a policy file, the settings name agents by id (`*` admits people only); with one, its rules decide in the
  // registry's gate, agents being principals like people.
  if (caller.kind === 'agent' && !ctx.policyGate?.enforced()) {
    const decision = mayAgentRequest(ctx.policy, turn.principal, turn.place);
    if (!decision.allowed) return { ok: false, code: decision.code, text: refusalText(decision.code, tool, newReferenceId()) };
  }
  let plan: Plan | undefined;
  const approvals: PlanApprovals = {
    propose: async (proposed, requester, conversation) => {
      plan = proposed;
      return ctx.approvals.propose(proposed, requester, conversation);
    },
  };
  // An agent's groups are never looked up (mayAgentRequest names agents by id); a person's are, as in chat.
  const { membership: _groupsOfPeopleOnly, ...withoutMembership } = ctx;
  const services: CommandServices = caller.kind === 'agent' ? withoutMembership : ctx;
  const requestCtx: CommandContext = { ...services, approvals, ...turn };
  const reply = await registry.dispatch(tokenize(line), requestCtx);
  if (!plan || reply.kind !== 'card') return notAnswered(reply, 'NOT_PROPOSED');
  const value: Proposed = {
    planId: plan.id, operation: plan.operation, summary: reply.text, connections: plan.items.length, state: 'proposed', requestedBy: turn.user.name,
    postedTo: { conversationId: destination.conversationId, conversationType: destination.conversationType },
  };
  try {
    await notifier.post(destination, { text: reply.text, view: reply.view });
  } catch (error) {
    const referenceId = newReferenceId();
    ctx.logger.error({ err: error, planId: plan.id, conversation: destination.conversationId, referenceId }, 'agent plan not posted');
    return { ok: false, code: 'NOT_POSTED', text: `Plan ${plan.id} was made but its card could not be posted to Teams, so nobody can approve it; it expires unused. Try again later. Reference: ${referenceId}` };
  }
  return { ok: true, value, text: `Plan ${plan.id} waits for a person to approve it in Teams: ${reply.text}` };
}

/**
 * Entra puts no app display name in an access token: an agent's is read from its app registration (Graph), so the
 * card names it. Best effort: a managed identity has none, and the bot may not read apps it does not own; the app id
 * names the agent either way.
 */
async function withAppName(caller: McpCaller, ctx: CommandContext): Promise<McpCaller> {
  if (caller.kind !== 'agent' || caller.name) return caller;
  try {
    const app = await ctx.appRegistrations.find(caller.appId);
    return app?.displayName ? { ...caller, name: visibleText(app.displayName, 60) } : caller;
  } catch (error) {
    ctx.logger.warn({ err: error, appId: caller.appId }, 'agent app name not read');
    return caller;
  }
}
