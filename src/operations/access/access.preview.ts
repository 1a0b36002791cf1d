import { existingConnectionLines, type ItemLines } from '../../cards/plan-item-lines';
import { outsideText } from '../../cards/outside-text';
import { show } from '../../cards/plan-item-lines';
import type { AccessItem } from './access.payload';

/** restrict / authorize: open access and the authorized pipelines, by name, before → after. */
function accessLines(item: AccessItem): string[] {
  const access = item.access;
  if (!access) return [];
  const name = (id: number) => outsideText(access.names[String(id)] ?? `#${id}`, 40);
  const lines: string[] = [];
  if (access.before.allPipelines !== access.after.allPipelines) lines.push(`• open to all pipelines: ${show(String(access.before.allPipelines))} → ${show(String(access.after.allPipelines))}`);
  const was = new Set(access.before.pipelineIds);
  const will = new Set(access.after.pipelineIds);
  const added = access.after.pipelineIds.filter((id) => !was.has(id)).map(name);
  const removed = access.before.pipelineIds.filter((id) => !will.has(id)).map(name);
  if (added.length) lines.push(`• authorized: + ${added.join(', ')}`);
  if (removed.length) lines.push(`• no longer authorized: − ${removed.join(', ')}`);
  const kept = access.after.pipelineIds.filter((id) => was.has(id)).map(name);
  if (kept.length) lines.push(`• stays authorized: ${kept.join(', ')}`);
  return lines;
}

/** The connection itself does not change: its pipeline access does. */
export const describeAccessChange = (item: AccessItem): ItemLines => existingConnectionLines(item, accessLines(item));
