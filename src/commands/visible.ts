/**
 * What this conversation may read, for answers from the inventory (which is not read through the narrowed
 * `endpoints`): the turn's `visibility` (a policy file's read rules), asked one way by every such reader. Without a
 * policy file everything is visible.
 */
import type { Target } from '../domain/policy-rules';
import type { CommandContext } from './command';

/** A project the bot looks at, by the name or id it is known by (resolved through the inventory when it can be). */
export function mayReadProject(ctx: CommandContext, project: string): boolean {
  if (ctx.visibility === undefined) return true;
  const known = ctx.inventory.view.projectRef(project);
  return ctx.visibility.project({ id: known?.id ?? project, name: known?.name ?? project });
}

/** A connection in a project. */
export function mayReadConnection(ctx: CommandContext, target: Target): boolean {
  return ctx.visibility === undefined || ctx.visibility.connection(target);
}
