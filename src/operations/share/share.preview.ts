import { outsideText } from '../../cards/outside-text';
import type { StepSubject } from '../operation';
import type { ShareItem, UnshareItem } from './share.payload';

const PROJECT_MAX = 60;

/** share: the other project gains the connection; none of its pipelines is authorized by it. */
export function shareSteps(item: ShareItem, subject: StepSubject): string[] {
  const to = (item.shareWith ?? []).map((s) => outsideText(s.projectReference.name ?? s.projectReference.id, PROJECT_MAX)).join(', ') || 'the project named';
  return [`Share ${subject.name} with ${to}, so it shows there too. None of that project's pipelines may use it until you authorize one.`];
}

/** unshare: the other project loses it; the project it lives in keeps it. */
export function unshareSteps(item: UnshareItem, subject: StepSubject): string[] {
  const gone = new Set((item.projectIds ?? []).map((p) => p.toLowerCase()));
  const refs = item.before.serviceEndpointProjectReferences ?? [];
  const from = refs.filter((r) => gone.has(r.projectReference.id.toLowerCase())).map((r) => outsideText(r.projectReference.name ?? r.projectReference.id, PROJECT_MAX));
  return [`Remove ${subject.name} from ${from.join(', ') || 'the project named'}; it stays in ${outsideText(item.projectName, PROJECT_MAX)}. Pipelines there that still use it will fail.`];
}
