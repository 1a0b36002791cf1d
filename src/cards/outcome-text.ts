/**
 * What happened to one connection of a plan, in words: the one table for the executor's typed reasons. The
 * executor keeps values (src/execution/run-report.ts); cards and summaries word them here, when they are drawn.
 */
import type { ErrorCode } from '../domain/errors';
import type { CreateStage, ItemReason } from '../execution/run-report';
import { errorText } from './error-text';
import { RETIRING_ISSUER_DATE } from './connection-detail-view';

const CREATE_STAGE: Record<CreateStage, string> = {
  app: 'the app registration could not be created', connection: 'Azure DevOps did not create the connection',
  changed: 'the connection changed after I made it', 'not-ready': 'the connection did not become ready',
  issuer: 'Azure DevOps did not name the expected issuer and subject', credential: 'the federated credential could not be added',
  role: 'the role could not be assigned', pipelines: 'the pipelines could not be authorized', verify: 'Verify failed',
};

/** What the bot's identity needs for each stage, said when a stage was refused (README: Deploying → create). */
const CREATE_HINT: Record<CreateStage, string> = {
  app: 'The bot needs Graph Application.ReadWrite.OwnedBy.', connection: 'The bot needs the Endpoint Creator role in the project.', changed: '', 'not-ready': '', issuer: '',
  credential: 'The bot must own the app registration (Application.ReadWrite.OwnedBy), or hold Managed Identity Contributor or Federated Credential Contributor on the managed identity.',
  role: 'The bot needs User Access Administrator or Owner on the scope.', pipelines: 'The bot needs Administrator on the connection and the pipeline resources scope.', verify: '',
};

export function outcomeText(reason: ItemReason, context: { code?: ErrorCode; command: string }): string {
  switch (reason.kind) {
    case 'another-run': return 'being executed by another run';
    case 'changed-since-preview': return 'changed since preview';
    case 'gone': return 'it no longer exists';
    case 'nothing-to-revert': return 'it was not converted from ServicePrincipal, so there is nothing to revert';
    case 'revert-window-ended': return `the revert window ended at ${reason.deadline}`;
    case 'error': return errorText(context.code ?? 'INTERNAL', context.command, reason.referenceId);
    case 'no-new-secret': return 'the plan names no new secret for this connection';
    case 'changed-during-interrupted-rotation': return `changed since preview while a rotation was interrupted; check app ${reason.appId} for the unused secret ${reason.keyId}`;
    case 'new-secret-not-ready': return 'the new secret is in place but Azure DevOps reports the connection not ready; the previous secret was kept';
    case 'update-uncertain': {
      const kept = reason.keptKeyId ? ` The new secret (keyId ${reason.keptKeyId}) and the previous one were both kept.` : '';
      return `the update may or may not have reached Azure DevOps (${context.code ?? 'INTERNAL'}).${kept} Run rotate again: once it goes through, the unused ones retire.`;
    }
    case 'converted-not-ready': return `converted but not ready, and the revert window ${reason.revertDeadline ? `ended at ${reason.revertDeadline}` : 'is unknown'}: check the connection`;
    case 'converted-not-ready-reverted': return 'converted but not ready; reverted automatically to ServicePrincipal';
    case 'reverted-not-ready': return 'reverted to ServicePrincipal, but Azure DevOps reports it not ready: rotate its secret';
    case 'already-so': return 'it was already as planned; nothing to change';
    case 'unshared-only': return 'unshared from the planned projects; it stays in the others';
    case 'previous-secret-retires': return `the previous bot-made secret retires at ${reason.at}`;
    case 'issuer-moved': {
      // The line follows "migrated; " (the operation's word): it says only what that does not.
      const made = reason.credential
        ? `${reason.credential.existed ? 'The' : 'I created the'} federated credential '${reason.credential.name}' ${reason.credential.existed ? 'was already ' : ''}on the ${reason.credential.on === 'app' ? 'app registration' : 'managed identity'}. Its`
        : 'its';
      return `${made} old federated credential (issuer ${reason.oldIssuer}, subject ${reason.oldSubject}) is still on the identity. Reminder: remove it once pipelines run fine, before ${RETIRING_ISSUER_DATE} when it stops working anyway (in the Azure portal: the identity → Federated credentials)`;
    }
    case 'federated-credential-required': {
      const tried = reason.createdName ? ` I created '${reason.createdName}', but Azure DevOps still asks for it.` : ' I cannot reach the identity behind it.';
      return `not moved: Azure DevOps cannot create the new federated credential.${tried} Its owner adds one with issuer ${reason.issuer}, subject ${reason.subject}, audience ${reason.audience}; then run \`${context.command}\` again`;
    }
    case 'migration-target-unexpected': return `not moved: Azure DevOps named the issuer ${reason.issuer}, not the Entra issuer of the connection's tenant, so I created nothing`;
    case 'issuer-not-moved': return 'Azure DevOps accepted the move, but the connection still names the Azure DevOps issuer: check it in the portal';
    case 'moved-not-ready': return 'moved to the Entra issuer, but Azure DevOps reports it not ready: open it and verify';
    case 'created': {
      const role = reason.role ? `; ${reason.role} assigned on its scope` : '';
      const pipelines = reason.pipelines.length ? `; authorized for ${reason.pipelines.join(', ')}` : '; no pipeline is authorized yet';
      const app = reason.app ? `; app registration ${reason.app} made for it` : '';
      return `verified (id ${reason.endpointId}); federated credential '${reason.credentialName}' added${app}${role}${pipelines}`;
    }
    case 'name-taken': return 'a connection of that name exists and this plan did not make it, so I made nothing';
    case 'create-undone': {
      const why = `${CREATE_STAGE[reason.stage]}${reason.detail ? ` (${reason.detail})` : ''}`;
      // The stage says what failed; the code and reference lead to the log line (never the service's own message).
      const error = reason.referenceId ? ` (${context.code ?? 'INTERNAL'}, reference ${reason.referenceId})` : '';
      const left = reason.leftovers.length ? ` I could not remove: ${reason.leftovers.join('; ')} — delete ${reason.leftovers.length === 1 ? 'it' : 'them'} by hand.` : ` Everything it had made${reason.keptConnection ? ' but the connection' : ''} was removed again.`;
      const kept = reason.keptConnection ? ' I left the connection as it is: check who changed it, and delete it by hand if nobody should use it.' : '';
      const hint = reason.referenceId && context.code?.endsWith('.FORBIDDEN') ? ` ${CREATE_HINT[reason.stage]}` : '';
      return `not created: ${why}${error}.${left}${kept}${hint} Then run \`${context.command}\` again`;
    }
    case 'not-planned': return reason.detail;
  }
}
