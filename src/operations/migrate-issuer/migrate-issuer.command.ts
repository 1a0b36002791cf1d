import { inProject } from '../../domain/command-line';
/**
 * `migrate issuer <name> [in <project>]` and `migrate issuer all [in <project>]` (connection-lifecycle facts §1):
 * move workload identity federation connections off the Azure DevOps issuer, which stops working on 2027-07-01.
 * Planning reads who is behind each eligible connection (an app registration through Graph, else a user-assigned
 * managed identity in the connection's subscription through ARM), so the preview names where a credential would go.
 */
import PQueue from 'p-queue';
import { readKey, type ServiceEndpoint } from '../../domain/endpoint';
import { err, isAppError, ok } from '../../domain/errors';
import { issuerMoveIneligibility, param, type FederatedIdentity } from '../../domain/issuer';
import { isFederated, planMigrateIssuer, planMigrateIssuerOne, type IssuerTarget } from './migrate-issuer.planner';
import { isRefusal } from '../../domain/planning';
import { newPlanId } from '../../ids';
import { nameArg, projectArg } from '../../commands/declared-args';
import { isBareKeyword, nameOf, parseOptions } from '../../commands/args';
import type { AppRegistration } from '../../azure/federated-identities.port';
import type { CommandContext, Reply, ChangeCommand } from '../../commands/command';
import { commandLine, findTarget, planReply, projectOf, refusalReply } from '../../commands/mutating';
import { resolveProjects } from '../../commands/projects';

export type MigrateIssuerArgs = { kind: 'one'; name: string; project?: string } | { kind: 'all'; project?: string };

const VERB = 'migrate issuer';
/** Graph and ARM say "not yours" or "not there" the same way for the purpose of planning: no identity to write to. */
const NOT_VISIBLE = new Set(['GRAPH.NOT_FOUND', 'GRAPH.FORBIDDEN', 'ARM.NOT_FOUND', 'ARM.FORBIDDEN']);

export async function unlessNotVisible<T>(read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isAppError(error) && NOT_VISIBLE.has(error.code)) return null;
    throw error;
  }
}

/**
 * The app registration with this client id; null when Graph has none; 'refused' when Graph will not let the bot
 * read app registrations (403: no Graph permission; Application.ReadWrite.OwnedBy reads every app, owned or not).
 */
export async function readApp(ctx: CommandContext, appId: string): Promise<AppRegistration | null | 'refused'> {
  try {
    return await ctx.appRegistrations.find(appId);
  } catch (error) {
    if (isAppError(error) && error.code === 'GRAPH.FORBIDDEN') return 'refused';
    if (isAppError(error) && error.code === 'GRAPH.NOT_FOUND') return null;
    throw error;
  }
}

/** The app (Graph) or user-assigned managed identity (ARM) whose client id the connection names. */
export async function identityBehind(ctx: CommandContext, endpoint: ServiceEndpoint): Promise<FederatedIdentity> {
  const clientId = param(endpoint, 'serviceprincipalid') ?? '';
  const app = await readApp(ctx, clientId);
  if (app && app !== 'refused') return { kind: 'app', ...app };
  const subscription = readKey(endpoint.data ?? undefined, 'subscriptionId') ?? '';
  const identity = subscription ? await unlessNotVisible(() => ctx.managedIdentities.findByClientId(subscription, clientId)) : null;
  if (identity) return { kind: 'managed-identity', clientId, resourceId: identity.id, name: identity.name };
  return { kind: app === 'refused' ? 'unreadable-app' : 'unknown', clientId };
}

/** Who is behind a connection before Graph or ARM was asked: enough for every check of the connection itself. */
const notYetRead = (endpoint: ServiceEndpoint): FederatedIdentity => ({ kind: 'unknown', clientId: param(endpoint, 'serviceprincipalid') ?? '' });

/** Identity reads only for connections that are otherwise eligible: a skipped one needs no further call. */
async function targetOf(ctx: CommandContext, endpoint: ServiceEndpoint, project: string): Promise<IssuerTarget> {
  const unknown = notYetRead(endpoint);
  const identity = issuerMoveIneligibility(endpoint, unknown) ? unknown : await identityBehind(ctx, endpoint);
  return { endpoint, project: projectOf(endpoint, project), history: [], identity };
}

