import { isRefusal } from '../../domain/planning';
import { planEnable } from './enable.planner';
import { newPlanId } from '../../ids';
import { nameArg, projectArg } from '../../commands/declared-args';
import type { ChangeCommand } from '../../commands/command';
import { parseConnectionName } from '../../commands/args';
import { historySince } from '../../commands/access-reads';
import { commandLine, findTarget, planReply, projectOf, refusalReply } from '../../commands/mutating';

export interface EnableArgs {
  name: string;
  project?: string;
}

/** A year of runs: enough to name the pipelines that used a connection before it went unused for 100 days. */
const LAST_USE_DAYS = 365;

export const enableCommand: ChangeCommand<EnableArgs> = {
  id: 'enable',
  usage: 'enable <name> [in <project>]',
  args: [
    nameArg(true),
    projectArg(),
  ],
  summary: 'Re-enable a disabled connection (Azure DevOps disables ones unused for 100 days): a preview with its last users, then approval.',
  menuText: 'Turn a disabled connection back on, after a preview that names the pipelines that last used it.',
  examples: ['enable status-page', 'enable status-page in Payments'],
  mutates: true,

  names: (args) => args.name,
  pick: (target, now) => !isRefusal(planEnable({ id: 'pick', command: '', now, target })),
  parse(tokens) {
    return parseConnectionName(tokens, 'Which connection? Give its name (say `list disabled` to see them).');
  },

  async run(args, ctx) {
    const found = await findTarget(ctx, 'enable', args.name, args.project);
    if (!found.ok) return found.error;
    const { project, endpoint } = found.value;
    const history = await historySince(ctx, project, endpoint.id, LAST_USE_DAYS);
    const outcome = planEnable({ id: newPlanId(), command: commandLine('enable', endpoint.name, args.project), now: ctx.clock.now(), target: { endpoint, project: projectOf(endpoint, project), history } });
    return isRefusal(outcome) ? refusalReply(outcome, 'enable') : planReply(ctx, outcome, found.value);
  },
};
