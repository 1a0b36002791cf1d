import { existingConnectionLines, type ItemLines } from '../../cards/plan-item-lines';
import { outsideText } from '../../cards/outside-text';
import { show } from '../../cards/plan-item-lines';
import type { StepSubject } from '../operation';
import { USAGE_DAYS } from '../../domain/pipeline-access';
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

const listed = (names: string[]): string => (names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', '));

/** restrict / authorize in a person's words: who may use the connection afterwards, and who no longer may. */
export function accessSteps(item: AccessItem, subject: StepSubject): string[] {
  const access = item.access;
  if (!access || !subject.one) {
    return [`Let only the pipelines that used ${subject.name} in the last ${USAGE_DAYS} days use it, and stop letting every pipeline use it.`];
  }
  const name = (id: number) => outsideText(access.names[String(id)] ?? `#${id}`, 40);
  const was = new Set(access.before.pipelineIds);
  const will = new Set(access.after.pipelineIds);
  const added = access.after.pipelineIds.filter((id) => !was.has(id)).map(name);
  const removed = access.before.pipelineIds.filter((id) => !will.has(id)).map(name);
  const steps: string[] = [];
  if (access.before.allPipelines && !access.after.allPipelines) steps.push(`Stop letting every pipeline use ${subject.name}.`);
  if (added.length) steps.push(`Let ${listed(added)} use ${subject.name}.`);
  if (removed.length) steps.push(`Stop ${listed(removed)} from using ${subject.name}; their next runs that need it will fail.`);
  const kept = access.after.pipelineIds.filter((id) => was.has(id)).map(name);
  if (kept.length) steps.push(`${listed(kept)} keep${kept.length === 1 ? 's' : ''} using it.`);
  return steps.length ? steps : [`Record that ${subject.name} may be used as it is now; nothing else changes.`];
}