async function migrateOne(args: Extract<MigrateIssuerArgs, { kind: 'one' }>, ctx: CommandContext): Promise<Reply> {
  const found = await findTarget(ctx, VERB, args.name, args.project);
  if (!found.ok) return found.error;
  const target = await targetOf(ctx, found.value.endpoint, found.value.project);
  const outcome = planMigrateIssuerOne({ id: newPlanId(), command: commandLine(VERB, target.endpoint.name, args.project), now: ctx.clock.now(), target });
  return isRefusal(outcome) ? refusalReply(outcome, 'move') : planReply(ctx, outcome, found.value);
}

async function migrateAll(args: Extract<MigrateIssuerArgs, { kind: 'all' }>, ctx: CommandContext): Promise<Reply> {
  const scope = await resolveProjects(ctx, args.project, (p) => `${VERB} all${inProject(p)}`);
  if (!scope.ok) return scope.error;
  // Every type: the move covers Docker and extension connections too (facts §1.5). Failed ones are listed, not hidden.
  const lists = await Promise.all(scope.value.map(async (project) => ({ project, endpoints: await ctx.endpoints.list(project, { includeFailed: true }) })));
  const byId = new Map<string, { project: string; endpoint: ServiceEndpoint }>();
  for (const { project, endpoints } of lists) for (const endpoint of endpoints.filter(isFederated)) if (!byId.has(endpoint.id.toLowerCase())) byId.set(endpoint.id.toLowerCase(), { project, endpoint });
  const queue = new PQueue({ concurrency: ctx.changes.historyConcurrency });
  const targets = await Promise.all([...byId.values()].map((f) => queue.add(() => targetOf(ctx, f.endpoint, f.project), { throwOnTimeout: true })));
  const plan = planMigrateIssuer({ id: newPlanId(), command: `${VERB} all${inProject(args.project)}`, now: ctx.clock.now(), targets });
  return planReply(ctx, plan);
}

export const migrateIssuerCommand: ChangeCommand<MigrateIssuerArgs> = {
  id: 'migrate',
  usage: 'migrate issuer <name> [in <project>] · migrate issuer all [in <project>]',
  args: [
    nameArg(false, 'target'),
    { name: 'all', kind: 'flag', oneOf: 'target', word: 'all', agents: false, description: 'Every federated connection still on the Azure DevOps issuer, instead of one by name.', example: 'true' },
    projectArg(),
  ],
  summary: 'Move workload identity federation connections off the Azure DevOps issuer (it stops working on 2027-07-01) to the Entra issuer: a preview, then approval.',
  menuText: 'Move connections off the Azure DevOps issuer before it stops on 2027-07-01. Preview first, then approval.',
  examples: ['migrate issuer sc-wif-legacy', 'migrate issuer all in Payments'],
  mutates: true,

  verb: VERB,
  names: (args) => (args.kind === 'one' ? args.name : undefined),
  // The planner's checks of the connection itself; who is behind it (a multitenant app) is read on the tap.
  pick: (target) => issuerMoveIneligibility(target.endpoint, notYetRead(target.endpoint)) === undefined,
  parse(tokens) {
    const [first, ...after] = tokens;
    if (!first || first.quoted || first.value.toLowerCase() !== 'issuer') return err({ message: 'Say `migrate issuer <name>` or `migrate issuer all`.' });
    const parsed = parseOptions(after, ['in']);
    if (!parsed.ok) return parsed;
    const { options, rest } = parsed.value;
    const project = options.get('in');
    if (isBareKeyword(rest, 'all')) return ok({ kind: 'all', project });
    const name = nameOf(rest);
    if (name === '') return err({ message: 'Which connection? Give its name, or say `migrate issuer all`.' });
    return ok({ kind: 'one', name, project });
  },

  run(args, ctx) {
    return args.kind === 'all' ? migrateAll(args, ctx) : migrateOne(args, ctx);
  },
};
