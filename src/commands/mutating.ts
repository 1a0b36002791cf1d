/**
 * What the mutating commands share: finding the one connection a command names, reading just the history a
 * plan needs, saving the plan and answering with its preview (or with why not).
 */
import PQueue from 'p-queue';
import type { ExecutionRecord, ServiceEndpoint } from '../domain/endpoint';
import type { Result } from '../domain/errors';
import { err, ok } from '../domain/errors';
import type { Plan } from '../domain/plan';
import { auditEventForRequested, withPolicy } from '../domain/audit';
import { auditMetaFrom } from '../audit/audit-id';
import type { PlanTarget, Refusal } from '../domain/planning';
import { warningReply } from '../cards/message-view';
import { planSummaryText } from '../cards/plan-summary';
import { quoteArg, type CommandButton } from '../domain/command-line';
import { inlineCode, outsideProse, outsideText } from '../cards/outside-text';
import type { CommandContext, Reply } from './command';
import { echoArg } from './echo-arg';
import { findConnection, findIndexed, unpinnedReply, type Lookup, type Match } from './find-connection';
import { resolveProjects } from './projects';
import { screenPlan, type Screened } from './policy-screen';

/** Enough records to cover 30 days for all but the busiest connections; one call per connection. */
export const HISTORY_TOP = 50;


/** `<verb> <name> [in <project>]`, quoted where needed: the echo on the card and the retry suggestions. */
export function commandLine(verb: string, name: string, project?: string, flags: readonly string[] = []): string {
  return [verb, quoteArg(name), ...flags, ...(project ? ['in', quoteArg(project)] : [])].join(' ');
}

/** The project reference (id and name) of the project a connection was read in. */
export function projectOf(endpoint: ServiceEndpoint, project: string): { id: string; name: string } {
  const key = project.toLowerCase();
  const ref = (endpoint.serviceEndpointProjectReferences ?? []).find(
    (r) => r.projectReference.id.toLowerCase() === key || r.projectReference.name?.toLowerCase() === key,
  );
  return ref ? { id: ref.projectReference.id, name: ref.projectReference.name ?? project } : { id: project, name: project };
}

/**
 * Resolve `<name> [in <project>]` to exactly one connection, or the reply that asks the user to be precise. Without
 * a project (or for a pinned tap) the inventory says where the name is and only there is it read, live; a name it
 * does not know is searched for in every project, as before, and the answer says so.
 */
export async function findTarget(ctx: CommandContext, verb: string, name: string, project: string | undefined): Promise<Result<Match, Reply>> {
  const indexed = project === undefined || ctx.pinned ? await findIndexed(ctx, name, project) : undefined;
  let lookup: Lookup | undefined = indexed;
  let searched = false;
  if (!lookup) {
    const scope = await resolveProjects(ctx, project, (p) => commandLine(verb, name, p));
    if (!scope.ok) return scope;
    lookup = await findConnection(ctx, scope.value, name);
    searched = project === undefined && !ctx.pinned && scope.value.length > 1;
  }
  switch (lookup.kind) {
    case 'found': return ok({ project: lookup.project, endpoint: lookup.endpoint, ...(searched ? { searched: true as const } : {}) });
    case 'ambiguous': return err(ambiguousReply(verb, name, lookup.matches));
    case 'missing': return err(missingReply(verb, name, project, lookup.suggestions, searched));
    case 'unpinned': return err(unpinnedReply(lookup.connectionId, lookup.now));
  }
}

/** Said when a name was looked for in every project because the inventory had not seen it. */
export const SEARCHED_NOTE = 'I had not seen this name before, so I looked for it in every project (that takes longer).';

/** A button per match, pinned to its connection: "which one?" must not be answered by a name search again. */
function matchButton(verb: string, match: Match): CommandButton {
  const line = commandLine(verb, match.endpoint.name, match.project);
  return { title: line, command: line, target: { connectionId: match.endpoint.id, projectId: projectOf(match.endpoint, match.project).id } };
}

