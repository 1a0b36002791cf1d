/**
 * `create <name> in <project> subscription <id> [resource-group <rg>] (app <appId> | identity <client id> | new app)
 * [role <role>] [for <pipeline>[, <pipeline>…]]` (connection-lifecycle facts §3): a workload identity federation
 * `azurerm` connection. Everything that can be refused is refused here, before any plan: an unknown project, a name
 * already taken, unknown pipelines, an app or managed identity the bot cannot see, a malformed id, an unknown role.
 */
import { createHash } from 'node:crypto';
import { armScope, azureRole, createdCredentialName, isGuid } from './create-connection';
import type { Result } from '../../domain/errors';
import { err, ok } from '../../domain/errors';
import type { CreatePlan } from './create.payload';
import { createIneligibility, planCreate, type CreateInput } from './create.planner';
import { isRefusal } from '../../domain/planning';
import { warningReply } from '../../cards/message-view';
import { inlineCode, outsideProse, outsideText } from '../../cards/outside-text';
import { quoteArg } from '../../domain/command-line';
import { newPlanId } from '../../ids';
import { nameArg, projectArg } from '../../commands/declared-args';
import { GUID_PATTERN } from '../../domain/guid';
import { parseOptions } from '../../commands/args';
import { commaList, joined, splitAt } from '../../commands/access-reads';
import type { CommandContext, Reply, ChangeCommand } from '../../commands/command';
import { echoArg } from '../../commands/echo-arg';
import { GRAPH_APP_PERMISSION } from '../../domain/issuer';
import { readApp, unlessNotVisible } from '../migrate-issuer/migrate-issuer.command';
import { planReply } from '../../commands/mutating';
import { resolveProjects } from '../../commands/projects';
import { resolvePipelines, unknownPipelineReply } from '../access/restrict.command';
import { createForm } from './create.form';

export type CreateIdentityArg = { kind: 'app'; appId: string } | { kind: 'identity'; clientId: string } | { kind: 'new-app' };

export interface CreateArgs {
  name: string;
  project: string;
  subscriptionId: string;
  resourceGroup?: string;
  identity: CreateIdentityArg;
  role?: string;
  pipelines: string[];
}

const KEYWORDS = ['in', 'subscription', 'resource-group', 'app', 'identity', 'new', 'role'];
const USAGE_HINT = 'Say `create <name> in <project> subscription <id> (app <appId> | identity <client id> | new app)`.';

function identityArg(options: Map<string, string>): Result<CreateIdentityArg, { message: string }> {
  const given = ['app', 'identity', 'new'].filter((k) => options.has(k));
  if (given.length !== 1) return err({ message: `Name exactly one identity: \`app <appId>\`, \`identity <managed identity client id>\` or \`new app\`. ${USAGE_HINT}` });
  if (options.has('new')) return options.get('new')?.toLowerCase() === 'app' ? ok({ kind: 'new-app' }) : err({ message: 'Say `new app` to have me register a new app for the connection.' });
  return options.has('app') ? ok({ kind: 'app', appId: options.get('app') ?? '' }) : ok({ kind: 'identity', clientId: options.get('identity') ?? '' });
}

