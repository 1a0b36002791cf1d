import { existingConnectionLines, type ItemLines } from '../../cards/plan-item-lines';
import { outsideText } from '../../cards/outside-text';
import type { DeleteItem } from './delete.payload';

/** A deletion is the whole change, with how many projects lose the connection. */
export function describeDeletion(item: DeleteItem): ItemLines {
  const projects = item.projectIds?.length ?? 0;
  return {
    subtitle: existingConnectionLines(item).subtitle,
    changes: `• The connection is deleted${projects > 1 ? ` from ${projects} projects` : ''}.`,
    compact: `${outsideText(item.endpointId, 40)} · deleted`,
  };
}
