/**
 * What the mutating commands share: finding the one connection a command names, reading just the history a
 * plan needs, saving the plan and answering with its preview (or with why not).
 */
import PQueue from 'p-queue';
import type { ExecutionRecord, ServiceEndpoint } from '../domain/endpoint';
import type { Result } from '../domain/errors';
import { err, ok } from '../domain/errors';
import type { Plan } from '../domain/plan';
import { auditEventForRequested } from '../domain/audit';
import { auditMetaFrom } from '../audit/audit-id';
import type { PlanTarget, Refusal } from '../domain/planners';
import { warningReply } from '../cards/message-view';
import { buildPlanView, planSummaryText } from '../cards/plan-preview-view';
import { quoteArg } from '../cards/format';
import type { CommandContext, Reply } from './command';
import { echoArg } from './echo-arg';
import { findConnection } from './find-connection';
import { resolveProjects } from './projects';

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

/** Resolve `<name> [in <project>]` to exactly one connection, or the reply that asks the user to be precise. */
export async function findTarget(ctx: CommandContext, verb: string, name: string, project: string | undefined): Promise<Result<{ project: string; endpoint: ServiceEndpoint }, Reply>> {
  const scope = await resolveProjects(ctx, project, (p) => commandLine(verb, name, p));
  if (!scope.ok) return scope;
  const lookup = await findConnection(ctx, scope.value, name);
  if (lookup.kind === 'found') return ok({ project: lookup.project, endpoint: lookup.endpoint });
  if (lookup.kind === 'ambiguous') {
    const projects = [...new Set(lookup.matches.map((m) => m.project))];
    const lines = projects.map((p) => commandLine(verb, name, p));
    return err(warningReply(`"${echoArg(name)}" exists in ${projects.length} projects: which one?`, [`Say \`${lines[0]}\`.`], lines.map((l) => ({ title: l, command: l }))));
  }
  const hint = lookup.suggestions.length ? `Did you mean ${lookup.suggestions.map((s) => `\`${s}\``).join(' or ')}?` : 'Say `list all` to see the connections.';
  const retry = lookup.suggestions.map((s) => commandLine(verb, s, project));
  return err(warningReply(`I can't find a connection called "${echoArg(name)}"${project ? ` in ${echoArg(project)}` : ''}.`, [hint], retry.map((l) => ({ title: l, command: l }))));
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
 * Save a plan with something to approve, record who asked for it, and answer with its preview card. A plan
 * whose `requested` event cannot be written is not shown: nothing may be approved that the audit does not know.
 */
export async function planReply(ctx: CommandContext, plan: Plan): Promise<Reply> {
  let auditId: string | undefined;
  if (plan.items.length > 0) {
    await ctx.plans.save(plan);
    const event = auditEventForRequested(plan, auditMetaFrom(ctx));
    await ctx.audit.append(event);
    auditId = event.id;
  }
  ctx.logger.info({ planId: plan.id, operation: plan.operation, items: plan.items.length, skipped: plan.skipped.length, user: ctx.user.id, auditId }, 'plan proposed');
  if (plan.items.length > 0) {
    const proposed = await ctx.approvals.propose(plan, ctx.user, ctx.conversation);
    return { kind: 'card', text: planSummaryText(plan), view: proposed.view };
  }
  return { kind: 'card', text: planSummaryText(plan), view: { template: 'plan-preview', model: buildPlanView(plan) } };
}

export function refusalReply(refusal: Refusal, verb: string): Reply {
  return warningReply(`I can't ${verb} "${refusal.name}": ${refusal.reason}`, [`Say \`show ${quoteArg(refusal.name)}\` for its details.`]);
}
