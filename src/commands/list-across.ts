/**
 * `list` / `list failed` / `list disabled` across projects (issue 24 §2): answered at once from the inventory, with
 * its age. When a project's list is older than the freshness window, the one refresh is started (or joined: everyone
 * asking within the window shares it) and the answer carries an `update`, the card as the fresh lists show it, which
 * the bot puts in place of the first card when it differs. A cold inventory (a project in scope it never listed)
 * waits for that refresh before answering; what the inventory does not hold even then (a project past its bound, a
 * list that failed) is read live, as before. The disabled rows say who disabled them: the audit log's outside change
 * when it told, else the last modifier the list read (inventory-answers.ts).
 */
import type { CardMessage } from '../cards/card';
import type { AgeState, InventoryAge } from '../cards/inventory-age';
import { errorCodeOf } from '../domain/errors';
import { listFromInventory } from '../inventory/inventory-answers';
import { newReferenceId } from '../ids';
import type { CommandContext, Reply } from './command';
import { mayReadConnection, mayReadProject } from './visible';
import { listMessage, liveProjectRows, mergeRows, type ListArgs, type ListRows } from './list-rows';

interface Answer extends ListRows {
  projectCount: number;
  /** The oldest inventory list among the rows (ms); undefined when every project was read live just now. */
  readAt: number | undefined;
}

/** The projects the bot answers for: the configured ones, else the organization's (as last read, or read now). */
async function scopeOf(ctx: CommandContext): Promise<string[]> {
  if (ctx.projects.length > 0) return ctx.projects.filter((p) => mayReadProject(ctx, p));
  const organization = await ctx.inventory.organization();
  return organization.filter((p) => mayReadProject(ctx, p.id)).map((p) => p.id);
}

/** The inventory's answer for the bot's projects; the projects it has never listed are read live now. */
async function answer(ctx: CommandContext, args: ListArgs): Promise<Answer> {
  const scope = await scopeOf(ctx);
  const view = ctx.inventory.view;
  const held = listFromInventory(view, scope, args.filter, ctx.clock.now(), args.type, (t) => mayReadConnection(ctx, t));
  const live = await Promise.all(held.missing.map((p) => liveProjectRows(ctx, p, args, view.projectRef(p)?.name ?? p)));
  return { ...mergeRows([held, ...live]), projectCount: scope.length, readAt: held.oldestReadAt };
}

function message(args: ListArgs, found: Answer, now: Date, state: AgeState): CardMessage {
  const age: InventoryAge | undefined = found.readAt === undefined ? undefined : { readAt: found.readAt, now, state };
  return listMessage(args, found, found.projectCount, age);
}

const same = (a: Answer, b: Answer): boolean =>
  a.projectCount === b.projectCount && a.hiddenFailed === b.hiddenFailed && JSON.stringify(a.rows) === JSON.stringify(b.rows);

export async function listAcross(args: ListArgs, ctx: CommandContext): Promise<Reply> {
  const inventory = ctx.inventory;
  const scope = await scopeOf(ctx);
  const cold = inventory.view.age(scope).missing.length > 0 && !inventory.isFresh();
  // Cold: nothing (or not everything) to answer from yet. The refresh is shared with whoever else is waiting on it.
  if (cold) await inventory.fresh();
  const first = await answer(ctx, args);
  if (inventory.isFresh()) return { kind: 'card', ...message(args, first, ctx.clock.now(), { kind: 'current' }) };
  return { kind: 'card', ...message(args, first, ctx.clock.now(), { kind: 'checking' }), update: refreshed(ctx, args, first) };
}

/** The card as the fresh lists show it, or undefined when it would say the same; never rejects. */
async function refreshed(ctx: CommandContext, args: ListArgs, first: Answer): Promise<CardMessage | undefined> {
  try {
    await ctx.inventory.fresh();
    const after = await answer(ctx, args);
    return same(first, after) ? undefined : message(args, after, ctx.clock.now(), { kind: 'refreshed' });
  } catch (error) {
    const referenceId = newReferenceId();
    ctx.logger.warn({ err: error, code: errorCodeOf(error), referenceId, user: ctx.user.id }, 'list: the inventory could not be refreshed; the card keeps its age');
    return message(args, first, ctx.clock.now(), { kind: 'check-failed', referenceId });
  }
}
