/**
 * `policy`: what the policy lets happen in this conversation. `policy <command line>` answers for the asker, like
 * `kubectl auth can-i`: allowed or not and why (rule, group, Azure DevOps role, freeze), and which approvals from
 * whom. It reads connections through the conversation's view, so a connection it cannot see is "not found" here
 * exactly as in the command itself.
 */
import { err, ok, type Result } from '../domain/errors';
import type { Target } from '../domain/policy-rules';
import { resolveProjects } from './projects';
import { OPERATION_NAMES, operationHooks, type Operation } from '../operations/operations';
import { approvalRequirements } from '../domain/policy-approvals';
import { policyHere } from '../domain/policy-explain';
import { isBareKeyword, parseOptions } from './args';
import type { Command, CommandContext, Reply } from './command';
import { messageReply } from '../cards/message-view';
import { findTarget, projectOf } from './mutating';
import { decisionLines, hereLines } from './policy-lines';
import type { Token } from './tokenizer';
import type { PolicyGate } from '../policy/policy-gate';

export interface PolicyArgs {
  /** Absent: what applies here. */
  ask?: { operation: Operation; verb: string; name?: string; project?: string };
}

/** The verb as typed → the operation it plans (`migrate issuer` is the one two-word verb). */
function operationOf(tokens: readonly Token[]): { operation: Operation; verb: string; rest: readonly Token[] } | undefined {
  const [first, second, ...more] = tokens;
  const verb = first?.value.toLowerCase() ?? '';
  if (verb === 'migrate' && second?.value.toLowerCase() === 'issuer') return { operation: 'migrate-issuer', verb: 'migrate issuer', rest: more };
  const operation = OPERATION_NAMES.find((o) => o === verb);
  return operation ? { operation, verb, rest: tokens.slice(1) } : undefined;
}

/**
 * The connection named (read through this conversation's view), or — for an operation whose connection does not
 * exist before it runs (create) — the project it would be made in.
 */
async function targetOf(ctx: CommandContext, ask: NonNullable<PolicyArgs['ask']>, name: string): Promise<Result<Target, Reply>> {
  if (operationHooks(ask.operation).existsBeforeRun) {
    const found = await findTarget(ctx, ask.verb, name, ask.project);
    return found.ok ? ok({ project: projectOf(found.value.endpoint, found.value.project), connection: { name: found.value.endpoint.name, id: found.value.endpoint.id } }) : found;
  }
  if (ask.project === undefined) return err(messageReply(`Say \`policy ${ask.verb} ${name} in <project>\`.`, [`\`${ask.verb}\` is decided on the project (the Creator role there).`]));
  const scope = await resolveProjects(ctx, ask.project, (p) => `policy ${ask.verb} ${name} in ${p}`);
  if (!scope.ok) return scope;
  const project = (await ctx.endpoints.projects()).find((p) => (p.name ?? p.id) === scope.value[0]);
  return ok({ project: { ...(project ? { id: project.id } : {}), name: scope.value[0] ?? ask.project }, connection: { name } });
}

async function explain(gate: PolicyGate, ask: NonNullable<PolicyArgs['ask']>, ctx: CommandContext): Promise<Reply> {
  const policy = gate.current();
  const line = [ask.verb, ask.name, ...(ask.project ? ['in', ask.project] : [])].filter(Boolean).join(' ');
  if (ask.name === undefined) {
    const here = policyHere(policy, ctx.conversation.id, gate.now());
    const rules = here.rules.filter((r) => r.askHere && r.operations.some((o) => o === '*' || o.toLowerCase() === ask.operation));
    const lines = rules.length ? [`Rules that let people ask for ${ask.operation} here, each connection checked when the plan is made: ${rules.map((r) => r.name).join(', ')}.`] : [`No rule lets anyone ask for ${ask.operation} here.`];
    return messageReply(`policy ${line}`, lines);
  }
  const found = await targetOf(ctx, ask, ask.name);
  if (!found.ok) return found.error;
  const target = found.value;
  const decision = await gate.request(policy, { operation: ask.operation, conversationId: ctx.conversation.id, requester: ctx.principal, targets: [target], now: gate.now() });
  const requirements = approvalRequirements(policy, { operation: ask.operation, targets: [target], deep: false });
  const [first] = decision.targets;
  return messageReply(`policy ${line}`, first ? decisionLines(first, ask.operation, requirements) : [], [], first?.allowed ? 'info' : 'warning');
}

export const policyCommand: Command<PolicyArgs> = {
  id: 'policy',
  aliases: ['can-i'],
  usage: 'policy [<command line>]',
  summary: 'Show the rules that apply in this conversation, or whether you may run a command here and who must approve it.',
  examples: ['policy', 'policy rotate sc-prod in Payments', 'policy convert all'],
  mutates: false,
  group: 'audit',
  // Teams' command menu is full (12): `help` lists it.
  menu: false,

  parse(tokens) {
    if (tokens.length === 0) return ok({});
    const found = operationOf(tokens);
    if (!found) return err({ message: `Say \`policy\` alone, or \`policy\` and a command that changes something (${OPERATION_NAMES.join(', ')}).` });
    const parsed = parseOptions(found.rest, ['in']);
    if (!parsed.ok) return parsed;
    const [name] = parsed.value.rest;
    const bulk = isBareKeyword(parsed.value.rest, 'all') || isBareKeyword(parsed.value.rest, 'failed');
    const project = parsed.value.options.get('in');
    return ok({ ask: { operation: found.operation, verb: found.verb, ...(name && !bulk ? { name: name.value } : {}), ...(project ? { project } : {}) } });
  },

  async run(args, ctx) {
    const gate = ctx.policyGate;
    if (!gate) return messageReply('The policy is the SCBOT_* settings.', ['Set SCBOT_POLICY_FILE for per-project rules (docs/permissions.md).']);
    if (!args.ask) return messageReply(`Policy in this conversation`, hereLines(policyHere(gate.current(), ctx.conversation.id, gate.now()), gate.status()));
    return explain(gate, args.ask, ctx);
  },
};
