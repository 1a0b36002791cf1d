import { authScheme } from '../../domain/endpoint';
import { isRefusal } from '../../domain/planning';
import { planRevert } from './revert.planner';
import type { Reply, ChangeCommand } from '../../commands/command';
import { parseConnectionName } from '../../commands/args';
import { commandLine, findTarget, planReply, projectOf, recentHistory, refusalReply } from '../../commands/mutating';
import { newPlanId } from '../../ids';
import { nameArg, projectArg } from '../../commands/declared-args';

export interface RevertArgs {
  name: string;
  project?: string;
}

export const revertCommand: ChangeCommand<RevertArgs> = {
  id: 'revert',
  usage: 'revert <name> [in <project>]',
  args: [
    nameArg(true),
    projectArg(),
  ],
  summary: 'Convert a connection back from workload identity federation to its secret, within 7 days: a preview, then approval.',
  menuText: 'Undo a conversion to workload identity federation, within 7 days. Preview first, then approval.',
  examples: ['revert sc-prod'],
  mutates: true,

  names: (args) => args.name,
  // The window alone (history only adds warnings): the list is what the preview would accept.
  pick: (target, now) => !isRefusal(planRevert({ id: 'pick', command: '', now, target })),
  parse(tokens) {
    return parseConnectionName(tokens, 'Which connection? Give its name.');
  },

  async run(args, ctx): Promise<Reply> {
    const found = await findTarget(ctx, 'revert', args.name, args.project);
    if (!found.ok) return found.error;
    const { project, endpoint } = found.value;
    // Only a converted (WIF) connection can be reverted; anything else is refused without reading history.
    const converted = authScheme(endpoint).toLowerCase() === 'workloadidentityfederation';
    const history = converted ? await recentHistory(ctx, project, endpoint.id) : [];
    const outcome = planRevert({ id: newPlanId(), command: commandLine('revert', endpoint.name, args.project), now: ctx.clock.now(), target: { endpoint, project: projectOf(endpoint, project), history } });
    return isRefusal(outcome) ? refusalReply(outcome, 'revert') : planReply(ctx, outcome, found.value);
  },
};
