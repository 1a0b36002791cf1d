import { existingConnectionLines, type ItemLines } from '../../cards/plan-item-lines';
import { inlineCode, outsideText } from '../../cards/outside-text';
import { creationMode } from '../../domain/endpoint';
import { itemButton } from '../operation-hooks';
import type { StepSubject, Suggestion } from '../operation';
import { convertIneligibility } from '../convert/convert.planner';
import type { RotateItem } from './rotate.payload';

/** The new secret is a field change like any other, described by where it comes from (never its value). */
export const describeSecretChange = (item: RotateItem): ItemLines => existingConnectionLines(item, [], item.secret);

/** "Ask Microsoft Entra for a new secret…, switch to Manual…, save it": what a rotation does, in a person's words. */
export function rotateSteps(item: RotateItem, subject: StepSubject): string[] {
  const secret = item.secret;
  const where = subject.one ? ` in ${subject.name}` : '';
  const ask = !secret ? 'Make a new secret for the app registration it signs in as.'
    : secret.source === 'graph'
      ? `Ask Microsoft Entra for a new secret on ${subject.one ? `app ${inlineCode(secret.appId, 60)}` : 'its app registration'}, valid until ${secret.expiresAt.slice(0, 10)}.`
      : `Read the current secret from Key Vault ${inlineCode(secret.vault, 80)} (${inlineCode(secret.secretName, 80)}). Its expiry is managed there: rotate the vault secret and run this again before it expires.`;
  const manual = creationMode(item.before) === 'Automatic'
    ? [`Switch ${subject.name} to Manual, so Azure DevOps stops managing the app registration: its secrets, role assignments and clean-up become yours.`] : [];
  const retires = item.calls.some((c) => c.condition !== undefined && c.target.includes('removePassword'));
  return [
    ask,
    'Check that the new secret signs in.',
    ...manual,
    `Save the new secret${where} and check the connection is ready. ${retires ? 'If scbot made the old secret, it retires after a grace period; any other old secret stays valid until you remove it.' : 'The old secret stays valid until you remove it.'}`,
  ];
}

/** Rotating keeps the secret, and a secret makes a connection ineligible for convert later: offer convert first. */
export function rotateSuggestion(item: RotateItem): Suggestion | undefined {
  const target = { endpoint: item.before, project: { id: item.projectId, name: item.projectName }, history: [] };
  if (convertIneligibility(target) !== undefined) return undefined;
  return {
    text: `${outsideText(item.name, 80)} can be converted to workload identity federation instead: no secret to rotate again, and no secret to leak. Rotating switches it to Manual, after which it can no longer be converted.`,
    button: itemButton('Convert instead', 'convert', item),
  };
}

/** After a rotation: when the new secret stops working (the radar warns again before then). */
export function rotateAfterDone(item: RotateItem): Suggestion[] {
  return item.secret?.source === 'graph' ? [{ text: `The new secret expires ${item.secret.expiresAt.slice(0, 10)}: rotate again before then.` }] : [];
}