function ambiguousReply(verb: string, name: string, matches: readonly Match[]): Reply {
  const buttons = matches.map((m) => matchButton(verb, m));
  const projects = [...new Set(matches.map((m) => m.project))];
  return warningReply(`"${echoArg(name)}" exists in ${projects.length} projects: which one?`, [`Projects: ${outsideText(projects.join(', '), 500)}.`, `Say ${inlineCode(buttons[0]?.command ?? '', 200)}.`], buttons);
}

function missingReply(verb: string, name: string, project: string | undefined, suggestions: readonly Match[], searched: boolean): Reply {
  const names = [...new Set(suggestions.map((m) => m.endpoint.name))];
  const hint = names.length ? `Did you mean ${names.map((n) => inlineCode(n, 80)).join(' or ')}?` : 'Say `list all` to see the connections.';
  return warningReply(`I can't find a connection called "${echoArg(name)}"${project ? ` in ${echoArg(project)}` : ''}.`, searched ? [hint, SEARCHED_NOTE] : [hint], suggestions.map((m) => matchButton(verb, m)));
}

/** History for the recent-use warning; a connection's history is read once. */
export async function recentHistory(ctx: CommandContext, project: string, endpointId: string): Promise<ExecutionRecord[]> {
  return (await ctx.endpoints.executionHistory(project, endpointId, { top: HISTORY_TOP })).records;
}

/** Targets for many connections, histories read concurrently with a small limit (the service rate-limits). */
export async function withHistories(ctx: CommandContext, reads: readonly { project: string; endpoint: ServiceEndpoint; needsHistory: boolean }[]): Promise<PlanTarget[]> {
  const queue = new PQueue({ concurrency: ctx.changes.historyConcurrency });
  return Promise.all(reads.map(async (read) => {
    const history = read.needsHistory ? await queue.add(() => recentHistory(ctx, read.project, read.endpoint.id), { throwOnTimeout: true }) : [];
    return { endpoint: read.endpoint, project: projectOf(read.endpoint, read.project), history };
  }));
}

/**
 * Save a plan with something to approve, record who asked for it, and answer with its preview card (`named`: the
 * one connection the command named). A plan
 * whose `requested` event cannot be written is not shown: nothing may be approved that the audit does not know.
 */
export async function planReply(ctx: CommandContext, proposed: Plan, named?: Match): Promise<Reply> {
  // Under a policy file, each connection is checked for this requester here; the plan keeps only what passes.
  const screened: Screened = ctx.policyGate?.enforced() ? await screenPlan(ctx.policyGate, ctx, proposed) : { plan: proposed };
  if ('reply' in screened) return screened.reply;
  // A plan for one named connection records it: plan-again buttons resend the command pinned to this id.
  const plan: Plan = named ? { ...screened.plan, target: { endpointId: named.endpoint.id, projectId: projectOf(named.endpoint, named.project).id } } : screened.plan;
  let auditId: string | undefined;
  if (plan.items.length > 0) {
    await ctx.plans.save(plan);
    const event = withPolicy(auditEventForRequested(plan, auditMetaFrom(ctx)), screened.policy);
    await ctx.audit.append(event);
    auditId = event.id;
  }
  ctx.logger.info({ planId: plan.id, operation: plan.operation, items: plan.items.length, skipped: plan.skipped.length, user: ctx.user.id, auditId }, 'plan proposed');
  // A plan with nothing to change is answered with its bare preview (approvals draw every plan card).
  const card = await ctx.approvals.propose(plan, ctx.user, ctx.conversation);
  return { kind: 'card', text: planSummaryText(plan), view: card.view };
}

export function refusalReply(refusal: Refusal, verb: string): Reply {
  return warningReply(`I can't ${verb} "${outsideText(refusal.name, 80)}": ${outsideProse(refusal.reason, 300)}`, [`Say ${inlineCode(`show ${quoteArg(refusal.name)}`, 120)} for its details.`]);
}
