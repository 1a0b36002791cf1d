import { outcomeText } from '../../src/cards/outcome-text';
import type { RunReport } from '../../src/execution';

/** A run report with each item's typed reason put into words, as a card would show it. */
export function worded(report: RunReport, command = '(the plan)'): Omit<RunReport, 'items'> & { items: Array<Omit<RunReport['items'][number], 'reason'> & { reason?: string }> } {
  return {
    ...report,
    items: report.items.map(({ reason, ...item }) => (reason ? { ...item, reason: outcomeText(reason, { command, ...(item.code ? { code: item.code } : {}) }) } : item)),
  };
}
