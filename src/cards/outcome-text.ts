/**
 * What happened to one connection of a plan, in words: the one table for the executor's typed reasons. The
 * executor keeps values (src/execution/run-report.ts); cards and summaries word them here, when they are drawn.
 */
import type { ErrorCode } from '../domain/errors';
import type { ItemReason } from '../execution/run-report';
import { errorText } from './error-text';

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
      const kept = reason.keptKeyId ? ` The new secret (keyId ${reason.keptKeyId}) was kept, recorded as made by the bot.` : '';
      return `the update may or may not have reached Azure DevOps (${context.code ?? 'INTERNAL'}).${kept} Run rotate again to settle it.`;
    }
    case 'converted-not-ready': return `converted but not ready, and the revert window ${reason.revertDeadline ? `ended at ${reason.revertDeadline}` : 'is unknown'}: check the connection`;
    case 'converted-not-ready-reverted': return 'converted but not ready; reverted automatically to ServicePrincipal';
    case 'reverted-not-ready': return 'reverted to ServicePrincipal, but Azure DevOps reports it not ready: rotate its secret';
    case 'already-so': return 'it was already as planned; nothing to change';
    case 'unshared-only': return 'unshared from the planned projects; it stays in the others';
    case 'previous-secret-retires': return `the previous bot-made secret retires at ${reason.at}`;
    case 'not-planned': return reason.detail;
  }
}
