import { isAppError, ok, type Result } from '../domain/errors';
import type { RoleAssignment } from '../domain/pipeline-access';
import { accessSummaryText, buildAccessView, type AccessViewInput } from '../cards/connection-access-view';
import type { Command, CommandContext, Reply } from './command';
import { parseConnectionName } from './args';
import { readAccessTarget, TurnPipelines } from './access-reads';
import { findTarget } from './mutating';

export interface AccessArgs {
  name: string;
  project?: string;
}

/** Roles need the security scope the bot may lack; the rest of the card is still worth showing without them. */
async function rolesOrUndefined(ctx: CommandContext, projectId: string, endpointId: string): Promise<RoleAssignment[] | undefined> {
  try {
    return await ctx.pipelines.roles(projectId, endpointId);
  } catch (error) {
    if (!isAppError(error) || (error.code !== 'DEVOPS.FORBIDDEN' && error.code !== 'DEVOPS.UNAUTHORIZED')) throw error;
    ctx.logger.info({ code: error.code, endpointId }, 'connection roles not readable');
    return undefined;
  }
}

/** The access use case: who may use the one connection named, or the reply that says which one to name. */
export async function readAccess(args: AccessArgs, ctx: CommandContext): Promise<Result<AccessViewInput, Reply>> {
  const found = await findTarget(ctx, 'access', args.name, args.project);
  if (!found.ok) return found;
  const target = await readAccessTarget(ctx, new TurnPipelines(ctx), found.value.project, found.value.endpoint);
  const roles = await rolesOrUndefined(ctx, target.project.id, target.endpoint.id);
  return ok({ name: target.endpoint.name, project: target.project.name, pin: { connectionId: target.endpoint.id, projectId: target.project.id }, permissions: target.permissions, pipelines: target.pipelines, used: target.used, roles });
}

export const accessCommand: Command<AccessArgs> = {
  id: 'access',
  usage: 'access <name> [in <project>]',
  summary: 'Who may use a connection: open to all pipelines or not, the pipelines authorized and who authorized them, the roles, and the pipelines that used it in the last 90 days.',
  menu: false,
  examples: ['access sc-staging', 'access sc-prod in Payments'],
  mutates: false,

  names: (args) => args.name,
  pick: () => true,
  parse(tokens) {
    return parseConnectionName(tokens, 'Which connection? Give its name.');
  },

  async run(args, ctx): Promise<Reply> {
    const access = await readAccess(args, ctx);
    if (!access.ok) return access.error;
    const view = buildAccessView(access.value);
    return { kind: 'card', text: accessSummaryText(view), view: { template: 'connection-access', model: view } };
  },
};
