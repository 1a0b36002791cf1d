import type { Plan } from '../domain/plan';
import { plural } from './format';
import { visibleText } from './outside-text';

/** One line: the notification preview and the fallback for clients without cards. */
export function planSummaryText(plan: Plan): string {
  const skipped = plan.skipped.length ? ` (${plan.skipped.length} skipped)` : '';
  const subject = plan.items.length === 1 && plan.items[0] ? visibleText(plan.items[0].name, 80) : plural(plan.items.length, 'connection');
  const state = plan.items.length ? 'awaiting approval' : 'nothing to change';
  return `Plan ${plan.id}: ${plan.operation} ${subject}${skipped}, ${state}.`;
}