/** The role assignment's name: a GUID fixed by the plan, scope and role, so the PUT can be repeated safely. */
function assignmentName(planId: string, scope: string, role: string): string {
  const hex = createHash('sha256').update(`${planId}|${scope.toLowerCase()}|${role.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function createLine(args: CreateArgs): string {
  const identity = args.identity.kind === 'app' ? ['app', args.identity.appId] : args.identity.kind === 'identity' ? ['identity', args.identity.clientId] : ['new', 'app'];
  return ['create', quoteArg(args.name), 'in', quoteArg(args.project), 'subscription', args.subscriptionId, ...(args.resourceGroup ? ['resource-group', quoteArg(args.resourceGroup)] : []),
    ...identity, ...(args.role ? ['role', quoteArg(args.role)] : []), ...(args.pipelines.length ? ['for', args.pipelines.join(', ')] : [])].join(' ');
}

const refusal = (name: string, reason: string, next: string): Reply => warningReply(`I can't create "${echoArg(name)}": ${reason}`, [next]);

/** The app or managed identity behind the connection, read before planning: one the bot cannot see is refused. */
async function identityOf(ctx: CommandContext, args: CreateArgs, planId: string): Promise<Result<CreatePlan['identity'], Reply>> {
  const id = args.identity;
  if (id.kind === 'new-app') return ok({ kind: 'new-app', displayName: createdCredentialName(args.name, planId) });
  if (id.kind === 'app') {
    if (!isGuid(id.appId)) return err(refusal(args.name, `"${echoArg(id.appId)}" is not an app (client) id.`, USAGE_HINT));
    const app = await readApp(ctx, id.appId);
    if (app === 'refused') return err(refusal(args.name, 'Microsoft Graph would not let me read app registrations.', `Grant my identity the Graph application permission ${GRAPH_APP_PERMISSION} (admin consent), then ask again; or name a managed identity with \`identity <client id>\`.`));
    if (!app) return err(refusal(args.name, `I can't see an app registration with client id ${id.appId}.`, 'Check the id, and that my identity owns the app (its owners add my service principal), or say `new app`.'));
    return ok({ kind: 'app', appId: app.appId, ...(app.displayName ? { displayName: app.displayName } : {}) });
  }
  if (!isGuid(id.clientId) || !isGuid(args.subscriptionId)) return err(refusal(args.name, `"${echoArg(id.clientId)}" is not a managed identity client id.`, USAGE_HINT));
  const mi = await unlessNotVisible(() => ctx.managedIdentities.findByClientId(args.subscriptionId, id.clientId));
  if (!mi) return err(refusal(args.name, `I can't see a user-assigned managed identity with client id ${id.clientId} in subscription ${args.subscriptionId}.`, 'Check the ids, and that my identity has Reader on the subscription and Managed Identity Contributor on the identity.'));
  return ok({ kind: 'managed-identity', clientId: mi.clientId, resourceId: mi.id, ...(mi.principalId ? { principalId: mi.principalId } : {}) });
}

async function run(args: CreateArgs, ctx: CommandContext): Promise<Reply> {
  const scope = await resolveProjects(ctx, args.project, (p) => createLine({ ...args, project: p }));
  if (!scope.ok) return scope.error;
  const projectName = scope.value[0] ?? args.project;
  const project = (await ctx.endpoints.projects()).find((p) => p.id.toLowerCase() === projectName.toLowerCase() || p.name?.toLowerCase() === projectName.toLowerCase());
  if (!project) return refusal(args.name, `I can't see project ${echoArg(projectName)}.`, 'Say `list all` to see the projects I look at.');
  const ref = { id: project.id, name: project.name ?? projectName };
  const planId = newPlanId();
  const base: Omit<CreateInput, 'identity' | 'pipelines'> = {
    id: planId, command: createLine(args), now: ctx.clock.now(), project: ref, name: args.name, tenantId: ctx.changes.tenantId ?? ctx.place.tenantId ?? '',
    subscriptionId: args.subscriptionId, ...(args.resourceGroup ? { resourceGroup: args.resourceGroup } : {}),
    ...(args.role ? { role: { name: azureRole(args.role)?.name ?? args.role, assignmentName: assignmentName(planId, armScope(args.subscriptionId, args.resourceGroup), args.role) } } : {}),
  };
  // The cheap refusals first (ids, role, tenant): no read is spent on a command that cannot be planned.
  const malformed = createIneligibility({ ...base, identity: { kind: 'new-app', displayName: 'x' }, pipelines: [] });
  if (malformed) return refusal(args.name, malformed, USAGE_HINT);
  const taken = await ctx.endpoints.getByName(ref.id, args.name, { includeFailed: true });
  if (taken) return refusal(args.name, `a connection of that name already exists in ${outsideText(ref.name, 80)}.`, `Say ${inlineCode(`show ${quoteArg(taken.name)} in ${quoteArg(ref.name)}`, 200)} to see it, or pick another name.`);
  const defs = args.pipelines.length ? await ctx.pipelines.pipelines(ref.id) : [];
  const resolved = resolvePipelines(args.pipelines, defs);
  if (resolved.unknown.length) return unknownPipelineReply(resolved.unknown, defs, ref.name);
  const identity = await identityOf(ctx, args, planId);
  if (!identity.ok) return identity.error;
  const pipelines = resolved.ids.map((id) => ({ id, name: defs.find((d) => d.id === id)?.name ?? `#${id}` }));
  const outcome = planCreate({ ...base, identity: identity.value, pipelines });
  return isRefusal(outcome) ? refusal(args.name, outsideProse(outcome.reason, 300), USAGE_HINT) : planReply(ctx, outcome);
}

export const createCommand: ChangeCommand<CreateArgs> = {
  id: 'create',
  usage: 'create <name> in <project> subscription <subscription-id> [resource-group <rg>] (app <appId> | identity <client id> | new app) [role <role>] [for <pipeline>[, <pipeline>…]]',
  args: [
    nameArg(true),
    projectArg(true),
    { name: 'subscription', kind: 'option', keyword: 'subscription', required: true, pattern: GUID_PATTERN, description: 'The Azure subscription id the connection reaches.', example: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' },
    { name: 'resourceGroup', kind: 'option', keyword: 'resource-group', required: false, description: 'Scope the connection (and its role) to this resource group.', example: 'rg-payments' },
    { name: 'app', kind: 'option', oneOf: 'identity', keyword: 'app', required: false, pattern: GUID_PATTERN, description: 'Sign in as this existing app registration (client id). One of app, identity, newApp.', example: '9a8b7c6d-1e2f-4a5b-8c9d-0e1f2a3b4c5d' },
    { name: 'identity', kind: 'option', oneOf: 'identity', keyword: 'identity', required: false, pattern: GUID_PATTERN, description: 'Sign in as this user-assigned managed identity (client id). One of app, identity, newApp.', example: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e' },
    { name: 'newApp', kind: 'flag', oneOf: 'identity', word: 'new app', description: 'Register a new app for the connection. One of app, identity, newApp.', example: 'true' },
    { name: 'role', kind: 'option', keyword: 'role', required: false, description: 'An Azure role to assign on the scope (e.g. Contributor, Reader).', example: 'Reader' },
    { name: 'pipelines', kind: 'option', keyword: 'for', required: false, list: true, description: 'The pipelines authorized to use it (never all pipelines).', example: 'deploy-api' },
  ],
  summary: 'Create a workload identity federation Azure connection with its federated credential, optionally a role on its scope, for the named pipelines only: a preview, then approval.',
  examples: [
    'create sc-payments-dev in Payments subscription 5f1e0b2c-7a3d-4c8e-9b6f-2d4a8c1e3f50 app 11111111-2222-4333-8444-555555555555 for payments-ci',
    'create sc-platform-ops in Platform subscription 5f1e0b2c-7a3d-4c8e-9b6f-2d4a8c1e3f50 resource-group rg-ops new app role Contributor for nightly',
  ],
  mutates: true,
  // Rare next to the others; the Teams compose box holds 12 commands per scope.
  menu: false,

  form: createForm,
  parse(tokens) {
    const { before, after } = splitAt(tokens, 'for');
    const parsed = parseOptions(before, KEYWORDS);
    if (!parsed.ok) return parsed;
    const { options, rest } = parsed.value;
    const name = joined(rest);
    if (name === '') return err({ message: `Which name should the connection have? ${USAGE_HINT}` });
    const project = options.get('in');
    const subscriptionId = options.get('subscription');
    if (!project || !subscriptionId) return err({ message: `Name the project and the subscription. ${USAGE_HINT}` });
    const identity = identityArg(options);
    if (!identity.ok) return identity;
    const pipelines = after ? commaList(after) : [];
    if (after && pipelines.length === 0) return err({ message: 'Name the pipelines after `for`, separated by commas.' });
    const resourceGroup = options.get('resource-group');
    const role = options.get('role');
    return ok({ name, project, subscriptionId, identity: identity.value, pipelines, ...(resourceGroup ? { resourceGroup } : {}), ...(role ? { role } : {}) });
  },

  run,
};
