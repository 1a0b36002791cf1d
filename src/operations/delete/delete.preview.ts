import { existingConnectionLines, type ItemLines } from '../../cards/plan-item-lines';
import { outsideText } from '../../cards/outside-text';
import type { StepSubject } from '../operation';
import type { DeleteItem } from './delete.payload';

/** A deletion is the whole change, with how many projects lose the connection. */
export function describeDeletion(item: DeleteItem): ItemLines {
  const projects = item.projectIds?.length ?? 0;
  return {
    subtitle: existingConnectionLines(item).subtitle,
    changes: `• The connection will be deleted${projects > 1 ? ` from ${projects} projects` : ''}.`,
    compact: `${outsideText(item.endpointId, 40)} · ${item.after ? 'to unshare' : 'to delete'}`,
  };
}

/** A delete in a person's words: where it goes away, where it stays, and what else goes with it. */
export function deleteSteps(item: DeleteItem, subject: StepSubject): string[] {
  const projects = item.projectIds?.length ?? 1;
  // A deep delete keeps Automatic (the service then knows which app it made); every item of a plan shares `deep`.
  const manual = !subject.one ? (item.deep ? [] : ['Switch each connection Azure DevOps manages (Automatic) to Manual first, so deleting it leaves its app registration in place.'])
    : item.calls.some((c) => c.method === 'PUT') ? [`Switch ${subject.name} to Manual first, so deleting it leaves its app registration in place.`] : [];
  if (item.after) {
    const stays = (item.after.serviceEndpointProjectReferences ?? []).map((r) => outsideText(r.projectReference.name ?? r.projectReference.id, 40));
    return [`Remove ${subject.name} from ${subject.one ? outsideText(item.projectName, 60) : 'the projects named'}; it stays in ${subject.one && stays.length ? stays.join(', ') : 'its other projects'}.`];
  }
  const where = !subject.one ? '' : projects > 1 ? ` from all ${projects} projects it is in` : ` from ${outsideText(item.projectName, 60)}`;
  const deep = item.deep ? ' The app registration and service principal Azure DevOps made for it will be deleted too.' : '';
  return [...manual, `Delete ${subject.name}${where}.${deep} Pipelines that still use it will fail.`];
}
