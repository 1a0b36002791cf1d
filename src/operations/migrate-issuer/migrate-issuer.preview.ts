import { inlineCode, outsideText } from '../../cards/outside-text';
import type { StepSubject } from '../operation';
import { RETIRING_ISSUER_DATE } from '../../cards/connection-detail-view';
import type { IssuerItem, IssuerMovePlan } from './migrate-issuer.payload';


function identityWords(move: IssuerMovePlan | undefined): string {
  if (!move || move.identity.kind === 'unknown') return 'the identity it signs in as';
  if (move.identity.kind === 'app') return `app registration ${inlineCode(move.identity.appId, 60)}`;
  return `managed identity ${inlineCode(move.identity.resourceId.split('/').pop() ?? move.identity.clientId, 80)}`;
}

/** migrate issuer in a person's words: Azure DevOps moves it; the bot adds the credential only if it must. */
export function migrateIssuerSteps(item: IssuerItem, subject: StepSubject): string[] {
  const move = item.issuer;
  const on = subject.one ? identityWords(move) : 'its identity';
  const credential = !move || move.identity.kind !== 'unknown'
    ? [`If Azure DevOps cannot add the new federated credential itself, add ${subject.one && move ? `'${outsideText(move.credentialName, 80)}' (issuer ${outsideText(move.newIssuer, 100)}, audience ${outsideText(move.audience, 80)}, subject exactly as Azure DevOps names it)` : 'it'} to ${on}, then ask again.`]
    : ['If Azure DevOps cannot add the new federated credential itself, the outcome says exactly what its owner must add.'];
  return [
    `Ask Azure DevOps to move ${subject.name} from its own issuer to the Microsoft Entra issuer.`,
    ...credential,
    'Check it now names the Entra issuer and is ready.',
    `The old federated credential stays on ${on} until you remove it (it stops working on ${RETIRING_ISSUER_DATE} anyway).`,
  ];
}
