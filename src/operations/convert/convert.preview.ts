import { outsideText } from '../../cards/outside-text';
import { itemButton } from '../operation-hooks';
import type { StepSubject, Suggestion } from '../operation';
import type { PlanItem } from '../../domain/plan';
import { DAY_MS, utcMinute } from '../../domain/time';
import { REVERT_WINDOW_DAYS } from './convert.planner';

/** convert: the secret gives way to workload identity federation; a conversion that does not take is undone at once. */
export function convertSteps(_item: PlanItem, subject: StepSubject): string[] {
  return [
    `Switch ${subject.name} to workload identity federation: Azure DevOps adds a federated credential to its app registration, and pipelines stop using the secret.`,
    'Check it is ready; if it is not, switch it straight back to the secret.',
  ];
}

/** After a conversion: Revert while Azure DevOps still allows it. */
export function convertAfterDone(item: PlanItem, finishedAt: Date): Suggestion[] {
  const until = utcMinute(new Date(finishedAt.getTime() + REVERT_WINDOW_DAYS * DAY_MS));
  return [{ text: `You can revert ${outsideText(item.name, 80)} until about ${until} UTC.`, button: itemButton('Revert', 'revert', item) }];
}
